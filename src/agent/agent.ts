/**
 * The agent (our kubelet), composed: containerd (spawned, own config) + pause image → register the Node → Lease and
 * status loops → wait for the podCIDR → CNI conflist → adopt the pods already on this node → watch pods with
 * `spec.nodeName=<node>` into the pod workers → the log server on --agent-port.
 * With `simulate: N` it runs N simulated nodes `<name>-sim-<i>` instead (no containerd, no root).
 *
 *   const agent = await startAgent({ server: 'https://127.0.0.1:6443', tokenFile: '/var/lib/k8ts/node-token', dataDir });
 *   await agent.stop();   // loops and containerd stop; pod containers keep running (their shims stay)
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { log as defaultLog, type Logger } from '../apiserver/log.ts';
import { configFromToken, loadKubeconfig, RestClient, type RestConfig } from '../client/rest-client.ts';
import type { Informer } from '../controllers/informer.ts';
import { writeCniConfig } from '../cri/cni-config.ts';
import { startContainerd, type ContainerdProcess } from '../cri/containerd-process.ts';
import { ensurePauseImage } from '../cri/pause-image.ts';
import { agentSecret, startAgentServer, type AgentServer } from './agent-server.ts';
import { KubeletEventRecorder } from './event-recorder.ts';
import { gatherNodeFacts } from './node-info.ts';
import { startNodeLease, type NodeLease } from './node-lease.ts';
import { registerNode } from './node-registration.ts';
import { recordAllocatableEnforced, recordNodeStart } from './node-events.ts';
import { startNodeStatus, type NodeStatusLoop } from './node-status.ts';
import { waitForPodCidr } from './pod-cidr.ts';
import { PodWorkers, type PodSyncDeps } from './pods/pod-workers.ts';
import { agentApi } from './rest-agent-api.ts';
import { informerOver, NETWORK_NOT_READY, startSimulatedNode, type SimulatedNode } from './simulated-node.ts';

export interface AgentOptions {
  /** https://host:port of the API server. */
  server?: string;
  /** Bearer token (or tokenFile): the node join token, DATA/node-token on the server. */
  token?: string;
  tokenFile?: string;
  /** A kubeconfig instead of server + token (its server wins unless `server` is given). */
  kubeconfig?: string;
  /** CA of the API server's certificate; without it (token join) the server certificate is not verified. */
  caFile?: string;
  dataDir: string;
  /** Default: the hostname. */
  nodeName?: string;
  /** Run this many simulated nodes instead of a real one. */
  simulate?: number;
  /** The log server's port (default 10250; 0 = any free port) and bind address (default 0.0.0.0). */
  agentPort?: number;
  agentBindAddress?: string;
  /** The InternalIP the Node reports (kubelet --node-ip); the API server reaches the agent there. */
  nodeIp?: string;
  /** Masquerade pod traffic leaving the node (default true; K8TS_CNI_IPMASQ=false turns it off, as tests do). */
  ipMasq?: boolean;
  log?: Logger;
  /** Lease renewal / status check periods (tests shorten them). */
  leaseMs?: number;
  statusCheckMs?: number;
  /** cgroupfs parent of the pod cgroups (default: the pod sync's, /k8ts). */
  cgroupParent?: string;
}

export interface Agent {
  /** The real node's name, or the base name of the simulated ones. */
  nodeName: string;
  /** Every node this agent runs. */
  nodes: string[];
  client: RestClient;
  /** The log server's port (real node only). */
  agentPort?: number;
  containerd?: ContainerdProcess;
  podCidr?: string;
  stop(): Promise<void>;
}

/** The per-node bridge: `k8ts-` + 8 hex of the node name, so several agents on one machine do not share one. */
export const bridgeName = (nodeName: string) => `k8ts-${createHash('sha256').update(nodeName).digest('hex').slice(0, 8)}`;

export const ipMasqDefault = () => process.env.K8TS_CNI_IPMASQ !== 'false';

