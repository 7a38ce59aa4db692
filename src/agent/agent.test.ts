// A real agent on a real containerd against an in-process control plane (with node IPAM, the binder and node
// lifecycle): registration with the runtime's version, podCIDR → CNI conflist (per-node bridge, ipMasq off), lease,
// and the claim that pod containers outlive the agent's containerd. Skips unless root with containerd/runc/CNI.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { silentLogger } from '../apiserver/log.ts';
import { startControlPlane, type ControlPlane } from '../cli/server.ts';
import { RestClient } from '../client/rest-client.ts';
import { removeCgroup } from '../cri/cgroups.ts';
import { CNI_CONFLIST_FILE } from '../cri/cni-config.ts';
import { startContainerd } from '../cri/containerd-process.ts';
import type { PodSandboxConfig } from '../cri/cri-types.ts';
import { unmountUnder } from '../cri/mounts.ts';
import { BUSYBOX_IMAGE, WEB_IMAGE, WEB_PORT, ensureTestImages } from '../cri/test-images.ts';
import { runtimeSkipReason } from '../cri/test-node.ts';
import type { KubeObject } from '../api/object.ts';
import { startAgent, bridgeName, type Agent } from './agent.ts';
import { agentSecret } from './agent-server.ts';
import { proxyPodLog } from './log-proxy.ts';
import { kubectlEnv } from '../../test/e2e/cluster.ts';

const skip = runtimeSkipReason();
const id = randomBytes(3).toString('hex');
const nodeName = `agent-test-${id}`;
const cgroupParent = `/k8ts-agent-test-${id}`;
let dir: string;
let cp: ControlPlane;
let admin: RestClient;
let agent: Agent | undefined;

function freeSlash16(): string {
  const used = execFileSync('ip', ['-4', '-o', 'addr'], { encoding: 'utf8' }) + execFileSync('ip', ['-4', 'route'], { encoding: 'utf8' });
  for (let i = 0; i < 100; i++) {
    const octet = 100 + (randomBytes(1)[0]! % 100);
    if (!used.includes(`10.${octet}.`)) return `10.${octet}.0.0/16`;
  }
  throw new Error('no free 10.100-199.0.0/16 for the test cluster');
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), `k8ts-agent-${id}-`));
  // the control plane's node IPAM hands out /24s of K8TS_CLUSTER_CIDR: a /16 nothing on this machine uses
  process.env.K8TS_CLUSTER_CIDR = freeSlash16();
  cp = await startControlPlane({ dataDir: join(dir, 'server'), port: 0, log: silentLogger });
  delete process.env.K8TS_CLUSTER_CIDR;
  admin = new RestClient({ server: cp.url, token: cp.nodeToken, insecure: true });
});

