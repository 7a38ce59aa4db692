import type { Watch, WatchEvent } from './store.ts';

interface Subscriber {
  prefix: string;
  /** Only events with a newer revision are delivered (a watch may start from a future revision). */
  after: number;
  queue: WatchEvent[];
  head: number;
  onEvent: (event: WatchEvent) => void;
  onError: (err: Error) => void;
  closed: boolean;
}

/**
 * In-process fan-out of committed writes to watchers.
 *
 * Each watcher owns a FIFO queue. `publish` appends the event to every matching queue, then drains.
 * Draining is not re-entrant: a write made from inside a callback only enqueues, and the outer drain
 * delivers it after the current event, so every watcher still sees revisions in order.
 *
 *   const w = hub.subscribe('/registry/pods/', afterRevision, backlog, onEvent, onError);
 *   hub.publish({ type: 'create', kv });
 */
export class WatchHub {
  readonly #subs = new Set<Subscriber>();
  #draining = false;

  /**
   * Registers a watcher whose first events are `backlog` (already filtered and ordered).
   * The backlog is delivered on a microtask (so the caller holds the Watch first) or by the next publish.
   */
  subscribe(
    prefix: string,
    after: number,
    backlog: WatchEvent[],
    onEvent: Subscriber['onEvent'],
    onError: Subscriber['onError'],
  ): Watch {
    const sub: Subscriber = { prefix, after, queue: backlog, head: 0, onEvent, onError, closed: false };
    this.#subs.add(sub);
    if (backlog.length > 0) queueMicrotask(() => this.#drain());
    return { cancel: () => this.#remove(sub) };
  }

  /** A watch that only reports `err`, once, on a microtask. */
  failed(err: Error, onError: (err: Error) => void): Watch {
    let cancelled = false;
    queueMicrotask(() => {
      if (!cancelled) onError(err);
    });
    return { cancel: () => void (cancelled = true) };
  }

  /** Delivers `event` (the newest committed write) to every watcher whose prefix matches its key. */
  publish(event: WatchEvent): void {
    for (const sub of this.#subs) {
      if (event.kv.modRevision > sub.after && event.kv.key.startsWith(sub.prefix)) sub.queue.push(event);
    }
    this.#drain();
  }

  /** Ends every watch with `err` (the store is closing). */
  closeAll(err: Error): void {
    for (const sub of [...this.#subs]) {
      this.#remove(sub);
      safeCall(sub.onError, err);
    }
  }

  get size(): number {
    return this.#subs.size;
  }

  #remove(sub: Subscriber): void {
    sub.closed = true;
    sub.queue = [];
    sub.head = 0;
    this.#subs.delete(sub);
  }

  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    try {
      let pending = true;
      while (pending) {
        pending = false;
        for (const sub of this.#subs) {
          while (!sub.closed && sub.head < sub.queue.length) {
            const event = sub.queue[sub.head++]!;
            try {
              sub.onEvent(event);
            } catch (err) {
              // A throwing consumer loses its watch, never the writer's commit or other watchers.
              this.#remove(sub);
              safeCall(sub.onError, err instanceof Error ? err : new Error(String(err)));
            }
          }
          if (!sub.closed) {
            sub.queue = [];
            sub.head = 0;
          }
        }
        for (const sub of this.#subs) if (sub.head < sub.queue.length) pending = true;
      }
    } finally {
      this.#draining = false;
    }
  }
}

function safeCall(onError: (err: Error) => void, err: Error): void {
  try {
    onError(err);
  } catch {
    // Nothing sensible to do with an error from an error handler.
  }
}