async function restConfig(o: AgentOptions): Promise<RestConfig> {
  if (o.kubeconfig) {
    const cfg = await loadKubeconfig(o.kubeconfig);
    if (o.server) cfg.server = o.server;
    return cfg;
  }
  if (!o.server) throw new Error('the agent needs --server URL (or --kubeconfig FILE)');
  // an agent sharing the server's data dir (`k8ts up`, or a node on the server's machine) verifies with its CA
  const localCa = join(resolve(o.dataDir), 'pki', 'ca.crt');
  const caFile = o.caFile ?? (existsSync(localCa) ? localCa : undefined);
  if (o.token) return { server: o.server, token: o.token, ...(caFile ? { ca: await readFile(caFile) } : { insecure: true }) };
  if (!o.tokenFile) throw new Error('the agent needs --token-file FILE (or --kubeconfig FILE)');
  return configFromToken(o.server, o.tokenFile, caFile);
}

export async function startAgent(o: AgentOptions): Promise<Agent> {
  const log = o.log ?? defaultLog;
  const dataDir = resolve(o.dataDir);
  const nodeName = (o.nodeName ?? os.hostname()).toLowerCase();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const client = new RestClient({ ...(await restConfig(o)), userAgent: `k8ts-agent/${nodeName}` });
  if (client.config.insecure) log.warn('no CA for the API server (--ca-file): its certificate is not verified', { server: client.config.server });
  const cleanups: (() => Promise<void> | void)[] = [() => client.close()];
  const runCleanups = async () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (err) {
        log.warn('agent shutdown step failed', { node: nodeName, error: err instanceof Error ? err.message : String(err) });
      }
    }
  };

  try {
    if (o.simulate && o.simulate > 0) {
      const sims: SimulatedNode[] = [];
      cleanups.push(() => Promise.all(sims.map((s) => s.stop())).then(() => {}));
      const names = Array.from({ length: o.simulate }, (_, i) => `${nodeName}-sim-${i}`);
      const started = await Promise.all(
        names.map((name) => startSimulatedNode({ api: client, nodeName: name, dataDir, log, leaseMs: o.leaseMs, statusCheckMs: o.statusCheckMs })),
      );
      sims.push(...started);
      log.info('agent ready (simulated nodes)', { nodes: names.join(','), server: client.config.server });
      return { nodeName, nodes: names, client, stop: runCleanups };
    }
    return await startRealNode(o, { client, nodeName, dataDir, log, cleanups, runCleanups });
  } catch (err) {
    await runCleanups();
    throw err;
  }
}

interface RealNodeContext {
  client: RestClient;
  nodeName: string;
  dataDir: string;
  log: Logger;
  cleanups: (() => Promise<void> | void)[];
  runCleanups: () => Promise<void>;
}