after(async () => {
  if (skip) return;
  await agent?.stop().catch(() => {});
  // remove every sandbox through a containerd on the agent's data dir, then the rest
  const agentDir = join(dir, 'agent');
  if (existsSync(join(agentDir, 'containerd'))) {
    const ctrd = await startContainerd({ dataDir: agentDir, log: () => {}, restart: false });
    for (const sb of await ctrd.cri.listPodSandbox()) {
      await ctrd.cri.stopPodSandbox(sb.id).catch(() => {});
      await ctrd.cri.removePodSandbox(sb.id).catch(() => {});
    }
    await ctrd.stop();
  }
  try {
    execFileSync('ip', ['link', 'del', bridgeName(nodeName)], { stdio: 'ignore' });
  } catch {
    // not created
  }
  await removeCgroup(cgroupParent).catch(() => {});
  unmountUnder(dir);
  admin?.close();
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a real agent registers, gets its podCIDR, writes the CNI config and renews its lease', { skip, timeout: 120_000 }, async () => {
  const t0 = performance.now();
  agent = await startAgent({
    server: cp.url,
    token: cp.nodeToken,
    dataDir: join(dir, 'agent'),
    nodeName,
    agentPort: 0,
    agentBindAddress: '127.0.0.1',
    nodeIp: '127.0.0.1',
    ipMasq: false,
    cgroupParent,
    log: silentLogger,
  });
  const startMs = performance.now() - t0;
  assert.ok(agent.agentPort && agent.agentPort > 0);
  const node = await admin.nodes.get(undefined, nodeName);
  assert.match(node.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\/\d/);
  assert.equal(node.status.daemonEndpoints.kubeletEndpoint.Port, agent.agentPort);
  assert.equal(node.spec.podCIDR, agent.podCidr);
  const conf = JSON.parse(readFileSync(join(dir, 'agent', 'cni', 'net.d', CNI_CONFLIST_FILE), 'utf8'));
  assert.equal(conf.plugins[0].bridge, bridgeName(nodeName));
  assert.equal(conf.plugins[0].ipMasq, false);
  assert.deepEqual(conf.plugins[0].ipam.ranges, [[{ subnet: agent.podCidr }]]);
  // Ready once the network is configured (the status loop is kicked at once)
  for (let i = 0; i < 50; i++) {
    const n = await admin.nodes.get(undefined, nodeName);
    if (n.status.conditions.find((c: { type: string }) => c.type === 'Ready')?.status === 'True') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const ready = (await admin.nodes.get(undefined, nodeName)).status.conditions.find((c: { type: string }) => c.type === 'Ready');
  assert.equal(ready.status, 'True', JSON.stringify(ready));
  const lease = await admin.leases.get('kube-node-lease', nodeName);
  assert.equal(lease.spec.holderIdentity, nodeName);
  assert.equal(lease.metadata.ownerReferences?.[0]?.uid, node.metadata.uid);
  const cri = await agent.containerd!.cri.status();
  assert.equal(cri.status?.conditions.find((c) => c.type === 'NetworkReady')?.status, true);
  process.stderr.write(`# agent start to ready: ${startMs.toFixed(0)} ms\n`);
});

test('a pod bound to the node runs through the pod workers, and its logs come through the agent server', { skip, timeout: 120_000 }, async () => {
  assert.ok(agent?.containerd, 'first test started the agent');
  const { cri, binaries, socket } = agent.containerd;
  await ensureTestImages({ cri, ctr: binaries.ctr, socket });
  await admin.pods.create('default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'hello', namespace: 'default' },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 1,
      // stdout and stderr are separate pipes: only a pause between them fixes their order in the log.
      containers: [{ name: 'sh', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo hello; sleep 0.3; echo oops >&2; exec sleep 300'] }],
    },
  });
  let pod: KubeObject | undefined;
  for (let i = 0; i < 150 && pod?.status?.phase !== 'Running'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    pod = await admin.pods.get('default', 'hello');
  }
  assert.equal(pod?.status?.phase, 'Running', JSON.stringify(pod?.status));
  assert.ok(pod!.status.podIP.startsWith(agent.podCidr!.split('.').slice(0, 3).join('.')));

  const fetchLogs = (query: string) =>
    new Promise<{ status: number; body: string }>((resolve) => {
      let body = '';
      let status = 0;
      const res = {
        headersSent: false,
        writeHead(code: number) {
          status = code;
          this.headersSent = true;
        },
        write(c: Buffer | string) {
          body += c;
          return true;
        },
        end(c?: string) {
          if (c) body += c;
          resolve({ status, body });
        },
        on() {},
        destroy() {
          resolve({ status, body });
        },
      };
      void proxyPodLog('127.0.0.1', agent!.agentPort!, agentSecret(cp.nodeToken), 'default', 'hello', 'sh', query, res);
    });
  let logs = { status: 0, body: '' };
  for (let i = 0; i < 50 && !logs.body.includes('oops'); i++) {
    logs = await fetchLogs('');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(logs.status, 200);
  assert.equal(logs.body, 'hello\noops\n');
  assert.match((await fetchLogs('tailLines=1&timestamps=true')).body, /^\d{4}-\d\d-\d\dT[\d:.]+Z oops\n$/);
  const prev = await fetchLogs('previous=true');
  assert.equal(prev.status, 400);
  assert.equal(JSON.parse(prev.body).message, 'previous terminated container "sh" in pod "hello" not found');

  // the same through kubectl → API server (node proxy) → agent → containerd
  // (async: the API server runs in this process)
  const kubectl = (args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      execFile('kubectl', ['--kubeconfig', cp.kubeconfigPath, ...args], { encoding: 'utf8', env: kubectlEnv(join(dir, 'home')), timeout: 30_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, out: `${stdout}${stderr}` }),
      );
    });
  mkdirSync(join(dir, 'home'), { recursive: true });
  assert.deepEqual(await kubectl(['logs', 'hello']), { code: 0, out: 'hello\noops\n' });
  assert.deepEqual(await kubectl(['logs', 'hello', '--previous']), { code: 1, out: 'Error from server (BadRequest): previous terminated container "sh" in pod "hello" not found\n' });
  assert.deepEqual(await kubectl(['exec', 'hello', '--', 'sh', '-c', 'echo from-exec; hostname']), { code: 0, out: 'from-exec\nhello\n' });
  const failing = await kubectl(['exec', 'hello', '--', 'sh', '-c', 'exit 3']);
  assert.equal(failing.code, 3, failing.out);

  await admin.pods.delete('default', 'hello');
  for (let i = 0; i < 100 && (await admin.pods.getOrUndefined('default', 'hello')); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await admin.pods.getOrUndefined('default', 'hello'), undefined, 'the agent confirmed the deletion');
});

