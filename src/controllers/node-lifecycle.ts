/**
 * Node lifecycle (kube-controller-manager's node lifecycle controller, simplified): a node whose Lease has not been
 * renewed for the grace period (40 s) gets every condition set to Unknown (reason NodeStatusUnknown, "Kubelet stopped
 * posting node status.") and the taints node.kubernetes.io/unreachable:NoSchedule + NoExecute; its pods turn
 * Ready=False, and are deleted once their toleration of the NoExecute taint runs out (300 s by default). Once the
 * agent posts Ready=True again the taints are removed.
 *
 *   const lifecycle = startNodeLifecycle(client);   // LocalClient
 */
import type { KubeObject } from '../api/object.ts';
import { log as defaultLog, type Logger } from '../apiserver/log.ts';
import type { LocalClient } from '../client/local-client.ts';
import { startInformer } from './informer.ts';

export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

export interface NodeLifecycleOptions {
  /** How long without a lease renewal before a node is Unknown (default 40 s). */
  gracePeriodMs?: number;
  /** How often nodes are checked (default 5 s). */
  monitorMs?: number;
  log?: Logger;
}

interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

const kubeTime = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

export function startNodeLifecycle(client: LocalClient, o: NodeLifecycleOptions = {}): { stop(): void } {
  const log = o.log ?? defaultLog;
  const grace = o.gracePeriodMs ?? 40_000;
  /** node name → when we last saw its lease change (our clock, as the real controller does) */
  const probe = new Map<string, { renewTime?: string; seenAt: number }>();
  const busy = new Set<string>();

  const sawLease = (lease: KubeObject) => {
    const name = lease.metadata.name ?? '';
    const renewTime = lease.spec?.renewTime;
    const prev = probe.get(name);
    if (!prev || prev.renewTime !== renewTime) probe.set(name, { renewTime, seenAt: Date.now() });
  };
  /** The node controller's legacy events (RegisteredNode, NodeNotReady), fire-and-forget. */
  const nodeEvent = (node: KubeObject, reason: string, message: string) => {
    const now = kubeTime(new Date());
    const name = node.metadata.name ?? '';
    client.events
      .create('default', {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${name}.${(BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1e6))).toString(16)}`, namespace: 'default' },
        involvedObject: { kind: 'Node', name, uid: node.metadata.uid, apiVersion: 'v1' },
        reason,
        message,
        type: 'Normal',
        source: { component: 'node-controller' },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        reportingComponent: 'node-controller',
        reportingInstance: '',
      })
      .catch((err) => log.debug('node lifecycle: event failed', { node: name, reason, error: err instanceof Error ? err.message : String(err) }));
  };

  const leases = startInformer(client.leases, 'kube-node-lease', {}, { onAdd: sawLease, onUpdate: sawLease });
  const nodes = startInformer(client.nodes, undefined, {}, {
    onAdd: (n) => {
      const name = n.metadata.name ?? '';
      if (!probe.has(name)) probe.set(name, { seenAt: Date.now() });
      nodeEvent(n, 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
    },
    onDelete: (n) => probe.delete(n.metadata.name ?? ''),
  });

  const check = async (node: KubeObject) => {
    const name = node.metadata.name ?? '';
    const seen = probe.get(name) ?? { seenAt: Date.now() };
    if (!probe.has(name)) probe.set(name, seen);
    const conditions: Record<string, string>[] = node.status?.conditions ?? [];
    const ready = conditions.find((c) => c.type === 'Ready');
    const taints: Taint[] = node.spec?.taints ?? [];
    const hasTaint = taints.some((t) => t.key === UNREACHABLE_TAINT);
    const expired = Date.now() - seen.seenAt > grace;

    if (expired && ready?.status !== 'Unknown') {
      const now = kubeTime(new Date());
      const types = conditions.length ? conditions.map((c) => c.type) : ['Ready'];
      const unknown = types.map((type) => {
        const old = conditions.find((c) => c.type === type);
        return {
          type,
          status: 'Unknown',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
          lastHeartbeatTime: old?.lastHeartbeatTime ?? now,
          lastTransitionTime: now,
        };
      });
      await client.nodes.patchStatus(undefined, name, 'strategic', { status: { conditions: unknown } }, { fieldManager: 'node-lifecycle-controller' });
      log.info('node lifecycle: node stopped posting status', { node: name });
      nodeEvent(node, 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      await markPodsNotReady(name);
    }
    const unreachable = expired || ready?.status === 'Unknown';
    if (unreachable && !hasTaint) {
      const now = kubeTime(new Date());
      const next = [...taints, { key: UNREACHABLE_TAINT, effect: 'NoSchedule' }, { key: UNREACHABLE_TAINT, effect: 'NoExecute', timeAdded: now }];
      await client.nodes.patch(undefined, name, 'merge', { spec: { taints: next } }, { fieldManager: 'node-lifecycle-controller' });
    } else if (!unreachable && ready?.status === 'True' && hasTaint) {
      const next = taints.filter((t) => t.key !== UNREACHABLE_TAINT);
      await client.nodes.patch(undefined, name, 'merge', { spec: { taints: next.length ? next : null } }, { fieldManager: 'node-lifecycle-controller' });
      log.info('node lifecycle: node is reachable again', { node: name });
    }
  };

  /** MarkPodsNotReady: the pods of a silent node are no longer Ready (endpoints drop them). */
  const markPodsNotReady = async (nodeName: string) => {
    const pods = await client.pods.listAll(undefined, { fieldSelector: `spec.nodeName=${nodeName}` });
    const now = kubeTime(new Date());
    for (const pod of pods.items) {
      const ready = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
      if (!ready || ready.status === 'False' || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      await client.pods
        .patchStatus(pod.metadata.namespace, pod.metadata.name ?? '', 'strategic', {
          status: { conditions: [{ type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: now }] },
        })
        .catch((err) => log.debug('node lifecycle: mark pod not ready failed', { pod: `${pod.metadata.namespace}/${pod.metadata.name}`, error: String(err) }));
    }
  };

  /**
   * Taint-based eviction: pods on a node with the unreachable:NoExecute taint are deleted once their toleration of it
   * runs out (tolerationSeconds, 300 s by default admission); pods without one at once.
   */
  const evict = async (node: KubeObject) => {
    const taint = (node.spec?.taints ?? []).find((t: Taint) => t.key === UNREACHABLE_TAINT && t.effect === 'NoExecute') as Taint | undefined;
    if (!taint) return;
    const since = taint.timeAdded ? Date.parse(taint.timeAdded) : Date.now();
    const pods = await client.pods.listAll(undefined, { fieldSelector: `spec.nodeName=${node.metadata.name}` });
    for (const pod of pods.items) {
      if (pod.metadata.deletionTimestamp) continue;
      const tol = (pod.spec?.tolerations ?? []).find(
        (t: { key?: string; operator?: string; effect?: string }) =>
          (!t.effect || t.effect === 'NoExecute') && (t.operator === 'Exists' ? !t.key || t.key === UNREACHABLE_TAINT : t.key === UNREACHABLE_TAINT),
      ) as { tolerationSeconds?: number } | undefined;
      if (tol && tol.tolerationSeconds === undefined) continue; // tolerates forever
      const after = (tol?.tolerationSeconds ?? 0) * 1000;
      if (Date.now() - since < after) continue;
      const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
      await client.pods
        .delete(pod.metadata.namespace, pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid } })
        .then(() => log.info('node lifecycle: evicted pod from unreachable node', { pod: key, node: node.metadata.name }))
        .catch((err) => log.debug('node lifecycle: eviction failed', { pod: key, error: String(err) }));
      const now = kubeTime(new Date());
      await client.events
        .create(pod.metadata.namespace, {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name: `${pod.metadata.name}.${(BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1e6))).toString(16)}`, namespace: pod.metadata.namespace },
          involvedObject: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid, apiVersion: 'v1' },
          reason: 'TaintManagerEviction',
          message: `Marking for deletion Pod ${key}`,
          type: 'Normal',
          source: { component: 'taint-eviction-controller' },
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          reportingComponent: 'taint-eviction-controller',
          reportingInstance: '',
        })
        .catch(() => {});
    }
  };

  const monitor = () => {
    for (const node of nodes.cache.values()) {
      const name = node.metadata.name ?? '';
      if (busy.has(name)) continue;
      busy.add(name);
      check(node)
        .then(() => evict(nodes.cache.get(`/${name}`) ?? node))
        .catch((err) => log.warn('node lifecycle: update failed', { node: name, error: err instanceof Error ? err.message : String(err) }))
        .finally(() => busy.delete(name));
    }
  };
  const timer = setInterval(monitor, o.monitorMs ?? 5000);
  timer.unref();

  return {
    stop() {
      clearInterval(timer);
      leases.stop();
      nodes.stop();
    },
  };
}
