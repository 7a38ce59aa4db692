import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../apiserver/log.ts';
import { ApiError } from '../machinery/api-error.ts';
import { FakeCluster, fakeNode, fakePod, requesting } from './fake-cluster.ts';
import { startScheduler } from './scheduler.ts';
import { SchedulingQueue } from './scheduling-queue.ts';
import { podInfo } from './pod-info.ts';

async function until<T>(what: string, fn: () => T | undefined | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('queue: priority then FIFO; backoff doubles to the cap; moveAllToActive retries at once', () => {
  let now = 0;
  const q = new SchedulingQueue({ now: () => now });
  q.add(podInfo(fakePod('a')));
  q.add(podInfo(fakePod('b', { priority: 10 })));
  q.add(podInfo(fakePod('c')));
  assert.deepEqual([q.pop()!.key, q.pop()!.key, q.pop()!.key], ['default/b', 'default/a', 'default/c']);
  const a = podInfo(fakePod('a'));
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => q.unschedulable(a)), [1000, 2000, 4000, 8000, 10000, 10000]);
  assert.equal(q.pop(), undefined);
  now += 9999;
  assert.equal(q.flushBackoff(), 0);
  now += 1;
  assert.equal(q.flushBackoff(), 1);
  assert.equal(q.pop()!.key, 'default/a');
  q.unschedulable(a);
  assert.equal(q.moveAllToActive(), 1);
  assert.equal(q.pop()!.key, 'default/a');
  q.delete('default/a');
  q.delete('default/b');
  q.delete('default/c');
  assert.equal(q.size, 0);
});

test('binds through pods/binding with a Scheduled event as default-scheduler', async (t) => {
  const fake = new FakeCluster();
  fake.nodes.put(fakeNode('n1'));
  fake.pods.put(fakePod('web'));
  const s = startScheduler(fake, { log: silentLogger });
  t.after(() => s.stop());
  await until('bound', () => fake.pods.objects.get('default/web')?.spec.nodeName === 'n1');
  const ev = await until('event', () => [...fake.events.objects.values()].find((e) => e.reason === 'Scheduled'));
  assert.equal(ev.message, 'Successfully assigned default/web to n1');
  assert.equal(ev.type, 'Normal');
  assert.equal(ev.action, 'Binding');
  assert.equal(ev.reportingComponent, 'default-scheduler');
  assert.match(ev.reportingInstance, /^default-scheduler-/);
  assert.deepEqual(ev.source, { component: 'default-scheduler' });
  assert.match(ev.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.equal(ev.metadata.namespace, 'default');
  assert.match(ev.metadata.name!, /^web\.[0-9a-f]+$/);
  assert.equal(ev.involvedObject.uid, fake.pods.objects.get('default/web')!.metadata.uid);
  // pods of other schedulers, gated pods and pods being deleted are left alone
  fake.pods.put(fakePod('other', { schedulerName: 'my-scheduler' }));
  fake.pods.put(fakePod('gated', { schedulingGates: [{ name: 'wait' }] }));
  const dying = fakePod('dying');
  dying.metadata.deletionTimestamp = new Date().toISOString();
  fake.pods.put(dying);
  fake.pods.put(fakePod('last'));
  await until('last bound', () => fake.pods.objects.get('default/last')?.spec.nodeName);
  for (const n of ['other', 'gated', 'dying']) assert.equal(fake.pods.objects.get(`default/${n}`)!.spec.nodeName, undefined, n);
});

test('unschedulable: FailedScheduling event + PodScheduled=False; repeats become a series; a labelled node takes the pod promptly', async (t) => {
  const fake = new FakeCluster();
  fake.nodes.put(fakeNode('n1'));
  fake.nodes.put(fakeNode('n2'));
  fake.pods.put(fakePod('gpu', { nodeSelector: { gpu: 'true' } }));
  const s = startScheduler(fake, { log: silentLogger, initialBackoffMs: 50, maxBackoffMs: 100, eventFlushMs: 50 });
  t.after(() => s.stop());
  const message =
    "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
  const cond = await until('condition', () =>
    fake.pods.objects.get('default/gpu')?.status?.conditions?.find((c: { type: string }) => c.type === 'PodScheduled'),
  );
  assert.deepEqual({ ...cond, lastTransitionTime: 'x' }, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: 'x' });
  // backoff retries (50, 100, 100 ms…) count into one event's series instead of new events
  const ev = await until('series', () => {
    const e = [...fake.events.objects.values()].find((x) => x.reason === 'FailedScheduling');
    return e?.series?.count >= 3 && e;
  });
  assert.equal(ev.message, message);
  assert.equal(ev.type, 'Warning');
  assert.equal(ev.action, 'Scheduling');
  assert.equal([...fake.events.objects.values()].filter((x) => x.reason === 'FailedScheduling').length, 1);
  assert.equal(fake.pods.writes.filter(([verb]) => verb === 'patchStatus').length, 1, 'the condition is written once per message');

  const n2 = fake.nodes.objects.get('/n2')!;
  n2.metadata.labels = { ...n2.metadata.labels, gpu: 'true' };
  const labelledAt = Date.now();
  fake.nodes.put(n2);
  await until('bound to n2', () => fake.pods.objects.get('default/gpu')?.spec.nodeName === 'n2', 2000);
  assert.ok(Date.now() - labelledAt < 500, `bound ${Date.now() - labelledAt} ms after the label`);
});

