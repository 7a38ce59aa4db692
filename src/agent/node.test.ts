import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tmpdir } from 'node:os';
import { LocalClient } from '../client/local-client.ts';
import { silentLogger } from '../apiserver/log.ts';
import { createRegistry, type Registry } from '../registry/registry.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { startNodeIpam } from '../controllers/node-ipam.ts';
import { startNodeLifecycle, UNREACHABLE_TAINT } from '../controllers/node-lifecycle.ts';
import { startScheduler } from '../scheduler/scheduler.ts';
import { gatherNodeFacts } from './node-info.ts';
import { registerNode } from './node-registration.ts';
import { startNodeLease, LEASE_NAMESPACE } from './node-lease.ts';
import { startNodeStatus } from './node-status.ts';
import type { KubeObject } from '../api/object.ts';

let store: Store;
let registry: Registry;
let client: LocalClient;
const stops: (() => void)[] = [];

before(async () => {
  store = openSqliteStore(':memory:');
  registry = createRegistry(store);
  await registry.bootstrap();
  client = new LocalClient(registry);
});
after(async () => {
  for (const s of stops.reverse()) s();
  await registry.close();
  await store.close();
});

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const facts = (name: string) => gatherNodeFacts({ nodeName: name, dataDir: tmpdir(), runtimeVersion: 'containerd://1.6.20' });

test('registration creates the Node with kubelet labels, capacity, nodeInfo and conditions; re-registration adopts it', async () => {
  const f = await facts('reg-1');
  const node = await registerNode(client.nodes, f, { ready: true });
  assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], 'reg-1');
  assert.equal(node.metadata.labels?.['kubernetes.io/os'], 'linux');
  assert.equal(node.metadata.labels?.['kubernetes.io/arch'], process.arch === 'x64' ? 'amd64' : process.arch);
  assert.equal(node.status.capacity.pods, '110');
  assert.match(node.status.capacity.memory, /^\d+Ki$/);
  assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.32.4-k8ts');
  assert.equal(node.status.nodeInfo.containerRuntimeVersion, 'containerd://1.6.20');
  assert.deepEqual(node.status.conditions.map((c: { type: string }) => c.type), ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']);
  const ready = node.status.conditions.find((c: { type: string }) => c.type === 'Ready');
  assert.equal(ready.reason, 'KubeletReady');
  assert.equal(ready.message, 'kubelet is posting ready status');
  assert.equal(node.status.addresses[0].type, 'InternalIP');

  // a restart: same uid, transition time kept
  await new Promise((r) => setTimeout(r, 1100));
  const again = await registerNode(client.nodes, f, { ready: true });
  assert.equal(again.metadata.uid, node.metadata.uid);
  const ready2 = again.status.conditions.find((c: { type: string }) => c.type === 'Ready');
  assert.equal(ready2.lastTransitionTime, ready.lastTransitionTime);
  assert.notEqual(ready2.lastHeartbeatTime, ready.lastHeartbeatTime);
});

test('status loop posts a change at once and nothing when unchanged', async () => {
  const f = await facts('st-1');
  const node = await registerNode(client.nodes, f, { ready: true });
  let ready = true;
  const loop = startNodeStatus({ nodes: client.nodes, facts: () => f, health: () => ({ ready, notReadyMessage: 'container runtime is down' }), initial: node.status.conditions, checkMs: 60_000, log: silentLogger });
  stops.push(loop.stop);
  await loop.checkNow();
  assert.equal((await client.nodes.get(undefined, 'st-1')).metadata.resourceVersion, node.metadata.resourceVersion, 'unchanged → no write');
  ready = false;
  await loop.checkNow();
  const n = await client.nodes.get(undefined, 'st-1');
  const r = n.status.conditions.find((c: { type: string }) => c.type === 'Ready');
  assert.equal(r.status, 'False');
  assert.equal(r.reason, 'KubeletNotReady');
  loop.stop();
});

test('lease is created owned by the Node and renewed', async () => {
  const node = await registerNode(client.nodes, await facts('lease-1'), { ready: true });
  const lease = startNodeLease({ leases: client.leases, nodeName: 'lease-1', nodeUid: node.metadata.uid, intervalMs: 60_000, log: silentLogger });
  stops.push(lease.stop);
  const first = await lease.renewNow();
  assert.equal(first.metadata.namespace, LEASE_NAMESPACE);
  assert.equal(first.spec.holderIdentity, 'lease-1');
  assert.equal(first.spec.leaseDurationSeconds, 40);
  assert.match(first.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.deepEqual(first.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'lease-1', uid: node.metadata.uid }]);
  await new Promise((r) => setTimeout(r, 5));
  const second = await lease.renewNow();
  assert.notEqual(second.spec.renewTime, first.spec.renewTime);
  lease.stop();
});