test('kubectl port-forward reaches a pod through the agent', { skip, timeout: 120_000 }, async () => {
  assert.ok(agent?.containerd, 'first test started the agent');
  await admin.pods.create('default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { nodeName, terminationGracePeriodSeconds: 1, containers: [{ name: 'web', image: WEB_IMAGE, imagePullPolicy: 'IfNotPresent' }] },
  });
  for (let i = 0; i < 150; i++) {
    const p = await admin.pods.get('default', 'web');
    if (p.status?.phase === 'Running') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const child = spawn('kubectl', ['--kubeconfig', cp.kubeconfigPath, 'port-forward', 'pod/web', `0:${WEB_PORT}`], { env: kubectlEnv(join(dir, 'home')) });
  try {
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no forwarding line: ${out}`)), 20_000);
      const onData = (c: Buffer) => {
        out += c;
        const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(Number(m[1]));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
    });
    const body = await new Promise<string>((resolve, reject) => {
      httpGet(`http://127.0.0.1:${port}/`, (res) => {
        let b = '';
        res.on('data', (c) => (b += c));
        res.on('end', () => resolve(b));
      }).on('error', reject);
    });
    assert.equal(body.trim(), 'web');
  } finally {
    child.kill();
    await admin.pods.delete('default', 'web', { gracePeriodSeconds: 0 }).catch(() => {});
  }
});

test('a container keeps running when the agent (and its containerd) stops, and a new containerd still sees it', { skip, timeout: 120_000 }, async () => {
  assert.ok(agent?.containerd, 'first test started the agent');
  const { cri, binaries, socket } = agent.containerd;
  await ensureTestImages({ cri, ctr: binaries.ctr, socket });
  const uid = `uid-${id}`;
  const logDir = join(dir, 'agent', 'logs', 'pods', `default_survivor_${uid}`);
  mkdirSync(logDir, { recursive: true });
  const sandbox: PodSandboxConfig = {
    metadata: { name: 'survivor', uid, namespace: 'default', attempt: 0 },
    hostname: 'survivor',
    log_directory: logDir,
    labels: { 'k8ts.io/test': 'agent' },
    linux: { cgroup_parent: `${cgroupParent}/pod${uid}` },
  };
  const podId = await cri.runPodSandbox(sandbox);
  const cid = await cri.createContainer(
    podId,
    { metadata: { name: 'sleep', attempt: 0 }, image: { image: BUSYBOX_IMAGE }, command: ['sleep', '300'], log_path: 'sleep/0.log', linux: {} },
    sandbox,
  );
  await cri.startContainer(cid);
  const info = JSON.parse((await cri.containerStatus(cid, true)).info.info ?? '{}');
  const pid: number = info.pid;
  assert.ok(pid > 0, 'container pid');

  await agent.stop();
  agent = undefined;
  assert.doesNotThrow(() => process.kill(pid, 0), 'the container process survives the agent stop');

  const ctrd = await startContainerd({ dataDir: join(dir, 'agent'), log: () => {}, restart: false });
  try {
    const st = await ctrd.cri.containerStatus(cid);
    assert.equal(st.status?.state, 'CONTAINER_RUNNING');
  } finally {
    await ctrd.stop();
  }
});