async function startRealNode(o: AgentOptions, c: RealNodeContext): Promise<Agent> {
  const { client, nodeName, dataDir, log, cleanups } = c;
  const t0 = performance.now();
  const phases: Record<string, number> = {};
  let tp = t0;
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = Math.round(now - tp);
    tp = now;
  };

  // 1. the runtime
  const ctrd = await startContainerd({
    dataDir,
    log: (event, fields) => {
      if (event === 'exited' || event === 'restarting' || event === 'restart-failed' || event === 'spawn-error') log.warn(`containerd ${event}`, { node: nodeName, ...fields });
      else log.debug(`containerd ${event}`, { node: nodeName, ...fields });
    },
  });
  // containerd is our child: stopping it leaves the shims, so pod containers keep running across a restart
  cleanups.push(() => ctrd.stop());
  phase('containerd');
  await ensurePauseImage({ cri: ctrd.cri, ctr: ctrd.binaries.ctr, socket: ctrd.socket });
  const version = await ctrd.cri.version();
  const runtimeVersion = `${version.runtime_name || 'containerd'}://${version.runtime_version}`;
  phase('pauseImage');

  // 2. the log server (its port goes into the Node's daemonEndpoints)
  let pods: Informer | undefined;
  const secret = agentSecret(client.config.token ?? nodeName);
  const logDir = join(dataDir, 'logs', 'pods');
  await mkdir(logDir, { recursive: true });
  const server: AgentServer = await startAgentServer({
    port: o.agentPort ?? 10250,
    host: o.agentBindAddress ?? '0.0.0.0',
    secret,
    logDir,
    cri: ctrd.cri,
    certDir: join(dataDir, 'agent-pki'),
    pod: (ns, name) => pods?.cache.get(`${ns}/${name}`),
    log,
  });
  cleanups.push(() => server.close());
  phase('agentServer');

  // 3. the Node, its Lease and status
  const factsOptions = { nodeName, dataDir, runtimeVersion, agentPort: server.port, ...(o.nodeIp ? { address: o.nodeIp } : {}) };
  const facts = await gatherNodeFacts(factsOptions);
  let networkReady = false;
  const recorder = new KubeletEventRecorder(client.events, nodeName, { log });
  cleanups.push(() => recorder.flush());
  recordNodeStart(recorder, nodeName);
  const node = await registerNode(client.nodes, facts, { ready: false, notReadyMessage: NETWORK_NOT_READY }, recorder);
  recordAllocatableEnforced(recorder, nodeName);
  const lease: NodeLease = startNodeLease({ leases: client.leases, nodeName, nodeUid: node.metadata.uid, intervalMs: o.leaseMs, log });
  cleanups.push(() => lease.stop());
  const status: NodeStatusLoop = startNodeStatus({
    nodes: client.nodes,
    facts: () => gatherNodeFacts(factsOptions),
    health: () =>
      ctrd.pid === undefined
        ? { ready: false, notReadyMessage: 'container runtime is down' }
        : { ready: networkReady, notReadyMessage: NETWORK_NOT_READY },
    initial: node.status?.conditions,
    checkMs: o.statusCheckMs,
    recorder,
    log,
  });
  cleanups.push(() => status.stop());
  phase('register');

  // 4. the pod network
  let stopped = false;
  cleanups.push(() => void (stopped = true));
  const podCidr = await waitForPodCidr(client.nodes, nodeName, () => stopped);
  writeCniConfig(ctrd.paths.cniConfDir, { bridge: bridgeName(nodeName), subnet: podCidr, ipMasq: o.ipMasq ?? ipMasqDefault(), ipamDataDir: ctrd.paths.ipamDataDir });
  networkReady = true;
  status.kick();
  phase('podCidr');

  // 5. pods: adopt what runs, then follow the API
  const hostIP = facts.addresses.find((a) => a.type === 'InternalIP')?.address;
  const deps: PodSyncDeps = { cri: ctrd.cri, nodeName, dataDir, podCidr, client: agentApi(client.pods), recorder, logDir, hostIP, log };
  if (o.cgroupParent) deps.cgroupParent = o.cgroupParent;
  const workers = new PodWorkers(deps);
  cleanups.push(() => workers.stop());
  const selector = `spec.nodeName=${nodeName}`;
  const existing = await client.pods.listAll(undefined, { fieldSelector: selector });
  await workers.adoptExisting(existing.items);
  pods = informerOver(client.pods, selector, {
    onAdd: (p) => workers.sync(p),
    onUpdate: (p) => workers.sync(p),
    onDelete: (p) => workers.remove(p.metadata.uid ?? ''),
  });
  cleanups.push(() => pods?.stop());
  await pods.synced;
  phase('pods');
  log.info('agent ready', {
    node: nodeName,
    podCIDR: podCidr,
    server: client.config.server,
    agentPort: server.port,
    adopted: existing.items.length,
    ms: Math.round(performance.now() - t0),
    phases,
  });
  return { nodeName, nodes: [nodeName], client, agentPort: server.port, containerd: ctrd, podCidr, stop: c.runCleanups };
}
