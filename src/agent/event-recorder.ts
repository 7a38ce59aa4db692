/**
 * The kubelet's event recorder (client-go tools/record with its EventCorrelator, K8S-FACTS §6.1–6.2): fire-and-forget
 * core/v1 Events with source {component: kubelet, host: node}. A repeat of the same source/object/type/reason/message
 * PATCHes the first event's count + lastTimestamp; anything new is POSTed as `<name>.<hex nanos>`. A spam filter
 * (burst 25 per object, one more token per 5 min) drops floods, as the kubelet's does.
 *
 *   const recorder = new KubeletEventRecorder(client.events, 'node-1');
 *   recorder.event({ kind: 'Pod', namespace: 'default', name: 'web', uid }, 'Normal', 'Pulled', 'Container image …');
 */
import type { Logger } from '../apiserver/log.ts';
import type { ResourceApi } from '../client/client.ts';
import { ApiError } from '../machinery/api-error.ts';
import type { EventObjectRef, EventRecorder } from './agent-api.ts';

export interface EventRecorderOptions {
  component?: string;
  /** Spam filter: tokens per object (default 25) and ms per new token (default 300 000). 0 burst = no filter. */
  burst?: number;
  refillMs?: number;
  log?: Logger;
  /** Max remembered keys (default 4096). */
  cacheSize?: number;
}

const kubeTime = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

let lastNanos = 0n;
/** Unix nanoseconds in hex, strictly increasing within the process (event names must not collide). */
export function hexNanos(): string {
  let n = BigInt(Math.floor((performance.timeOrigin + performance.now()) * 1e6)) * 1000n;
  if (n <= lastNanos) n = lastNanos + 1n;
  lastNanos = n;
  return n.toString(16);
}

interface Seen {
  namespace: string;
  name: string;
  count: number;
}

export class KubeletEventRecorder implements EventRecorder {
  readonly #events: ResourceApi;
  readonly #host: string;
  readonly #o: EventRecorderOptions;
  readonly #seen = new Map<string, Seen>();
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  /** Writes run one at a time, in order, so counts of repeats add up. */
  #chain: Promise<void> = Promise.resolve();

  constructor(events: ResourceApi, host: string, options: EventRecorderOptions = {}) {
    this.#events = events;
    this.#host = host;
    this.#o = options;
  }

  /** Resolves when every event recorded so far has been written (tests, shutdown). */
  flush(): Promise<void> {
    return this.#chain;
  }

  event(obj: EventObjectRef, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const component = this.#o.component ?? 'kubelet';
    const objKey = [component, this.#host, obj.kind, obj.namespace ?? '', obj.name, obj.uid ?? '', obj.apiVersion ?? ''].join('\u0000');
    if (!this.#allow(objKey)) return;
    const key = [objKey, obj.fieldPath ?? '', type, reason, message].join('\u0000');
    this.#chain = this.#chain.then(() =>
      this.#write(key, obj, type, reason, message, component).catch((err) =>
        this.#o.log?.warn('event write failed', { object: `${obj.namespace ?? ''}/${obj.name}`, reason, error: err instanceof Error ? err.message : String(err) }),
      ),
    );
  }

  #allow(objKey: string): boolean {
    const burst = this.#o.burst ?? 25;
    if (burst <= 0) return true;
    const refill = this.#o.refillMs ?? 300_000;
    const now = Date.now();
    const b = this.#buckets.get(objKey) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + Math.floor((now - b.at) / refill));
    if (Math.floor((now - b.at) / refill) > 0) b.at = now;
    this.#buckets.delete(objKey);
    this.#buckets.set(objKey, b);
    this.#trim(this.#buckets);
    if (b.tokens < 1) return false;
    b.tokens--;
    return true;
  }

  #trim(m: Map<string, unknown>) {
    const max = this.#o.cacheSize ?? 4096;
    while (m.size > max) m.delete(m.keys().next().value!);
  }

  async #write(key: string, obj: EventObjectRef, type: string, reason: string, message: string, component: string): Promise<void> {
    const now = kubeTime(new Date());
    const seen = this.#seen.get(key);
    if (seen) {
      try {
        await this.#events.patch(seen.namespace, seen.name, 'strategic', { count: seen.count + 1, lastTimestamp: now, message });
        seen.count++;
        this.#seen.delete(key);
        this.#seen.set(key, seen);
        return;
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
        this.#seen.delete(key); // expired (TTL): start over
      }
    }
    const namespace = obj.namespace || 'default';
    const name = `${obj.name}.${hexNanos()}`;
    const involvedObject: Record<string, string> = { kind: obj.kind, name: obj.name };
    if (obj.namespace) involvedObject.namespace = obj.namespace;
    if (obj.uid) involvedObject.uid = obj.uid;
    if (obj.apiVersion) involvedObject.apiVersion = obj.apiVersion;
    if (obj.fieldPath) involvedObject.fieldPath = obj.fieldPath;
    try {
      await this.#events.create(namespace, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject,
        reason,
        message,
        type,
        source: { component, host: this.#host },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        eventTime: null,
        reportingComponent: component,
        reportingInstance: this.#host,
      });
    } catch (err) {
      // AlreadyExists and a terminating namespace are not retried (the kubelet drops them too)
      if (err instanceof ApiError && (err.code === 409 || err.code === 403)) return;
      throw err;
    }
    this.#seen.set(key, { namespace, name, count: 1 });
    this.#trim(this.#seen);
  }
}
