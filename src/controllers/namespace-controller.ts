import type { KubeObject } from '../api/object.ts';
import type { LocalClient } from '../client/local-client.ts';
import { isApiError } from '../machinery/api-error.ts';
import { rfc3339 } from '../registry/timestamps.ts';
import { startInformer } from './informer.ts';

const FINALIZER = 'kubernetes';
/** Deletes in flight per resource while emptying a namespace. */
const DELETE_WORKERS = 16;

/** How often a namespace whose content is still going away (graceful pods) is looked at again. */
export const namespaceControllerTiming = { requeueMs: 1000 };

interface Condition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

/** The five deletion conditions, in upstream's order, with their healthy (False) forms. */
const HEALTHY: Condition[] = [
  { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  { type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  { type: 'NamespaceContentRemaining', status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
  { type: 'NamespaceFinalizersRemaining', status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
];

/**
 * The namespace controller (pkg/controller/namespace): for every namespace being deleted that still carries the
 * `kubernetes` finalizer, delete all namespaced content the way a client would (pods gracefully when bound),
 * record the deletion conditions (§7.4), and once nothing is left remove the finalizer through /finalize,
 * which removes the namespace.
 *
 *   const c = startNamespaceController(new LocalClient(registry));
 *   c.stop();
 */
export function startNamespaceController(client: LocalClient): { stop(): void } {
  const queue = new Set<string>();
  const running = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const wanted = (ns: KubeObject) =>
    !!ns.metadata.deletionTimestamp && Array.isArray(ns.spec?.finalizers) && ns.spec.finalizers.includes(FINALIZER);

  const enqueue = (name: string) => {
    if (stopped) return;
    if (running.has(name)) {
      queue.add(name); // picked up again when the current pass ends
      return;
    }
    running.add(name);
    void work(name);
  };

  const work = async (name: string) => {
    let again = false;
    try {
      again = await syncNamespace(client, name);
    } catch (err) {
      if (!stopped) console.error(`namespace-controller: ns/${name}: ${err instanceof Error ? err.message : String(err)}`);
      again = true;
    } finally {
      running.delete(name);
    }
    if (stopped) return;
    if (queue.delete(name)) enqueue(name);
    else if (again) {
      const t = setTimeout(() => {
        timers.delete(t);
        enqueue(name);
      }, namespaceControllerTiming.requeueMs);
      t.unref?.();
      timers.add(t);
    }
  };

  const informer = startInformer(client.namespaces, undefined, {}, {
    onAdd: (ns) => wanted(ns) && enqueue(ns.metadata.name!),
    onUpdate: (ns) => wanted(ns) && enqueue(ns.metadata.name!),
  });

  return {
    stop() {
      stopped = true;
      informer.stop();
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

/**
 * One pass over a terminating namespace. Returns true when it must be looked at again (content still going away).
 */
export async function syncNamespace(client: LocalClient, name: string): Promise<boolean> {
  let ns: KubeObject;
  try {
    ns = await client.namespaces.get(undefined, name);
  } catch (err) {
    if (isApiError(err) && err.code === 404) return false;
    throw err;
  }
  const finalizers: string[] = Array.isArray(ns.spec?.finalizers) ? ns.spec.finalizers : [];
  if (!ns.metadata.deletionTimestamp || !finalizers.includes(FINALIZER)) return false;

  const remaining: string[] = [];
  const byFinalizer = new Map<string, number>();
  const failures: string[] = [];
  for (const resource of client.resources()) {
    if (!resource.info.namespaced) continue;
    const list = await resource.listAll(name);
    let left = 0;
    const deleteOne = async (item: KubeObject) => {
      try {
        const r = await resource.delete(name, item.metadata.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: item.metadata.uid } });
        const body = r.body as KubeObject;
        // Still there: a graceful pod or an object with finalizers.
        if (body.kind !== 'Status' && body.metadata?.deletionTimestamp && (await stillExists(resource, name, item))) {
          left++;
          for (const f of body.metadata.finalizers ?? []) byFinalizer.set(f, (byFinalizer.get(f) ?? 0) + 1);
        }
      } catch (err) {
        if (isApiError(err) && (err.code === 404 || err.code === 409)) return; // gone, or recreated: next pass
        failures.push(err instanceof Error ? err.message : String(err));
        left++;
      }
    };
    // Like apiserver's DeleteCollection workers: several deletes in flight (the store batches their commits).
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(DELETE_WORKERS, list.items.length) }, async () => {
        while (next < list.items.length) await deleteOne(list.items[next++]!);
      }),
    );
    if (left > 0) remaining.push(`${resource.info.plural}.${resource.info.group} has ${left} resource instances`);
  }

  const problems = new Map<string, Condition>();
  if (failures.length > 0) {
    problems.set('NamespaceDeletionContentFailure', {
      type: 'NamespaceDeletionContentFailure',
      status: 'True',
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${failures.length} remaining: ${failures.join(', ')}`,
    });
  }
  if (remaining.length > 0) {
    problems.set('NamespaceContentRemaining', {
      type: 'NamespaceContentRemaining',
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: `Some resources are remaining: ${remaining.sort().join(', ')}`,
    });
  }
  if (byFinalizer.size > 0) {
    const parts = [...byFinalizer].map(([f, n]) => `${f} in ${n} resource instances`).sort();
    problems.set('NamespaceFinalizersRemaining', {
      type: 'NamespaceFinalizersRemaining',
      status: 'True',
      reason: 'SomeFinalizersRemain',
      message: `Some content in the namespace has finalizers remaining: ${parts.join(', ')}`,
    });
  }
  ns = await writeConditions(client, ns, problems);

  if (remaining.length > 0 || failures.length > 0) return true;
  // Everything is gone: drop our finalizer; with none left the registry removes the namespace.
  const next = structuredClone(ns);
  next.spec = { ...(next.spec ?? {}), finalizers: finalizers.filter((f) => f !== FINALIZER) };
  try {
    await client.namespaces.finalize(next);
  } catch (err) {
    if (isApiError(err) && err.code === 404) return false;
    if (isApiError(err) && err.code === 409) return true;
    throw err;
  }
  return false;
}

async function stillExists(resource: LocalClient['pods'], namespace: string, item: KubeObject): Promise<boolean> {
  try {
    const cur = await resource.get(namespace, item.metadata.name ?? '');
    return cur.metadata.uid === item.metadata.uid;
  } catch (err) {
    if (isApiError(err) && err.code === 404) return false;
    throw err;
  }
}

/** namespaceConditionUpdater: all five types, lastTransitionTime moving only when a status flips. */
async function writeConditions(client: LocalClient, ns: KubeObject, problems: Map<string, Condition>): Promise<KubeObject> {
  const old: Condition[] = Array.isArray(ns.status?.conditions) ? ns.status.conditions : [];
  const now = rfc3339();
  const conditions = HEALTHY.map((healthy) => {
    const want = problems.get(healthy.type) ?? healthy;
    const prev = old.find((c) => c.type === want.type);
    const lastTransitionTime = prev && prev.status === want.status && prev.lastTransitionTime ? prev.lastTransitionTime : now;
    return { type: want.type, status: want.status, lastTransitionTime, reason: want.reason, message: want.message };
  });
  const same =
    old.length === conditions.length &&
    conditions.every((c, i) => old[i]!.type === c.type && old[i]!.status === c.status && old[i]!.reason === c.reason && old[i]!.message === c.message);
  if (same) return ns;
  const next = structuredClone(ns);
  next.status = { ...(next.status ?? {}), conditions };
  try {
    return await client.namespaces.updateStatus(next);
  } catch (err) {
    // Someone wrote in between: the next pass rewrites them.
    if (isApiError(err) && err.code === 409) return client.namespaces.get(undefined, ns.metadata.name ?? '');
    throw err;
  }
}
