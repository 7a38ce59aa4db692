/**
 * A simulated node (kubemark's hollow kubelet): a registered Node with a Lease, status heartbeats and capacity, whose
 * pods go Pending → Running with a pod IP from the node's podCIDR and ready containers — no containers exist. A pod
 * being deleted is confirmed deleted at once. For scale and scheduler tests without root or containerd.
 *
 *   const sim = await startSimulatedNode({ api: client, nodeName: 'n1-sim-0', dataDir });
 *   await sim.stop();
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/object.ts';
import { log as defaultLog, type Logger } from '../apiserver/log.ts';
import type { ClusterApi } from '../client/client.ts';
import type { ResourceClient } from '../client/local-client.ts';
import { startInformer, type Informer } from '../controllers/informer.ts';
import type { AgentApi } from './agent-api.ts';
import { KubeletEventRecorder } from './event-recorder.ts';
import { gatherNodeFacts, type NodeFacts } from './node-info.ts';
import { startNodeLease } from './node-lease.ts';
import { registerNode } from './node-registration.ts';
import { recordAllocatableEnforced, recordNodeStart } from './node-events.ts';
import { startNodeStatus } from './node-status.ts';
import { agentApi } from './rest-agent-api.ts';
import { waitForPodCidr } from './pod-cidr.ts';
import { kubeTime } from './node-conditions.ts';

export interface SimulatedNodeOptions {
  api: ClusterApi;
  nodeName: string;
  dataDir: string;
  /** InternalIP to report (default 127.0.0.1). */
  address?: string;
  /** Ms between a pod appearing and it Running (default 200). */
  startDelayMs?: number;
  leaseMs?: number;
  statusCheckMs?: number;
  log?: Logger;
}

export interface SimulatedNode {
  nodeName: string;
  podCidr: string;
  stop(): Promise<void>;
}

export const NETWORK_NOT_READY =
  'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

const hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** The informer takes the in-process client type; every ResourceApi offers what it uses (listAll, watch, info). */
export const informerOver = (api: ClusterApi['pods'], fieldSelector: string, handlers: Parameters<typeof startInformer>[3]): Informer =>
  startInformer(api as unknown as ResourceClient, undefined, { fieldSelector }, handlers);

/** host addresses .2–.254 of an IPv4 /24 (.1 is the bridge/gateway). */
export function podIpPool(cidr: string): string[] {
  const m = /^(\d+\.\d+\.\d+)\.0\/24$/.exec(cidr);
  if (!m) throw new Error(`pod CIDR ${JSON.stringify(cidr)}: a simulated node wants an IPv4 /24`);
  return Array.from({ length: 253 }, (_, i) => `${m[1]}.${i + 2}`);
}

/** The status a running pod would have: every container running and ready, init containers completed. */
export function runningPodStatus(pod: KubeObject, hostIP: string, podIP: string, now: Date, prev?: Record<string, unknown>): Record<string, unknown> {
  const t = kubeTime(now);
  const startTime = (prev?.startTime as string | undefined) ?? t;
  const image = (c: { image?: string }) => c.image ?? '';
  const imageID = (c: { image?: string }) => `${image(c).split(':')[0]}@sha256:${hex(image(c))}`;
  const cid = (name: string) => `containerd://${hex(`${pod.metadata.uid}/${name}`)}`;
  const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: t });
  const status: Record<string, unknown> = {
    phase: 'Running',
    conditions: [cond('PodReadyToStartContainers'), cond('Initialized'), cond('Ready'), cond('ContainersReady'), cond('PodScheduled')],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime,
    qosClass: (prev?.qosClass as string | undefined) ?? pod.status?.qosClass ?? 'BestEffort',
    containerStatuses: (pod.spec?.containers ?? []).map((c: { name: string; image?: string }) => ({
      name: c.name,
      state: { running: { startedAt: t } },
      lastState: {},
      ready: true,
      restartCount: 0,
      image: image(c),
      imageID: imageID(c),
      containerID: cid(c.name),
      started: true,
    })),
  };
  const inits = pod.spec?.initContainers ?? [];
  if (inits.length) {
    status.initContainerStatuses = inits.map((c: { name: string; image?: string }) => ({
      name: c.name,
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: startTime, finishedAt: t, containerID: cid(c.name) } },
      lastState: {},
      ready: true,
      restartCount: 0,
      image: image(c),
      imageID: imageID(c),
      containerID: cid(c.name),
      started: false,
    }));
  }
  return status;
}

