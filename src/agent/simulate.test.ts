import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../api/object.ts';
import { silentLogger } from '../apiserver/log.ts';
import { startControlPlane, type ControlPlane } from '../cli/server.ts';
import { RestClient } from '../client/rest-client.ts';
import { startAgent, type Agent } from './agent.ts';

let dir: string;
let cp: ControlPlane;
let agent: Agent;
let admin: RestClient;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8ts-sim-'));
  cp = await startControlPlane({ dataDir: join(dir, 'server'), port: 0, log: silentLogger });
  // the control plane runs node IPAM, node lifecycle and the binder (scheduler stand-in)
  admin = new RestClient({ server: cp.url, token: cp.nodeToken, insecure: true });
});
after(async () => {
  await agent?.stop();
  admin?.close();
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('--simulate 3: nodes register Ready with leases and podCIDRs; pods run with IPs; deletion is confirmed', async () => {
  agent = await startAgent({ server: cp.url, token: cp.nodeToken, dataDir: join(dir, 'agent'), nodeName: 'sim', simulate: 3, log: silentLogger });
  assert.deepEqual(agent.nodes, ['sim-sim-0', 'sim-sim-1', 'sim-sim-2']);

  const nodes = await until('3 Ready nodes', async () => {
    const list = await admin.nodes.list(undefined);
    const ready = list.items.filter((n) => n.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'));
    return ready.length === 3 && ready;
  });
  const cidrs = nodes.map((n) => n.spec.podCIDR);
  assert.equal(new Set(cidrs).size, 3);
  for (const n of nodes) {
    const lease = await admin.leases.get('kube-node-lease', n.metadata.name!);
    assert.equal(lease.spec.holderIdentity, n.metadata.name);
  }

  const pod = (name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'web', image: 'k8ts.local/web:1' }] },
  });
  for (let i = 0; i < 6; i++) await admin.pods.create('default', pod(`p${i}`));
  const running = await until('6 Running pods', async () => {
    const list = await admin.pods.list('default');
    return list.items.length === 6 && list.items.every((p) => p.status?.phase === 'Running' && p.status.podIP) && list.items;
  });
  const byNode = new Map(nodes.map((n) => [n.metadata.name, n.spec.podCIDR as string]));
  const ips = new Set<string>();
  for (const p of running) {
    const cidr = byNode.get(p.spec.nodeName)!;
    assert.ok(p.status.podIP.startsWith(cidr.replace(/0\/24$/, '')), `${p.status.podIP} in ${cidr}`);
    ips.add(p.status.podIP);
    assert.equal(p.status.containerStatuses[0].ready, true);
    assert.ok(p.status.conditions.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'));
  }
  assert.equal(ips.size, 6);
  assert.equal(new Set(running.map((p) => p.spec.nodeName)).size, 3, 'spread over the 3 nodes');

  // graceful delete (30 s default) is confirmed by the node at once
  await admin.pods.delete('default', 'p0');
  await until('p0 gone', async () => (await admin.pods.getOrUndefined('default', 'p0')) === undefined, 5000);

  const events = await until('Started event', async () => {
    const evs = await admin.events.list('default');
    return evs.items.some((e) => e.reason === 'Started' && e.source?.component === 'kubelet') && evs.items;
  });
  assert.ok(events.some((e) => e.reason === 'Scheduled'));
});

test('simulated nodes re-adopt their pods after an agent restart', async () => {
  const before = (await admin.pods.list('default')).items.map((p) => `${p.metadata.name}=${p.status.podIP}`).sort();
  await agent.stop();
  agent = await startAgent({ server: cp.url, token: cp.nodeToken, dataDir: join(dir, 'agent'), nodeName: 'sim', simulate: 3, log: silentLogger });
  await admin.pods.create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'after' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
  const after = await until('after Running', async () => {
    const p = await admin.pods.get('default', 'after');
    return p.status?.phase === 'Running' && p;
  });
  const now = (await admin.pods.list('default')).items.filter((p) => p.metadata.name !== 'after').map((p) => `${p.metadata.name}=${p.status.podIP}`).sort();
  assert.deepEqual(now, before, 'pods keep their IPs');
  assert.ok(!before.some((s) => s.endsWith(`=${after.status.podIP}`)), 'no IP handed out twice');
});
