// The scheduler driven by the stock kubectl against three simulated nodes (`k8ts agent --simulate 3`):
// nodeSelector after `kubectl label`, FailedScheduling in `kubectl describe`, taints and tolerations, resource fit,
// cordon, and `kubectl drain` (eviction).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startCluster, eventually, writeManifest, json, k8tsBin, repoRoot } from './cluster.ts';
import type { Cluster } from './cluster.ts';

describe('scheduling', { timeout: 240_000 }, () => {
  let cluster: Cluster;
  let agent: ChildProcess | undefined;
  let agentOut = '';
  let nodes: string[] = [];

  before(async () => {
    cluster = await startCluster();
    agent = spawn(
      process.execPath,
      [k8tsBin, 'agent', '--server', `https://127.0.0.1:${cluster.port}`, '--token-file', join(cluster.dataDir, 'node-token'), '--data-dir', join(cluster.dataDir, 'agent'), '--node-name', 'sim', '--simulate', '3'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    agent.stdout!.setEncoding('utf8').on('data', (c: string) => (agentOut += c));
    agent.stderr!.setEncoding('utf8').on('data', (c: string) => (agentOut += c));
    await eventually(async () => /agent ready/.test(agentOut), 60_000, `agent ready (output: ${agentOut.slice(-2000)})`);
    nodes = await eventually(async () => {
      const list = json(await cluster.kubectl(['get', 'nodes', '-o', 'json']));
      const ready = list.items
        .filter((n: any) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'))
        .map((n: any) => n.metadata.name as string)
        .sort();
      return ready.length === 3 && ready;
    }, 60_000, '3 Ready nodes');
  });

  after(async () => {
    if (agent && agent.exitCode === null) {
      agent.kill('SIGTERM');
      await new Promise((r) => { const t = setTimeout(r, 5000); agent!.once('exit', () => { clearTimeout(t); r(undefined); }); });
      if (agent.exitCode === null) agent.kill('SIGKILL');
    }
    await cluster?.stop();
  });

  const podYaml = (name: string, extra = '', container = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
${extra}  containers:
  - name: app
    image: busybox:1.36
${container}`;

  const create = async (name: string, extra = '', container = '') => {
    await cluster.kubectl(['create', '-f', writeManifest(cluster, `${name}.yaml`, podYaml(name, extra, container))]);
  };
  const nodeOf = async (name: string) => json(await cluster.kubectl(['get', 'pod', name, '-o', 'json'])).spec.nodeName as string | undefined;
  const boundTo = (name: string) => eventually(() => nodeOf(name), 30_000, `${name} bound`);
  const failedScheduling = (name: string, message: RegExp) =>
    eventually<string>(async () => {
      const d = await cluster.kubectl(['describe', 'pod', name]);
      return message.test(d.stdout) ? d.stdout : '';
    }, 30_000, `FailedScheduling for ${name}`);

  test('kubectl label node, then a pod with that nodeSelector lands there', async () => {
    const target = nodes[1]!;
    const r = await cluster.kubectl(['label', 'node', target, 'gpu=true']);
    assert.equal(r.stdout.trim(), `node/${target} labeled`);
    await create('gpu', '  nodeSelector:\n    gpu: "true"\n');
    assert.equal(await boundTo('gpu'), target);
    const d = await cluster.kubectl(['describe', 'pod', 'gpu']);
    assert.match(d.stdout, new RegExp(`Normal\\s+Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned default/gpu to ${target}`));
  });

  test('no matching node: Pending, FailedScheduling in describe, PodScheduled=False; a label later lets it in', async () => {
    await create('ssd', '  nodeSelector:\n    disk: ssd\n');
    const msg = "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    const esc = msg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const d = await failedScheduling('ssd', new RegExp(`Warning\\s+FailedScheduling\\s+\\S+\\s+default-scheduler\\s+${esc}`));
    assert.match(d, /Status:\s+Pending/);
    assert.match(d, /PodScheduled\s+False/);
    const pod = json(await cluster.kubectl(['get', 'pod', 'ssd', '-o', 'json']));
    const cond = pod.status.conditions.find((c: any) => c.type === 'PodScheduled');
    assert.deepEqual([cond.status, cond.reason, cond.message], ['False', 'Unschedulable', msg]);
    await cluster.kubectl(['label', 'node', nodes[2]!, 'disk=ssd']);
    assert.equal(await boundTo('ssd'), nodes[2]);
  });

  test('taints keep pods off unless tolerated', async () => {
    const tainted = nodes[0]!;
    await cluster.kubectl(['label', 'node', tainted, 'role=db']);
    const t = await cluster.kubectl(['taint', 'node', tainted, 'dedicated=db:NoSchedule']);
    assert.equal(t.stdout.trim(), `node/${tainted} tainted`);
    await create('untolerated', '  nodeSelector:\n    role: db\n');
    await failedScheduling('untolerated', /0\/3 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: db\}, 2 node\(s\) didn't match Pod's node affinity\/selector\./);
    await create('tolerated', '  nodeSelector:\n    role: db\n  tolerations:\n  - key: dedicated\n    operator: Equal\n    value: db\n    effect: NoSchedule\n');
    assert.equal(await boundTo('tolerated'), tainted);
    assert.equal(await nodeOf('untolerated'), undefined);
    // removing the taint lets the waiting pod in
    await cluster.kubectl(['taint', 'node', tainted, 'dedicated=db:NoSchedule-']);
    assert.equal(await boundTo('untolerated'), tainted);
  });

  test('resource fit: a pod asking for more cpu than any node has stays Pending (Insufficient cpu)', async () => {
    await create('hungry', '', '    resources:\n      requests:\n        cpu: "64"\n');
    await failedScheduling(
      'hungry',
      /0\/3 nodes are available: 3 Insufficient cpu\. preemption: 0\/3 nodes are available: 3 Preemption is not helpful for scheduling\./,
    );
    assert.equal(await nodeOf('hungry'), undefined);
    await cluster.kubectl(['delete', 'pod', 'hungry', '--wait=false']);
  });

  test('cordon: new pods avoid the node; uncordon lets them back', async () => {
    const cordoned = nodes[0]!;
    const c = await cluster.kubectl(['cordon', cordoned]);
    assert.equal(c.stdout.trim(), `node/${cordoned} cordoned`);
    for (let i = 0; i < 6; i++) await create(`spread-${i}`);
    for (let i = 0; i < 6; i++) assert.notEqual(await boundTo(`spread-${i}`), cordoned);
    await cluster.kubectl(['uncordon', cordoned]);
  });

  test('eviction subresource and kubectl drain', async () => {
    const target = nodes[2]!;
    // POST pods/<name>/eviction answers a Success Status and the pod goes away
    await create('evict-me', `  nodeName: ${target}\n`);
    const body = writeManifest(cluster, 'eviction.json', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'evict-me', namespace: 'default' } });
    const ev = await cluster.kubectl(['create', '--raw', '/api/v1/namespaces/default/pods/evict-me/eviction', '-f', body]);
    assert.equal(json(ev).status, 'Success');
    await eventually(async () => (await cluster.kubectl(['get', 'pod', 'evict-me'], { allowFail: true })).code !== 0, 30_000, 'evict-me gone');

    const discovery = json(await cluster.kubectl(['get', '--raw', '/api/v1']));
    assert.ok(discovery.resources.some((r: any) => r.name === 'pods/eviction' && r.kind === 'Eviction'), 'discovery lists pods/eviction');

    for (const n of ['drain-a', 'drain-b']) await create(n, `  nodeName: ${target}\n`);
    const before = json(await cluster.kubectl(['get', 'pods', '-o', 'json', '--field-selector', `spec.nodeName=${target}`])).items.length;
    assert.ok(before > 0, 'the node has pods to drain');
    const d = await cluster.kubectl(['drain', target, '--ignore-daemonsets', '--force', '--timeout=60s'], { timeoutMs: 90_000 });
    assert.match(d.stdout, new RegExp(`node/${target} cordoned`));
    assert.match(d.stdout, new RegExp(`node/${target} drained`));
    // evicted through pods/eviction (kubectl falls back to plain DELETE, printing "deleted", when discovery lacks it)
    assert.match(d.stdout + d.stderr, /pod\/drain-a evicted/);
    const left = json(await cluster.kubectl(['get', 'pods', '-o', 'json', '--field-selector', `spec.nodeName=${target}`])).items;
    assert.deepEqual(left.map((p: any) => p.metadata.name), []);
    const node = json(await cluster.kubectl(['get', 'node', target, '-o', 'json']));
    assert.equal(node.spec.unschedulable, true);
  });
});
