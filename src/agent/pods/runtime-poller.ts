// Container exits and sandbox deaths, noticed by polling (containerd 1.6 has no CRI event stream): one
// ListContainers + one ListPodSandbox per period for the whole node; any pod whose containers or sandboxes
// changed state is reported once.
//
//   const poller = new RuntimePoller(cri, 1000, (uids) => uids.forEach((u) => workers.wake(u)));
//   poller.start(); … poller.stop();
import type { CriClient } from '../../cri/cri-client.ts';
import { LABEL_POD_UID } from './deps.ts';

export class RuntimePoller {
  readonly #cri: CriClient;
  readonly #periodMs: number;
  readonly #onChange: (uids: string[]) => void;
  readonly #onError?: (err: unknown) => void;
  #last = new Map<string, string>();
  #timer?: NodeJS.Timeout;
  #running = false;
  #stopped = true;
  #polled = false;

  constructor(cri: CriClient, periodMs: number, onChange: (uids: string[]) => void, onError?: (err: unknown) => void) {
    this.#cri = cri;
    this.#periodMs = periodMs;
    this.#onChange = onChange;
    this.#onError = onError;
  }

  /** At least one poll has completed. */
  get polled(): boolean {
    return this.#polled;
  }

  /** The last poll saw sandboxes or containers of this pod uid. */
  known(uid: string): boolean {
    return this.#last.has(uid);
  }

  start(): void {
    this.#stopped = false;
    void this.poll().finally(() => this.#schedule());
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.poll().finally(() => this.#schedule()), this.#periodMs);
    this.#timer.unref?.();
  }

  /** One poll: reports the uids whose runtime state changed since the previous poll. */
  async poll(): Promise<string[]> {
    if (this.#running) return [];
    this.#running = true;
    try {
      const [containers, sandboxes] = await Promise.all([this.#cri.listContainers(), this.#cri.listPodSandbox()]);
      const sigs = new Map<string, string[]>();
      const add = (uid: string | undefined, s: string) => {
        if (!uid) return;
        let l = sigs.get(uid);
        if (!l) sigs.set(uid, (l = []));
        l.push(s);
      };
      for (const c of containers) add(c.labels[LABEL_POD_UID], `c${c.id}:${c.state}`);
      for (const sb of sandboxes) add(sb.labels[LABEL_POD_UID], `s${sb.id}:${sb.state}`);
      const next = new Map<string, string>();
      for (const [uid, l] of sigs) next.set(uid, l.sort().join(','));
      const changed: string[] = [];
      for (const [uid, sig] of next) if (this.#last.get(uid) !== sig) changed.push(uid);
      for (const uid of this.#last.keys()) if (!next.has(uid)) changed.push(uid);
      this.#last = next;
      this.#polled = true;
      if (changed.length) this.#onChange(changed);
      return changed;
    } catch (err) {
      this.#onError?.(err);
      return [];
    } finally {
      this.#running = false;
    }
  }
}
