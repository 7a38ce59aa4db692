import type { KubeObject } from '../api/object.ts';
import type { LocalClient } from '../client/local-client.ts';
import { isApiError } from '../machinery/api-error.ts';
import { startInformer } from './informer.ts';

export interface EventTtlOptions {
  /** Lifetime after the last write (kube-apiserver --event-ttl, default 1 h). */
  ttlMs?: number;
  /** How often expired events are looked for. */
  sweepMs?: number;
  now?: () => number;
}

/**
 * Events expire `ttlMs` after their last write (etcd leases in Kubernetes; a sweeper here). Writes seen live re-arm
 * the clock; events found by a (re)list are dated by their own newest timestamp.
 *
 *   const ttl = startEventTtl(client, { ttlMs: 3_600_000 });
 *   ttl.stop();
 */
export function startEventTtl(client: LocalClient, options: EventTtlOptions = {}): { stop(): void; sweep(): Promise<number> } {
  const ttlMs = options.ttlMs ?? 3_600_000;
  const now = options.now ?? Date.now;
  const lastWrite = new Map<string, { at: number; uid: string | undefined; namespace: string; name: string }>();
  let listed = false;

  const key = (e: KubeObject) => `${e.metadata.namespace}/${e.metadata.name}`;
  const remember = (e: KubeObject, at: number) =>
    lastWrite.set(key(e), { at, uid: e.metadata.uid, namespace: e.metadata.namespace ?? '', name: e.metadata.name ?? '' });

  const informer = startInformer(client.events, undefined, {}, {
    onAdd: (e) => remember(e, listed ? now() : (newestTimestamp(e) ?? now())),
    onUpdate: (e) => remember(e, now()),
    onDelete: (e) => lastWrite.delete(key(e)),
  });
  void informer.synced.then(() => (listed = true));

  const sweep = async (): Promise<number> => {
    let removed = 0;
    const cutoff = now() - ttlMs;
    for (const [k, entry] of [...lastWrite]) {
      if (entry.at > cutoff) continue;
      try {
        await client.events.delete(entry.namespace, entry.name, entry.uid ? { preconditions: { uid: entry.uid } } : {});
        removed++;
      } catch (err) {
        if (!(isApiError(err) && (err.code === 404 || err.code === 409))) throw err;
      }
      if (lastWrite.get(k) === entry) lastWrite.delete(k);
    }
    return removed;
  };

  const timer = setInterval(() => {
    sweep().catch((err) => console.error(`event-ttl: sweep failed: ${err instanceof Error ? err.message : String(err)}`));
  }, options.sweepMs ?? 60_000);
  timer.unref?.();

  return {
    stop() {
      clearInterval(timer);
      informer.stop();
    },
    sweep,
  };
}

/** The newest of an event's own timestamps (creationTimestamp when it has none), in ms. */
function newestTimestamp(e: KubeObject): number | undefined {
  const candidates = [e.lastTimestamp, e.series?.lastObservedTime, e.eventTime, e.firstTimestamp];
  let best: number | undefined;
  for (const c of candidates) {
    if (typeof c !== 'string' || !c) continue;
    const t = Date.parse(c);
    if (!Number.isNaN(t) && (best === undefined || t > best)) best = t;
  }
  if (best !== undefined) return best;
  const created = Date.parse(e.metadata.creationTimestamp ?? '');
  return Number.isNaN(created) ? undefined : created;
}
