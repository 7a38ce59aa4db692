/**
 * Events as the scheduler's events.k8s.io recorder writes them, through core/v1: `eventTime` set,
 * first/lastTimestamp null, reportingComponent default-scheduler, reportingInstance default-scheduler-<host>,
 * an action (Scheduling, Binding). Repeats of the same event (same type, action, reason, pod — the note is not
 * part of the identity) become a series on the first event: the second occurrence PATCHes `series: {count: 2}`,
 * later ones are counted in memory and flushed now and then; a series idle for 6 minutes ends.
 *
 *   const rec = new SchedulerEventRecorder(client.events, 'default-scheduler-host');
 *   rec.record(pod, 'Warning', 'FailedScheduling', 'Scheduling', message);
 *   rec.stop();
 */
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../api/object.ts';
import type { ResourceApi } from '../client/client.ts';

export const SCHEDULER_NAME = 'default-scheduler';

interface Series {
  namespace: string;
  /** resolves to the event's name once created (undefined: creation failed) */
  name: Promise<string | undefined>;
  count: number;
  lastObserved: string;
  lastSeenAt: number;
  dirty: boolean;
}

export interface RecorderOptions {
  /** How often in-memory series counts are written (default 30 s; kube-scheduler: 30 min). */
  flushMs?: number;
  /** A series with no repeat for this long ends (default 6 min). */
  seriesIdleMs?: number;
  onError?: (err: unknown) => void;
}

/** RFC 3339 with microseconds (metav1.MicroTime). */
export const microTime = (d = new Date()) => d.toISOString().replace(/Z$/, '000Z');
const hexNanos = () => (BigInt(Date.now()) * 1_000_000n + BigInt(randomBytes(4).readUInt32BE() % 1_000_000)).toString(16);

export class SchedulerEventRecorder {
  readonly #events: ResourceApi;
  readonly #instance: string;
  readonly #series = new Map<string, Series>();
  /** pod uid → its series keys */
  readonly #byPod = new Map<string, Set<string>>();
  readonly #idleMs: number;
  readonly #onError: (err: unknown) => void;
  readonly #timer: NodeJS.Timeout;

  constructor(events: ResourceApi, instance: string, o: RecorderOptions = {}) {
    this.#events = events;
    this.#instance = instance;
    this.#idleMs = o.seriesIdleMs ?? 6 * 60_000;
    this.#onError = o.onError ?? (() => {});
    this.#timer = setInterval(() => void this.flush(), o.flushMs ?? 30_000);
    this.#timer.unref();
  }

  /** Write (or count) one event about `pod`. Never throws; failures go to onError. */
  record(pod: KubeObject, type: 'Normal' | 'Warning', reason: string, action: string, note: string): void {
    const ns = pod.metadata.namespace ?? 'default';
    const key = `${type}\u0000${action}\u0000${reason}\u0000${ns}/${pod.metadata.name}\u0000${pod.metadata.uid ?? ''}`;
    const now = Date.now();
    const s = this.#series.get(key);
    if (s && now - s.lastSeenAt < this.#idleMs) {
      s.count = s.count < 2 ? 2 : s.count + 1;
      s.lastObserved = microTime();
      s.lastSeenAt = now;
      if (s.count === 2) void this.#patch(s);
      else s.dirty = true;
      return;
    }
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${pod.metadata.name}.${hexNanos()}`, namespace: ns },
      involvedObject: { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid, apiVersion: 'v1', resourceVersion: pod.metadata.resourceVersion },
      reason,
      message: note,
      type,
      action,
      eventTime: microTime(),
      reportingComponent: SCHEDULER_NAME,
      reportingInstance: this.#instance,
      source: { component: SCHEDULER_NAME },
      firstTimestamp: null,
      lastTimestamp: null,
      count: 0,
    };
    const name = this.#events.create(ns, event).then(
      (e) => e.metadata.name,
      (err) => {
        this.#onError(err);
        return undefined;
      },
    );
    this.#series.set(key, { namespace: ns, name, count: 1, lastObserved: event.eventTime, lastSeenAt: now, dirty: false });
    const uid = pod.metadata.uid ?? '';
    let keys = this.#byPod.get(uid);
    if (!keys) this.#byPod.set(uid, (keys = new Set()));
    keys.add(key);
  }

  async #patch(s: Series): Promise<void> {
    s.dirty = false;
    const name = await s.name;
    if (!name) return;
    try {
      await this.#events.patch(s.namespace, name, 'merge', { series: { count: s.count, lastObservedTime: s.lastObserved } });
    } catch (err) {
      this.#onError(err);
    }
  }

  /** Writes pending series counts and drops series that went idle. */
  async flush(): Promise<void> {
    const now = Date.now();
    const writes: Promise<void>[] = [];
    for (const [key, s] of this.#series) {
      if (s.dirty) writes.push(this.#patch(s));
      if (now - s.lastSeenAt >= this.#idleMs) {
        this.#series.delete(key);
        const uid = key.slice(key.lastIndexOf('\u0000') + 1);
        this.#byPod.get(uid)?.delete(key);
        if (this.#byPod.get(uid)?.size === 0) this.#byPod.delete(uid);
      }
    }
    await Promise.all(writes);
  }

  /** Forget the series of a pod that is gone. */
  forgetPod(uid: string | undefined): void {
    if (!uid) return;
    for (const key of this.#byPod.get(uid) ?? []) this.#series.delete(key);
    this.#byPod.delete(uid);
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
