/**
 * The scheduling queue: an active queue (higher spec.priority first, then arrival order) and a pool of pods that
 * failed, each waiting out its backoff (1 s doubling to 10 s) before it is retried. A cluster change that may help
 * (node added or changed, pod deleted) moves waiting pods back to the active queue at once.
 *
 *   q.add(info); const next = q.pop();          // PodInfo | undefined
 *   q.unschedulable(info);                      // failed: retry after its backoff
 *   q.moveAllToActive();                        // a node was labelled
 *   q.flushBackoff(Date.now());                 // called by a timer
 */
import type { PodInfo } from './pod-info.ts';

export interface QueueOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
}

interface Entry {
  info: PodInfo;
  seq: number;
  attempts: number;
  /** where the pod is: waiting in the active heap, backing off, or out being scheduled/bound */
  where: 'active' | 'backoff' | 'inflight';
  readyAt: number;
}

export class SchedulingQueue {
  readonly #entries = new Map<string, Entry>();
  readonly #heap: Entry[] = [];
  #seq = 0;
  readonly #initial: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(o: QueueOptions = {}) {
    this.#initial = o.initialBackoffMs ?? 1000;
    this.#max = o.maxBackoffMs ?? 10_000;
    this.#now = o.now ?? Date.now;
  }

  get activeLength(): number {
    return this.#heap.length;
  }

  get size(): number {
    return this.#entries.size;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** New pod, or a newer version of one already queued (kept in place; a backing-off pod retries now if `retry`). */
  add(info: PodInfo, retry = false): void {
    const e = this.#entries.get(info.key);
    if (!e) {
      const entry: Entry = { info, seq: this.#seq++, attempts: 0, where: 'active', readyAt: 0 };
      this.#entries.set(info.key, entry);
      this.#push(entry);
      return;
    }
    e.info = info;
    if (e.where === 'backoff' && retry) this.#activate(e);
  }

  delete(key: string): void {
    const e = this.#entries.get(key);
    if (!e) return;
    this.#entries.delete(key);
    if (e.where === 'active') this.#remove(e);
  }

  /** The next pod to schedule; it stays known (inflight) until done(), unschedulable() or delete(). */
  pop(): PodInfo | undefined {
    const e = this.#popHeap();
    if (!e) return undefined;
    e.where = 'inflight';
    return e.info;
  }

  /** Scheduled (bound): forget the pod. */
  done(key: string): void {
    this.#entries.delete(key);
  }

  /** The pod did not fit (or binding failed): back off, doubling per attempt. Returns the backoff in ms. */
  unschedulable(info: PodInfo): number {
    let e = this.#entries.get(info.key);
    if (!e) {
      e = { info, seq: this.#seq++, attempts: 0, where: 'backoff', readyAt: 0 };
      this.#entries.set(info.key, e);
    } else if (e.where === 'active') this.#remove(e);
    e.info = info;
    e.attempts++;
    const backoff = Math.min(this.#max, this.#initial * 2 ** (e.attempts - 1));
    e.where = 'backoff';
    e.readyAt = this.#now() + backoff;
    return backoff;
  }

  attempts(key: string): number {
    return this.#entries.get(key)?.attempts ?? 0;
  }

  /** Backing-off pods whose backoff ran out go back to the active queue. Returns how many moved. */
  flushBackoff(now = this.#now()): number {
    let n = 0;
    for (const e of this.#entries.values()) {
      if (e.where === 'backoff' && e.readyAt <= now) {
        this.#activate(e);
        n++;
      }
    }
    return n;
  }

  /** A cluster change that may make waiting pods fit: retry them now (optionally only those `which` selects). */
  moveAllToActive(which?: (info: PodInfo) => boolean): number {
    let n = 0;
    for (const e of this.#entries.values()) {
      if (e.where === 'backoff' && (!which || which(e.info))) {
        this.#activate(e);
        n++;
      }
    }
    return n;
  }

  #activate(e: Entry): void {
    e.where = 'active';
    e.seq = this.#seq++;
    this.#push(e);
  }

  // ---- binary heap: priority desc, seq asc ----
  #less(a: Entry, b: Entry): boolean {
    return a.info.priority !== b.info.priority ? a.info.priority > b.info.priority : a.seq < b.seq;
  }

  #push(e: Entry): void {
    const h = this.#heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  #popHeap(): Entry | undefined {
    const h = this.#heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      this.#down(0);
    }
    return top;
  }

  #down(i: number): void {
    const h = this.#heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.#less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.#less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }

  #remove(e: Entry): void {
    const h = this.#heap;
    const i = h.indexOf(e);
    if (i < 0) return;
    const last = h.pop()!;
    if (i < h.length) {
      h[i] = last;
      this.#down(i);
      // sift up too
      let j = i;
      while (j > 0) {
        const p = (j - 1) >> 1;
        if (!this.#less(h[j]!, h[p]!)) break;
        [h[j], h[p]] = [h[p]!, h[j]!];
        j = p;
      }
    }
  }
}
