import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/object.ts';
import { fakeNode, fakePod, requesting } from './fake-cluster.ts';
import { Framework, numFeasibleNodesToFind } from './framework.ts';
import { podInfo } from './pod-info.ts';
import { SchedulerCache } from './scheduler-cache.ts';

function setup(nodes: KubeObject[], bound: Array<[KubeObject, string]> = []) {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.setNode(n);
  for (const [p, n] of bound) cache.addPod(podInfo({ ...p, spec: { ...p.spec, nodeName: n } }), n);
  let i = 0;
  const fw = new Framework(cache, () => [0.99, 0.01][i++ % 2]!);
  return { cache, fw, schedule: (p: KubeObject) => fw.schedule(podInfo(p)) };
}

const messageOf = (r: ReturnType<Framework['schedule']>) => {
  assert.equal(r.node, undefined, `expected no fit, got ${r.node}`);
  return (r as { message: string }).message;
};

test('FitError: histogram sorted as strings, preemption tail, unresolvable vs resolvable', () => {
  const { schedule } = setup(
    [fakeNode('a', { memory: '1Gi' }), fakeNode('b', { memory: '1Gi' }), fakeNode('c', { memory: '8Gi', labels: { disk: 'hdd' } })],
    [[fakePod('x', requesting({ memory: '7Gi' })), 'c']],
  );
  const pod = fakePod('p', { ...requesting({ memory: '2Gi' }), nodeSelector: { disk: 'hdd' } });
  // a and b fail on the selector first (NodeAffinity runs before NodeResourcesFit)
  assert.equal(
    messageOf(schedule(pod)),
    "0/3 nodes are available: 1 Insufficient memory, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
  );
  const big = fakePod('q', { ...requesting({ memory: '9Gi' }), nodeSelector: { disk: 'hdd' } });
  assert.equal(
    messageOf(schedule(big)),
    "0/3 nodes are available: 1 Insufficient memory, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
  );
  assert.equal(messageOf(setup([]).schedule(pod)), 'no nodes available to schedule pods');
  // the brief's example: counts sort as strings ("1 node(s)…" before "2 Insufficient…")
  const ex = setup([fakeNode('a', { memory: '1Gi' }), fakeNode('b', { memory: '1Gi' }), fakeNode('c', { memory: '8Gi' })]);
  const sel = fakePod('e', { ...requesting({ memory: '2Gi' }), affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['c'] }] }] } } } });
  assert.equal(
    messageOf(ex.schedule(sel)),
    "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient memory. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
  );
  const never = fakePod('n', { ...requesting({ memory: '20Gi' }), preemptionPolicy: 'Never' });
  assert.equal(messageOf(setup([fakeNode('a')]).schedule(never)), '0/1 nodes are available: 1 Insufficient memory. preemption: not eligible due to preemptionPolicy=Never.');
});

test('NodeResourcesFit: cpu, memory, ephemeral-storage, extended, pod count, bound pods counted', () => {
  const { schedule } = setup([fakeNode('a', { cpu: '2', pods: '2' })], [[fakePod('x', requesting({ cpu: '1500m' })), 'a']]);
  assert.equal(messageOf(schedule(fakePod('p', requesting({ cpu: '600m' })))).split('.')[0], '0/1 nodes are available: 1 Insufficient cpu');
  assert.equal(schedule(fakePod('p', requesting({ cpu: '500m' }))).node, 'a');
  assert.match(messageOf(schedule(fakePod('p', requesting({ 'ephemeral-storage': '200Gi' })))), /1 Insufficient ephemeral-storage\./);
  assert.match(messageOf(schedule(fakePod('p', requesting({ 'nvidia.com/gpu': '1' })))), /1 Insufficient nvidia\.com\/gpu\./);
  // both cpu and memory short: two reasons from one node
  assert.match(messageOf(schedule(fakePod('p', requesting({ cpu: '1', memory: '17Gi' })))), /available: 1 Insufficient cpu, 1 Insufficient memory\./);
  const full = setup([fakeNode('a', { pods: '1' })], [[fakePod('x'), 'a']]);
  assert.match(messageOf(full.schedule(fakePod('p'))), /available: 1 Too many pods\. preemption: 0\/1 nodes are available: 1 No preemption victims/);
});

test('init containers: max(sum of containers, largest init container) is what must fit', () => {
  const { schedule } = setup([fakeNode('a', { cpu: '1' })]);
  const spec = (init: string) => ({
    initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: init } } }],
    containers: [
      { name: 'c1', image: 'x', resources: { requests: { cpu: '300m' } } },
      { name: 'c2', image: 'x', resources: { requests: { cpu: '300m' } } },
    ],
  });
  assert.equal(schedule(fakePod('p', spec('900m'))).node, 'a');
  assert.match(messageOf(schedule(fakePod('p', spec('1100m')))), /Insufficient cpu/);
});

test('NodeUnschedulable: cordoned nodes are skipped unless the pod tolerates node.kubernetes.io/unschedulable', () => {
  const { schedule } = setup([fakeNode('a', { unschedulable: true })]);
  assert.match(messageOf(schedule(fakePod('p'))), /^0\/1 nodes are available: 1 node\(s\) were unschedulable\. preemption: 0\/1 nodes are available: 1 Preemption is not helpful/);
  const tol = fakePod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
  assert.equal(schedule(tol).node, 'a');
});