/** The first status of a pod being started: Pending, containers waiting in ContainerCreating. */
export function pendingPodStatus(pod: KubeObject, hostIP: string, now: Date): Record<string, unknown> {
  const t = kubeTime(now);
  const names = (pod.spec?.containers ?? []).map((c: { name: string }) => c.name).join(' ');
  const notReady = { status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${names}]`, lastProbeTime: null, lastTransitionTime: t };
  return {
    phase: 'Pending',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'False', lastProbeTime: null, lastTransitionTime: t },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      { type: 'Ready', ...notReady },
      { type: 'ContainersReady', ...notReady },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t },
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: t,
    containerStatuses: (pod.spec?.containers ?? []).map((c: { name: string; image?: string }) => ({
      name: c.name,
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: c.image ?? '',
      imageID: '',
      started: false,
    })),
  };
}

export async function startSimulatedNode(o: SimulatedNodeOptions): Promise<SimulatedNode> {
  const log = o.log ?? defaultLog;
  const hostIP = o.address ?? '127.0.0.1';
  const facts: NodeFacts = await gatherNodeFacts({
    nodeName: o.nodeName,
    dataDir: o.dataDir,
    runtimeVersion: 'containerd://1.6.20-simulated',
    address: hostIP,
    simulated: true,
    cpu: 4,
    memoryBytes: 16 * 1024 ** 3,
    ephemeralBytes: 100 * 1024 ** 3,
  });
  let networkReady = false;
  const recorder = new KubeletEventRecorder(o.api.events, o.nodeName, { log });
  recordNodeStart(recorder, o.nodeName);
  const node = await registerNode(o.api.nodes, facts, { ready: false, notReadyMessage: NETWORK_NOT_READY }, recorder);
  recordAllocatableEnforced(recorder, o.nodeName);
  const lease = startNodeLease({ leases: o.api.leases, nodeName: o.nodeName, nodeUid: node.metadata.uid, intervalMs: o.leaseMs, log });
  const status = startNodeStatus({
    nodes: o.api.nodes,
    facts: () => facts,
    health: () => ({ ready: networkReady, notReadyMessage: NETWORK_NOT_READY }),
    initial: node.status?.conditions,
    checkMs: o.statusCheckMs,
    recorder,
    log,
  });
  let informer: Informer | undefined;
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const stopAll = async () => {
    stopped = true;
    informer?.stop();
    for (const t of timers) clearTimeout(t);
    lease.stop();
    status.stop();
    await recorder.flush();
  };
  const api: AgentApi = agentApi(o.api.pods);

  let podCidr: string;
  try {
    podCidr = await waitForPodCidr(o.api.nodes, o.nodeName, () => stopped);
  } catch (err) {
    await stopAll();
    throw err;
  }
  networkReady = true;
  status.kick();

  const pool = podIpPool(podCidr);
  const ipByUid = new Map<string, string>();
  const inUse = new Set<string>();
  const starting = new Set<string>();
  /** uids reported Running: later (possibly stale, reordered) events do not start them again */
  const started = new Set<string>();
  const release = (uid: string) => {
    const ip = ipByUid.get(uid);
    if (ip) inUse.delete(ip);
    ipByUid.delete(uid);
  };
  const podKey = (p: KubeObject) => `${p.metadata.namespace}/${p.metadata.name}`;

  const sync = (pod: KubeObject) => {
    if (stopped) return;
    const uid = pod.metadata.uid ?? '';
    if (pod.metadata.deletionTimestamp) {
      starting.delete(uid);
      void api
        .deletePod(pod.metadata.namespace ?? '', pod.metadata.name ?? '', uid)
        .then(() => release(uid))
        .catch((err) => log.warn('simulated node: delete confirmation failed', { node: o.nodeName, pod: podKey(pod), uid, error: String(err) }));
      return;
    }
    const phase = pod.status?.phase;
    const ip = pod.status?.podIP as string | undefined;
    if (ip && (phase === 'Running' || phase === 'Succeeded' || phase === 'Failed')) {
      // adopted (agent restart) or already reported
      if (!ipByUid.has(uid) && pool.includes(ip)) {
        ipByUid.set(uid, ip);
        inUse.add(ip);
      }
      started.add(uid);
      return;
    }
    if (starting.has(uid) || started.has(uid)) return;
    starting.add(uid);
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const ref = { kind: 'Pod', namespace: ns, name, uid, apiVersion: 'v1' };
    void (async () => {
      try {
        await api.patchPodStatus(ns, name, pendingPodStatus(pod, hostIP, new Date()));
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, o.startDelayMs ?? 200);
          timers.add(t);
        });
        if (stopped || !starting.has(uid)) return;
        let podIP = ipByUid.get(uid);
        if (!podIP) {
          podIP = pool.find((a) => !inUse.has(a));
          if (!podIP) throw new Error(`no free pod IP in ${podCidr}`);
          inUse.add(podIP);
          ipByUid.set(uid, podIP);
        }
        for (const c of pod.spec?.containers ?? []) {
          const fieldPath = `spec.containers{${c.name}}`;
          recorder.event({ ...ref, fieldPath }, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
          recorder.event({ ...ref, fieldPath }, 'Normal', 'Created', `Created container: ${c.name}`);
          recorder.event({ ...ref, fieldPath }, 'Normal', 'Started', `Started container ${c.name}`);
        }
        const current = informer?.cache.get(`${ns}/${name}`);
        if (!current || current.metadata.uid !== uid || current.metadata.deletionTimestamp) return;
        await api.patchPodStatus(ns, name, runningPodStatus(pod, hostIP, podIP, new Date(), current.status));
        started.add(uid);
      } catch (err) {
        log.warn('simulated node: pod start failed', { node: o.nodeName, pod: `${ns}/${name}`, uid, error: err instanceof Error ? err.message : String(err) });
      } finally {
        starting.delete(uid);
      }
    })();
  };

  informer = informerOver(o.api.pods, `spec.nodeName=${o.nodeName}`, {
    onAdd: sync,
    onUpdate: sync,
    onDelete: (p) => {
      starting.delete(p.metadata.uid ?? '');
      started.delete(p.metadata.uid ?? '');
      release(p.metadata.uid ?? '');
    },
  });
  await informer.synced;
  log.info('simulated node ready', { node: o.nodeName, podCIDR: podCidr });
  return { nodeName: o.nodeName, podCidr, stop: stopAll };
}
