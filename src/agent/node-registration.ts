/**
 * Registers this agent's Node (kubelet's registerWithAPIServer): create it with labels, addresses, capacity and
 * conditions; when it already exists (agent restart) keep it and reconcile labels + status.
 *
 *   const node = await registerNode(client.nodes, facts, { ready: true });
 */
import type { KubeObject } from '../api/object.ts';
import type { ResourceApi } from '../client/client.ts';
import { ApiError } from '../machinery/api-error.ts';
import { nodeConditions, type NodeHealth, type NodeCondition } from './node-conditions.ts';
import type { NodeFacts } from './node-info.ts';
import type { EventRecorder } from './agent-api.ts';
import { recordConditionChanges } from './node-events.ts';

/** status of the Node for these facts; conditions keep their transition times from `prev`. */
export function nodeStatus(facts: NodeFacts, health: NodeHealth, prev: NodeCondition[] | undefined, now = new Date()): Record<string, unknown> {
  return {
    addresses: facts.addresses,
    allocatable: facts.allocatable,
    capacity: facts.capacity,
    conditions: nodeConditions(prev, health, now),
    daemonEndpoints: { kubeletEndpoint: { Port: facts.agentPort } },
    nodeInfo: facts.nodeInfo,
  };
}

export function nodeObject(facts: NodeFacts, health: NodeHealth, now = new Date()): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: facts.nodeName,
      labels: { ...facts.labels },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: {},
    status: nodeStatus(facts, health, undefined, now),
  };
}

/** Creates the Node, or adopts the existing one (labels merged, status refreshed). Returns the Node as stored. */
export async function registerNode(nodes: ResourceApi, facts: NodeFacts, health: NodeHealth, recorder?: EventRecorder): Promise<KubeObject> {
  try {
    const created = await nodes.create(undefined, nodeObject(facts, health), { fieldManager: 'kubelet' });
    if (recorder) recordConditionChanges(recorder, facts.nodeName, undefined, created.status?.conditions ?? []);
    return created;
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 409)) throw err;
  }
  const existing = await nodes.get(undefined, facts.nodeName);
  const labels = existing.metadata.labels ?? {};
  const missing = Object.entries(facts.labels).filter(([k, v]) => labels[k] !== v);
  if (missing.length) {
    await nodes.patch(undefined, facts.nodeName, 'strategic', { metadata: { labels: Object.fromEntries(missing) } }, { fieldManager: 'kubelet' });
  }
  const updated = await nodes.patchStatus(
    undefined,
    facts.nodeName,
    'strategic',
    { status: nodeStatus(facts, health, existing.status?.conditions) },
    { fieldManager: 'kubelet' },
  );
  if (recorder) recordConditionChanges(recorder, facts.nodeName, existing.status?.conditions, updated.status?.conditions ?? []);
  return updated;
}
