// client-go's flowcontrol.Backoff, as kubelet uses it for CrashLoopBackOff and ImagePullBackOff:
// per key, a delay that starts at `initialMs`, doubles on every `next` up to `maxMs`, and resets when the
// last event is older than 2 × maxMs (10 min for the default 5 min cap).
//
//   const b = new Backoff(10_000, 300_000);
//   if (b.isInBackOffSince(key, finishedAt)) wait(b.get(key)); else { b.next(key, finishedAt); restart(); }
export class Backoff {
  readonly #entries = new Map<string, { delayMs: number; lastUpdate: number }>();
  readonly initialMs: number;
  readonly maxMs: number;
  readonly #now: () => number;

  constructor(initialMs = 10_000, maxMs = 300_000, now: () => number = Date.now) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.#now = now;
  }

  #expired(eventTime: number, lastUpdate: number): boolean {
    return eventTime - lastUpdate > 2 * this.maxMs;
  }

  /** The current delay for key (0 when none). */
  get(key: string): number {
    return this.#entries.get(key)?.delayMs ?? 0;
  }

  /** Records an event at eventTime: the first (or first after a reset) sets initialMs, later ones double. */
  next(key: string, eventTime: number = this.#now()): void {
    const e = this.#entries.get(key);
    if (!e || this.#expired(eventTime, e.lastUpdate)) this.#entries.set(key, { delayMs: this.initialMs, lastUpdate: eventTime });
    else this.#entries.set(key, { delayMs: Math.min(e.delayMs * 2, this.maxMs), lastUpdate: eventTime });
  }

  /** True while now - eventTime is shorter than the key's delay. */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const e = this.#entries.get(key);
    if (!e || this.#expired(eventTime, e.lastUpdate)) return false;
    return this.#now() - eventTime < e.delayMs;
  }

  /** True while now - (time of the last `next`) is shorter than the key's delay (image pulls). */
  isInBackOffSinceUpdate(key: string): boolean {
    const e = this.#entries.get(key);
    if (!e || this.#expired(this.#now(), e.lastUpdate)) return false;
    return this.#now() - e.lastUpdate < e.delayMs;
  }

  /** Ms until the back-off since the last update ends (0 when none). */
  remainingSinceUpdate(key: string): number {
    const e = this.#entries.get(key);
    return e && this.isInBackOffSinceUpdate(key) ? e.lastUpdate + e.delayMs - this.#now() : 0;
  }

  /** Ms until the back-off that started at eventTime is over (0 when not in back-off). */
  remaining(key: string, eventTime: number): number {
    return this.isInBackOffSince(key, eventTime) ? eventTime + this.get(key) - this.#now() : 0;
  }

  /** Forgets key (or every key starting with `prefix` + '/'). */
  reset(key: string): void {
    this.#entries.delete(key);
  }

  resetPrefix(prefix: string): void {
    for (const k of this.#entries.keys()) if (k.startsWith(prefix)) this.#entries.delete(k);
  }
}
