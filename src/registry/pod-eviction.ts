/**
 * POST pods/<name>/eviction (pkg/registry/core/pod/storage/eviction.go, without PodDisruptionBudgets): marks the pod
 * with DisruptionTarget=True (EvictionByEvictionAPI) and deletes it with the DeleteOptions carried in the policy/v1
 * Eviction; answers 201 with a Success Status. `kubectl drain` uses it to empty a node.
 *
 *   addEvictionSubresource(pods);   // pods: the pods GenericRest
 *   // POST /api/v1/namespaces/default/pods/web/eviction
 *   //   {"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"web"},"deleteOptions":{"gracePeriodSeconds":0}}
 */
import type { KubeObject } from '../api/object.ts';
import type { Status } from '../machinery/api-error.ts';
import { ApiError, badRequestError } from '../machinery/api-error.ts';
import type { GenericRest } from './generic-rest.ts';
import type { DeleteOptions, ResourceRest, SubresourceRest, WriteOptions } from './rest.ts';
import { rfc3339 } from './timestamps.ts';

export const EVICTION_CONDITION = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };

export function podEvictionRest(pods: ResourceRest): SubresourceRest {
  return {
    async create(namespace: string | undefined, name: string, body: KubeObject, options: WriteOptions): Promise<Status> {
      const meta = body.metadata ?? {};
      if (meta.name && meta.name !== name) throw badRequestError('name in URL does not match name in Eviction object');
      const given: DeleteOptions = (body.deleteOptions ?? {}) as DeleteOptions;
      const del: DeleteOptions = {};
      if (given.gracePeriodSeconds !== undefined && given.gracePeriodSeconds !== null) del.gracePeriodSeconds = given.gracePeriodSeconds;
      if (given.preconditions) del.preconditions = { ...given.preconditions };
      if (given.propagationPolicy) del.propagationPolicy = given.propagationPolicy;
      if (given.orphanDependents !== undefined) del.orphanDependents = given.orphanDependents;
      const dryRun = options.dryRun || (Array.isArray(given.dryRun) && given.dryRun.includes('All'));
      if (dryRun) del.dryRun = ['All'];

      const pod = await pods.get(namespace, name); // 404 for a missing pod
      const phase = pod.status?.phase;
      const status = pods.subresource?.('status');
      if (!dryRun && phase !== 'Succeeded' && phase !== 'Failed' && status?.patch && !pod.metadata.deletionTimestamp) {
        const cond = { ...EVICTION_CONDITION, lastProbeTime: null, lastTransitionTime: rfc3339() };
        await status.patch(namespace, name, 'strategic', { status: { conditions: [cond] } }, { ...options, warnings: [] }).catch((err: unknown) => {
          if (!(err instanceof ApiError && err.code === 404)) throw err;
        });
      }
      await pods.delete(namespace, name, del, { ...options, dryRun });
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
    },
  };
}

/** Registers `eviction` on the pods resource (the API table lists `pods/eviction` for discovery). */
export function addEvictionSubresource(podsRest: GenericRest): void {
  podsRest.addSubresource('eviction', podEvictionRest(podsRest));
}