test('IPAM hands out distinct /24s and reuses a deleted node’s range', async () => {
  const ipam = startNodeIpam(client, { log: silentLogger });
  stops.push(ipam.stop);
  for (const n of ['ipam-a', 'ipam-b']) await client.nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: n } });
  const cidrOf = (n: string) => until(`podCIDR of ${n}`, async () => (await client.nodes.get(undefined, n)).spec?.podCIDR as string | undefined);
  const a = await cidrOf('ipam-a');
  const b = await cidrOf('ipam-b');
  assert.match(a, /^10\.42\.\d+\.0\/24$/);
  assert.notEqual(a, b);
  assert.deepEqual((await client.nodes.get(undefined, 'ipam-a')).spec.podCIDRs, [a]);
  // nodes registered before, too
  const others = await client.nodes.list(undefined);
  const all = await Promise.all(others.items.map((n) => cidrOf(n.metadata.name!)));
  assert.equal(new Set(all).size, all.length, `all distinct: ${all}`);
  await client.nodes.delete(undefined, 'ipam-a');
  await new Promise((r) => setTimeout(r, 100));
  await client.nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'ipam-c' } });
  const c = await cidrOf('ipam-c');
  assert.ok(!all.filter((x) => x !== a).includes(c), 'never a range in use');
  ipam.stop();
});

test('lifecycle marks a node without lease renewals Unknown + unreachable, and clears the taint when it is back', async () => {
  const f = await facts('lc-1');
  await registerNode(client.nodes, f, { ready: true });
  const podOn = async (name: string, tolerations: object[]) => {
    await client.pods.create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'lc-1', tolerations, containers: [{ name: 'c', image: 'x' }] } });
    await client.pods.patchStatus('default', name, 'strategic', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
  };
  await podOn('lc-evicted', [{ key: UNREACHABLE_TAINT, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }]);
  await podOn('lc-stays', [{ operator: 'Exists' }]);
  const lc = startNodeLifecycle(client, { gracePeriodMs: 300, monitorMs: 50, log: silentLogger });
  stops.push(lc.stop);
  const node = await until('Unknown', async () => {
    const n = await client.nodes.get(undefined, 'lc-1');
    const r = n.status.conditions.find((c: { type: string }) => c.type === 'Ready');
    return r.status === 'Unknown' && (n.spec?.taints ?? []).some((t: { key: string; effect: string }) => t.key === UNREACHABLE_TAINT && t.effect === 'NoExecute') && n;
  });
  const r = node.status.conditions.find((c: { type: string }) => c.type === 'Ready');
  assert.equal(r.reason, 'NodeStatusUnknown');
  assert.equal(r.message, 'Kubelet stopped posting node status.');
  // its pods: not Ready; the one whose toleration ran out is deleted (graceful: it is Terminating)
  const stays = await until('lc-stays not ready', async () => {
    const p = await client.pods.get('default', 'lc-stays');
    return p.status.conditions.find((c: { type: string }) => c.type === 'Ready').status === 'False' && p;
  });
  assert.equal(stays.metadata.deletionTimestamp, undefined);
  await until('lc-evicted deleted', async () => {
    const p = await client.pods.get('default', 'lc-evicted').catch(() => undefined);
    return !p || !!p.metadata.deletionTimestamp;
  });
  // the agent comes back: lease renewed + Ready posted
  const lease = startNodeLease({ leases: client.leases, nodeName: 'lc-1', intervalMs: 100, log: silentLogger });
  stops.push(lease.stop);
  await registerNode(client.nodes, f, { ready: true });
  await until('taint removed', async () => !((await client.nodes.get(undefined, 'lc-1')).spec?.taints ?? []).length);
  lease.stop();
  lc.stop();
});

test('binder assigns pods round-robin to Ready nodes and records Scheduled events', async () => {
  // a fresh view: only nodes bn-1, bn-2 are ready and untainted
  for (const n of (await client.nodes.list(undefined)).items) await client.nodes.delete(undefined, n.metadata.name!);
  const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
  const binder = startScheduler(client, { log: silentLogger });
  stops.push(binder.stop);
  await client.pods.create('default', pod('early'));
  const waiting = await until('Unschedulable', async () => {
    const p = await client.pods.get('default', 'early');
    return p.status?.conditions?.find((c: { type: string; reason?: string }) => c.type === 'PodScheduled' && c.reason === 'Unschedulable');
  });
  assert.equal(waiting.message, 'no nodes available to schedule pods');
  for (const n of ['bn-1', 'bn-2']) await registerNode(client.nodes, await facts(n), { ready: true });
  await registerNode(client.nodes, await facts('bn-down'), { ready: false });
  for (let i = 0; i < 4; i++) await client.pods.create('default', pod(`p${i}`));
  const placed = await until('all bound', async () => {
    const ps = await client.pods.list('default');
    return ps.items.every((p) => p.spec.nodeName) && ps.items;
  });
  const counts = new Map<string, number>();
  for (const p of placed) counts.set(p.spec.nodeName, (counts.get(p.spec.nodeName) ?? 0) + 1);
  assert.ok(!counts.has('bn-down'));
  assert.ok((counts.get('bn-1') ?? 0) >= 2 && (counts.get('bn-2') ?? 0) >= 2, JSON.stringify([...counts]));
  const events = await until('event', async () => {
    const evs = await client.events.list('default');
    return evs.items.find((e) => e.reason === 'Scheduled' && e.involvedObject.name === 'p0');
  });
  assert.equal(events.message, `Successfully assigned default/p0 to ${placed.find((p) => p.metadata.name === 'p0')!.spec.nodeName}`);
  assert.equal(events.reportingComponent, 'default-scheduler');
  assert.equal(events.action, 'Binding');
  binder.stop();
});
