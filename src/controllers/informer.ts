import type { KubeObject } from '../api/object.ts';
import type { ResourceApi } from '../client/client.ts';
import type { WatchHandle } from '../registry/rest.ts';

export interface InformerHandlers {
  /** An object appeared (first list, or created later). */
  onAdd?(obj: KubeObject): void;
  onUpdate?(obj: KubeObject, old: KubeObject): void;
  /** An object is gone (DELETED, or missing from a re-list). */
  onDelete?(obj: KubeObject): void;
}

export interface Informer {
  /** The objects known right now, by `namespace/name`. */
  readonly cache: ReadonlyMap<string, KubeObject>;
  /** Resolves once the first list has been delivered. */
  readonly synced: Promise<void>;
  stop(): void;
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

/**
 * client-go's reflector in miniature: list, then watch from the list's resourceVersion; an ERROR (410 Expired)
 * or a failed watch re-lists, reporting what changed meanwhile.
 *
 *   const inf = startInformer(client.namespaces, undefined, {}, { onUpdate: (ns) => queue.add(ns.metadata.name) });
 *   await inf.synced;
 */
export function startInformer(
  client: ResourceApi,
  namespace: string | undefined,
  selectors: { labelSelector?: string; fieldSelector?: string },
  handlers: InformerHandlers,
  retryMs = 1000,
): Informer {
  const cache = new Map<string, KubeObject>();
  let watch: WatchHandle | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((resolve) => (markSynced = resolve));

  const safe = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      console.error(`informer ${client.info.plural}: handler failed:`, err);
    }
  };

  const restart = () => {
    watch?.stop();
    watch = undefined;
    if (stopped) return;
    timer = setTimeout(() => void run(), retryMs);
    timer.unref?.();
  };

  const run = async () => {
    if (stopped) return;
    try {
      const list = await client.listAll(namespace, selectors);
      if (stopped) return;
      const seen = new Set<string>();
      for (const obj of list.items) {
        const k = keyOf(obj);
        seen.add(k);
        const old = cache.get(k);
        cache.set(k, obj);
        if (!old) safe(() => handlers.onAdd?.(obj));
        else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) safe(() => handlers.onUpdate?.(obj, old));
      }
      for (const [k, old] of [...cache]) {
        if (seen.has(k)) continue;
        cache.delete(k);
        safe(() => handlers.onDelete?.(old));
      }
      markSynced();
      watch = await client.watch(
        namespace,
        { ...selectors, resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true },
        (type, object) => {
          if (stopped) return;
          if (type === 'ERROR') return restart();
          if (type === 'BOOKMARK') return;
          const obj = object as KubeObject;
          const k = keyOf(obj);
          const old = cache.get(k);
          if (type === 'DELETED') {
            cache.delete(k);
            safe(() => handlers.onDelete?.(obj));
          } else {
            cache.set(k, obj);
            safe(() => (old ? handlers.onUpdate?.(obj, old) : handlers.onAdd?.(obj)));
          }
        },
      );
      if (stopped) watch.stop();
    } catch (err) {
      if (!stopped) console.error(`informer ${client.info.plural}: list/watch failed, retrying:`, err instanceof Error ? err.message : err);
      restart();
    }
  };
  void run();

  return {
    cache,
    synced,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      watch?.stop();
    },
  };
}