test('TaintToleration filter: NoSchedule/NoExecute need a toleration; not-ready nodes get the not-ready taint', () => {
  const { schedule } = setup([fakeNode('a', { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] }), fakeNode('b', { taints: [{ key: 'dedicated', effect: 'NoExecute' }] })]);
  assert.match(messageOf(schedule(fakePod('p'))), /available: 1 node\(s\) had untolerated taint \{dedicated: \}, 1 node\(s\) had untolerated taint \{gpu: yes\}\./);
  assert.equal(schedule(fakePod('p', { tolerations: [{ key: 'gpu', operator: 'Equal', value: 'yes', effect: 'NoSchedule' }] })).node, 'a');
  assert.equal(schedule(fakePod('p', { tolerations: [{ key: 'dedicated', operator: 'Exists' }] })).node, 'b');
  // a wrong value does not tolerate
  assert.equal(schedule(fakePod('p', { tolerations: [{ key: 'gpu', value: 'no', effect: 'NoSchedule' }] })).node, undefined);
  // an empty key with Exists tolerates everything
  assert.ok(schedule(fakePod('p', { tolerations: [{ operator: 'Exists' }] })).node);

  const nr = setup([fakeNode('down', { ready: 'False' }), fakeNode('gone', { ready: 'Unknown' })]);
  assert.match(
    messageOf(nr.schedule(fakePod('p'))),
    /available: 1 node\(s\) had untolerated taint \{node.kubernetes.io\/not-ready: \}, 1 node\(s\) had untolerated taint \{node.kubernetes.io\/unreachable: \}\./,
  );
  assert.equal(nr.schedule(fakePod('p', { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] })).node, 'down');
});

test('NodeAffinity filter: nodeSelector and required terms (In, NotIn, Exists, DoesNotExist, Gt, Lt, matchFields)', () => {
  const { schedule } = setup([
    fakeNode('a', { labels: { zone: 'z1', cores: '8', gpu: 'true' } }),
    fakeNode('b', { labels: { zone: 'z2', cores: '32' } }),
  ]);
  const req = (...terms: unknown[]) => fakePod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
  const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });
  assert.equal(schedule(fakePod('p', { nodeSelector: { gpu: 'true' } })).node, 'a');
  assert.match(messageOf(schedule(fakePod('p', { nodeSelector: { gpu: 'false' } }))), /2 node\(s\) didn't match Pod's node affinity\/selector\. preemption: 0\/2 nodes are available: 2 Preemption is not helpful/);
  assert.equal(schedule(req(expr('zone', 'In', ['z2', 'z9']))).node, 'b');
  assert.equal(schedule(req(expr('zone', 'NotIn', ['z2']))).node, 'a');
  assert.equal(schedule(req(expr('gpu', 'Exists'))).node, 'a');
  assert.equal(schedule(req(expr('gpu', 'DoesNotExist'))).node, 'b');
  assert.equal(schedule(req(expr('cores', 'Gt', ['16']))).node, 'b');
  assert.equal(schedule(req(expr('cores', 'Lt', ['16']))).node, 'a');
  assert.equal(schedule(req({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] })).node, 'b');
  // terms are ORed; expressions inside a term are ANDed
  assert.equal(schedule(req(expr('zone', 'In', ['z9']), expr('cores', 'Gt', ['16']))).node, 'b');
  assert.equal(schedule(req({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }, { key: 'cores', operator: 'Gt', values: ['16'] }] })).node, undefined);
  // an empty term matches nothing
  assert.equal(schedule(req({})).node, undefined);
});

test('NodePorts: a used hostPort (same protocol) rules the node out', () => {
  const withPort = (name: string, port: number, protocol = 'TCP', hostIP?: string) =>
    fakePod(name, { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: port, protocol, ...(hostIP ? { hostIP } : {}) }] }] });
  const { schedule } = setup([fakeNode('a'), fakeNode('b')], [[withPort('x', 8080), 'a']]);
  for (let i = 0; i < 4; i++) assert.equal(schedule(withPort('p', 8080)).node, 'b');
  const one = setup([fakeNode('a')], [[withPort('x', 8080), 'a']]);
  assert.match(messageOf(one.schedule(withPort('p', 8080))), /1 node\(s\) didn't have free ports for the requested pod ports\. preemption: 0\/1 nodes are available: 1 No preemption victims/);
  assert.equal(one.schedule(withPort('p', 8080, 'UDP')).node, 'a');
  const ip = setup([fakeNode('a')], [[withPort('x', 8080, 'TCP', '10.0.0.1'), 'a']]);
  assert.equal(ip.schedule(withPort('p', 8080, 'TCP', '10.0.0.2')).node, 'a');
  assert.equal(ip.schedule(withPort('p', 8080)).node, undefined);
});

