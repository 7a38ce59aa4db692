/**
 * AgentApi over the API (REST or in-process client): what the pod sync calls to report status and confirm deletions.
 *
 *   const api = agentApi(client.pods);
 *   await api.patchPodStatus('default', 'web', { phase: 'Running', … });
 */
import type { ResourceApi } from '../client/client.ts';
import { ApiError } from '../machinery/api-error.ts';
import type { AgentApi } from './agent-api.ts';

export function agentApi(pods: ResourceApi): AgentApi {
  return {
    async patchPodStatus(ns, name, status) {
      await pods.patchStatus(ns, name, 'strategic', { status }, { fieldManager: 'kubelet' });
    },
    async deletePod(ns, name, uid) {
      try {
        await pods.delete(ns, name, { gracePeriodSeconds: 0, preconditions: { uid } });
      } catch (err) {
        // gone already, or a new pod with the same name (uid precondition failed)
        if (err instanceof ApiError && (err.code === 404 || err.code === 409)) return;
        throw err;
      }
    },
    async getPod(ns, name) {
      try {
        return await pods.get(ns, name);
      } catch (err) {
        if (err instanceof ApiError && err.code === 404) return undefined;
        throw err;
      }
    },
  };
}