test('a deleted pod frees room; a failed binding is retried; resources of assumed pods count', async (t) => {
  const fake = new FakeCluster();
  fake.nodes.put(fakeNode('n1', { cpu: '1' }));
  fake.pods.put(fakePod('a', requesting({ cpu: '600m' })));
  fake.pods.put(fakePod('b', requesting({ cpu: '600m' })));
  const s = startScheduler(fake, { log: silentLogger, initialBackoffMs: 5000, maxBackoffMs: 5000 });
  t.after(() => s.stop());
  await until('one bound, one unschedulable', () => s.stats().scheduled === 1 && s.stats().failed >= 1);
  const bound = [...fake.pods.objects.values()].find((p) => p.spec.nodeName)!;
  const waiting = [...fake.pods.objects.values()].find((p) => !p.spec.nodeName)!;
  assert.match(waiting.status.conditions[0].message, /^0\/1 nodes are available: 1 Insufficient cpu\. preemption: 0\/1 nodes are available: 1 No preemption victims found for incoming pod\.$/);
  fake.pods.remove('default', bound.metadata.name!);
  await until('the other bound', () => fake.pods.objects.get(`default/${waiting.metadata.name}`)?.spec.nodeName === 'n1', 2000);

  fake.pods.failNextBind = new ApiError(500, 'InternalError', 'boom');
  fake.nodes.put(fakeNode('n2'));
  fake.pods.put(fakePod('c'));
  await until('c bound after a retry', () => fake.pods.objects.get('default/c')?.spec.nodeName, 8000);
  assert.equal(s.stats().bindErrors, 1);
});

test('throughput: 1,000 nodes × 5,000 pods (printed, not asserted)', async (t) => {
  const fake = new FakeCluster();
  for (let i = 0; i < 1000; i++) fake.nodes.put(fakeNode(`node-${i}`, { cpu: '32', memory: '128Gi', labels: { zone: `z${i % 3}` } }));
  const s = startScheduler(fake, { log: silentLogger, parallelBinds: 1000 });
  t.after(() => s.stop());
  await s.synced;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < 5000; i++) fake.pods.put(fakePod(`p-${i}`, requesting({ cpu: '100m', memory: '128Mi' }), { app: `a${i % 10}` }));
  await until('all bound', () => s.stats().scheduled === 5000, 120_000);
  const secs = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  const perNode = new Map<string, number>();
  for (const p of fake.pods.objects.values()) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  console.log(`# scheduler throughput: 5000 pods on 1000 nodes in ${secs.toFixed(2)} s = ${Math.round(5000 / secs)} pods/s wall (${Math.round(5000 / cpuSecs)} pods per CPU-second, fake API included); pods per node ${Math.min(...perNode.values())}..${Math.max(...perNode.values())}`);
  assert.equal(s.stats().failed, 0);
});