test('InterPodAffinity: required affinity and anti-affinity on a topology key, and existing pods\' anti-affinity', () => {
  const nodes = [fakeNode('a', { labels: { zone: 'z1' } }), fakeNode('b', { labels: { zone: 'z1' } }), fakeNode('c', { labels: { zone: 'z2' } })];
  const web = fakePod('web', {}, { app: 'web' });
  const { schedule } = setup(nodes, [[web, 'a']]);
  const term = (app: string, topologyKey = 'zone') => [{ labelSelector: { matchLabels: { app } }, topologyKey }];
  const affinity = fakePod('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('web') } } });
  for (let i = 0; i < 4; i++) assert.match(schedule(affinity).node!, /^[ab]$/);
  const anti = fakePod('p', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('web') } } });
  for (let i = 0; i < 4; i++) assert.equal(schedule(anti).node, 'c');
  const antiHost = fakePod('p', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('web', 'kubernetes.io/hostname') } } });
  for (let i = 0; i < 6; i++) assert.notEqual(schedule(antiHost).node, 'a');
  // nothing matches: affinity fails everywhere (unresolvable), unless the pod matches its own term (first of a group)
  const lonely = fakePod('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('db') } } });
  assert.match(messageOf(schedule(lonely)), /3 node\(s\) didn't match pod affinity rules\. preemption: 0\/3 nodes are available: 3 Preemption is not helpful/);
  const first = fakePod('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('db') } } }, { app: 'db' });
  assert.ok(schedule(first).node);
  // other namespaces do not count
  const elsewhere = { ...affinity, metadata: { ...affinity.metadata, namespace: 'other' } };
  assert.equal(schedule(elsewhere).node, undefined);

  // an existing pod that repels app=api from its zone
  const guard = fakePod('guard', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: term('api') } } });
  const g = setup(nodes, [[guard, 'c']]);
  assert.equal(g.schedule(fakePod('api', {}, { app: 'api' })).node === 'c', false);
  const onlyC = setup([nodes[2]!], [[guard, 'c']]);
  assert.match(messageOf(onlyC.schedule(fakePod('api', {}, { app: 'api' }))), /1 node\(s\) didn't satisfy existing pods anti-affinity rules\./);
  const allAnti = setup([nodes[0]!], [[web, 'a']]);
  assert.match(messageOf(allAnti.schedule(anti)), /1 node\(s\) didn't match pod anti-affinity rules\./);
});

test('scores: least allocated spreads, balanced allocation, preferred affinity, PreferNoSchedule, image locality', () => {
  // least allocated: the emptier node wins
  const la = setup([fakeNode('a'), fakeNode('b')], [[fakePod('x', requesting({ cpu: '2', memory: '8Gi' })), 'a']]);
  for (let i = 0; i < 3; i++) assert.equal(la.schedule(fakePod('p', requesting({ cpu: '100m', memory: '100Mi' }))).node, 'b');
  // balanced: a cpu-heavy pod prefers the node whose memory is the busier one
  const bal = setup([fakeNode('a'), fakeNode('b')], [[fakePod('x', requesting({ cpu: '2' })), 'a'], [fakePod('y', requesting({ memory: '8Gi' })), 'b']]);
  assert.equal(bal.schedule(fakePod('p', requesting({ cpu: '1', memory: '100Mi' }))).node, 'b');
  // preferred node affinity (weight 2) outweighs a small allocation difference
  const pref = setup([fakeNode('a', { labels: { ssd: 'true' } }), fakeNode('b')], [[fakePod('x', requesting({ cpu: '500m' })), 'a']]);
  const wantsSsd = fakePod('p', {
    affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'ssd', operator: 'In', values: ['true'] }] } }] } },
  });
  for (let i = 0; i < 3; i++) assert.equal(pref.schedule(wantsSsd).node, 'a');
  // PreferNoSchedule (weight 3) pushes pods away unless tolerated
  const soft = setup([fakeNode('a', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] }), fakeNode('b')], [[fakePod('x', requesting({ cpu: '1' })), 'b']]);
  for (let i = 0; i < 3; i++) assert.equal(soft.schedule(fakePod('p')).node, 'b');
  assert.equal(soft.schedule(fakePod('p', { tolerations: [{ key: 'spot', operator: 'Exists' }] })).node, 'a');
  // image locality: the node that has a big image wins a tie
  const img = setup([fakeNode('a'), fakeNode('b', { images: [{ names: ['docker.io/library/bigimage:1'], sizeBytes: 800 * 1024 * 1024 }] })]);
  for (let i = 0; i < 3; i++) assert.equal(img.schedule(fakePod('p', { containers: [{ name: 'c', image: 'bigimage:1' }] })).node, 'b');
});

test('ties are broken at random; feasible-node search stops early on big clusters', () => {
  const { schedule } = setup([fakeNode('a'), fakeNode('b')]);
  const picks = new Set([0, 1, 2, 3].map(() => schedule(fakePod('p')).node));
  assert.deepEqual([...picks].sort(), ['a', 'b']);
  assert.equal(numFeasibleNodesToFind(50), 50);
  assert.equal(numFeasibleNodesToFind(1000), 420);
  assert.equal(numFeasibleNodesToFind(5000), 500);
});
