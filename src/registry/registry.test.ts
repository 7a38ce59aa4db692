import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import type { Registry } from './registry.ts';
import { createRegistry } from './registry.ts';
import type { ResourceRest } from './rest.ts';
import { apiErrorOf, names, recordWatch, writeOptions } from './test-support.ts';

let store: Store;
let registry: Registry;
let pods: ResourceRest;
let namespaces: ResourceRest;

const pod = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, creationTimestamp: null },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...extra },
  status: {},
});

beforeEach(async () => {
  store = openSqliteStore(':memory:');
  registry = createRegistry(store);
  await registry.bootstrap();
  pods = registry.rest('', 'pods')!;
  namespaces = registry.rest('', 'namespaces')!;
});
afterEach(async () => {
  registry.close();
  await store.close();
});

async function bind(name: string, node = 'n1', ns = 'default') {
  return pods.subresource!('binding')!.create!(ns, name, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: node } }, writeOptions());
}

describe('registry', () => {
  it('serves the five kinds and bootstraps the system namespaces', async () => {
    assert.deepEqual(
      registry.all().map((r) => r.info.plural),
      ['pods', 'namespaces', 'nodes', 'events', 'leases'],
    );
    assert.ok(registry.rest('coordination.k8s.io', 'leases'));
    assert.equal(registry.rest('', 'leases'), undefined);
    const list = await namespaces.list(undefined, {});
    assert.deepEqual(names(list), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const def = list.items[0]!;
    assert.deepEqual(def.metadata.labels, { 'kubernetes.io/metadata.name': 'default' });
    assert.deepEqual(def.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(def.status, { phase: 'Active' });
    await registry.bootstrap(); // idempotent
  });
});

describe('pods', () => {
  it('create: defaults, status {phase: Pending, qosClass}, no conditions', async () => {
    const p = await pods.create('default', pod('web', { nodeName: undefined }), writeOptions());
    assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'BestEffort' });
    assert.equal(p.spec.restartPolicy, 'Always');
    assert.equal(p.spec.containers[0].imagePullPolicy, 'Always');
    assert.equal(p.spec.serviceAccountName, 'default');
    assert.equal(p.metadata.generation, undefined);
  });

  it('create: a gated pod gets PodScheduled=False SchedulingGated', async () => {
    const p = await pods.create('default', pod('gated', { schedulingGates: [{ name: 'example.com/g' }] }), writeOptions());
    assert.equal(p.status.conditions.length, 1);
    const c = p.status.conditions[0];
    assert.equal(c.type, 'PodScheduled');
    assert.equal(c.status, 'False');
    assert.equal(c.reason, 'SchedulingGated');
    assert.equal(c.message, 'Scheduling is blocked due to non-empty scheduling gates');
  });

  it('create: 422 with Kubernetes wording, warning for dotted names', async () => {
    const e = await apiErrorOf(() => pods.create('default', { metadata: { name: 'x' }, spec: { containers: [{ name: 'c' }] } }, writeOptions()));
    assert.equal(e.code, 422);
    assert.equal(e.message, 'Pod "x" is invalid: spec.containers[0].image: Required value');
    const opts = writeOptions();
    await pods.create('default', pod('a.b'), opts);
    assert.equal(opts.warnings.length, 1);
    assert.match(opts.warnings[0]!, /^metadata.name: this is used in the Pod's hostname/);
  });

  it('unknown fields: Strict is a 400, Warn warns, every mode drops them', async () => {
    const body = () => ({ ...pod('web'), spec: { containers: [{ name: 'c', image: 'busybox', foo: 1 }] } });
    const e = await apiErrorOf(() => pods.create('default', body(), writeOptions({ fieldValidation: 'Strict' })));
    assert.equal(e.code, 400);
    assert.equal(e.message, 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].foo"');
    const opts = writeOptions({ fieldValidation: 'Warn' });
    const p = await pods.create('default', body(), opts);
    assert.deepEqual(opts.warnings, ['unknown field "spec.containers[0].foo"']);
    assert.equal(p.spec.containers[0].foo, undefined);
    const pe = await apiErrorOf(() => pods.patch('default', 'web', 'merge', { spec: { bar: 1 } }, writeOptions({ fieldValidation: 'Strict' })));
    assert.equal(pe.message, 'strict decoding error: unknown field "spec.bar"');
  });

  it('update keeps status; spec changes other than images are forbidden', async () => {
    const p = await pods.create('default', pod('web'), writeOptions());
    const next = structuredClone(p);
    next.status = { phase: 'Running' };
    next.spec.containers[0].image = 'busybox:2';
    const { object } = await pods.update('default', 'web', next, writeOptions());
    assert.equal(object.status.phase, 'Pending');
    assert.equal(object.spec.containers[0].image, 'busybox:2');
    const bad = structuredClone(object);
    bad.spec.containers[0].ports = [{ containerPort: 80 }];
    const e = await apiErrorOf(() => pods.update('default', 'web', bad, writeOptions()));
    assert.equal(e.code, 422);
    assert.match(e.message, /^Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than/);
  });

  it('strategic merge patch as kubectl apply sends it', async () => {
    await pods.create('default', pod('web', { containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80 }] }] }), writeOptions());
    const { object } = await pods.patch(
      'default',
      'web',
      'strategic',
      { metadata: { labels: { env: 'prod' } }, spec: { '$setElementOrder/containers': [{ name: 'c' }], containers: [{ name: 'c', image: 'busybox:2' }] } },
      writeOptions(),
    );
    assert.equal(object.spec.containers[0].image, 'busybox:2');
    assert.deepEqual(object.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
    assert.deepEqual(object.metadata.labels, { env: 'prod' });
    const e = await apiErrorOf(() =>
      pods.patch('default', 'web', 'strategic', { spec: { containers: [{ name: 'c', ports: [{ containerPort: 81 }] }] } }, writeOptions()),
    );
    assert.equal(e.code, 422);
    assert.match(e.message, /^Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than/);
  });

  it('status subresource keeps the spec', async () => {
    const p = await pods.create('default', pod('web'), writeOptions());
    const next = structuredClone(p);
    next.status = { ...p.status, phase: 'Running', podIP: '10.0.0.5' };
    next.spec.containers[0].image = 'changed';
    const { object } = await pods.subresource!('status')!.update!('default', 'web', next, writeOptions());
    assert.equal(object.status.phase, 'Running');
    assert.equal(object.spec.containers[0].image, 'busybox');
    const patched = await pods.subresource!('status')!.patch!('default', 'web', 'merge', { status: { phase: 'Succeeded' } }, writeOptions());
    assert.equal(patched.object.status.phase, 'Succeeded');
  });

  it('binding sets nodeName and PodScheduled=True; a second binding is a 409', async () => {
    await pods.create('default', pod('web'), writeOptions());
    const status = await bind('web');
    assert.equal((status as { status: string }).status, 'Success');
    const p = await pods.get('default', 'web');
    assert.equal(p.spec.nodeName, 'n1');
    assert.equal(p.status.conditions[0].type, 'PodScheduled');
    assert.equal(p.status.conditions[0].status, 'True');
    assert.equal(p.status.conditions[0].lastProbeTime, null);
    const e = await apiErrorOf(() => bind('web', 'n2'));
    assert.equal(e.code, 409);
    assert.equal(e.message, 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "n1"');
  });

  it('deleting an unbound pod removes it at once (MODIFIED then DELETED) and returns the Pod', async () => {
    const p = await pods.create('default', pod('web'), writeOptions());
    const w = await recordWatch(pods, 'default', { resourceVersion: p.metadata.resourceVersion });
    const r = await pods.delete('default', 'web', { propagationPolicy: 'Background' }, writeOptions());
    assert.equal(r.code, 200);
    assert.equal((r.body as KubeObject).kind, 'Pod');
    assert.equal((r.body as KubeObject).metadata.deletionGracePeriodSeconds, 0);
    assert.equal((await apiErrorOf(() => pods.get('default', 'web'))).code, 404);
    const ev = await w.next(2);
    assert.deepEqual(
      ev.map((e) => e.type),
      ['MODIFIED', 'DELETED'],
    );
    w.handle.stop();
  });

  it('deleting a bound pod is graceful; a shorter grace or grace 0 with the uid precondition finishes it', async () => {
    const p = await pods.create('default', pod('web'), writeOptions());
    await bind('web');
    const r = await pods.delete('default', 'web', {}, writeOptions());
    const marked = r.body as KubeObject;
    assert.equal(marked.metadata.deletionGracePeriodSeconds, 30);
    const dt = Date.parse(marked.metadata.deletionTimestamp!);
    assert.ok(dt > Date.now() + 25_000 && dt <= Date.now() + 31_000);
    // Still there, Terminating.
    const again = await pods.delete('default', 'web', {}, writeOptions());
    assert.equal((again.body as KubeObject).metadata.resourceVersion, marked.metadata.resourceVersion, 'a repeated delete is a no-op');
    const shorter = await pods.delete('default', 'web', { gracePeriodSeconds: 5 }, writeOptions());
    assert.equal((shorter.body as KubeObject).metadata.deletionGracePeriodSeconds, 5);
    assert.ok(Date.parse((shorter.body as KubeObject).metadata.deletionTimestamp!) < dt);
    const e = await apiErrorOf(() => pods.delete('default', 'web', { gracePeriodSeconds: 0, preconditions: { uid: 'other' } }, writeOptions()));
    assert.equal(e.code, 409);
    assert.match(e.message, /^Operation cannot be fulfilled on Pod "web": the UID in the precondition \(other\) does not match the UID in record/);
    await pods.delete('default', 'web', { gracePeriodSeconds: 0, preconditions: { uid: p.metadata.uid } }, writeOptions());
    assert.equal((await apiErrorOf(() => pods.get('default', 'web'))).code, 404);
  });

  it('a bound pod with a finalizer stays after grace 0 until the finalizer is removed', async () => {
    await pods.create('default', { ...pod('web'), metadata: { name: 'web', finalizers: ['example.com/keep'] } }, writeOptions());
    await bind('web');
    await pods.delete('default', 'web', {}, writeOptions());
    const r = await pods.delete('default', 'web', { gracePeriodSeconds: 0 }, writeOptions());
    assert.equal((r.body as KubeObject).metadata.deletionGracePeriodSeconds, 0);
    const still = await pods.get('default', 'web');
    assert.deepEqual(still.metadata.finalizers, ['example.com/keep']);
    const e = await apiErrorOf(() => bind('web', 'n2'));
    assert.equal(e.code, 409);
    assert.equal(e.message, 'Operation cannot be fulfilled on pods/binding "web": pod web is being deleted, cannot be assigned to a host');
    await pods.patch('default', 'web', 'json', [{ op: 'remove', path: '/metadata/finalizers' }], writeOptions());
    assert.equal((await apiErrorOf(() => pods.get('default', 'web'))).code, 404);
  });

  it('dry-run update and patch do not write', async () => {
    const p = await pods.create('default', pod('web'), writeOptions());
    const before = await store.currentRevision();
    const r = await pods.patch('default', 'web', 'merge', { metadata: { labels: { a: 'b' } } }, writeOptions({ dryRun: true }));
    assert.deepEqual(r.object.metadata.labels, { a: 'b' });
    assert.equal(r.object.metadata.resourceVersion, p.metadata.resourceVersion);
    const u = await pods.update('default', 'web', { ...structuredClone(p), metadata: { ...p.metadata, labels: { c: 'd' } } }, writeOptions({ dryRun: true }));
    assert.deepEqual(u.object.metadata.labels, { c: 'd' });
    assert.equal(await store.currentRevision(), before);
    assert.equal((await pods.get('default', 'web')).metadata.labels, undefined);
  });

  it('binding a gated pod is refused', async () => {
    await pods.create('default', pod('web', { schedulingGates: [{ name: 'example.com/g' }] }), writeOptions());
    const e = await apiErrorOf(() => bind('web'));
    assert.equal(e.code, 409);
    assert.equal(e.message, 'Operation cannot be fulfilled on pods/binding "web": pod web has non-empty .spec.schedulingGates');
  });

  it('terminal pods are deleted at once even when bound', async () => {
    await pods.create('default', pod('job'), writeOptions());
    await bind('job');
    await pods.subresource!('status')!.patch!('default', 'job', 'merge', { status: { phase: 'Succeeded' } }, writeOptions());
    await pods.delete('default', 'job', {}, writeOptions());
    assert.equal((await apiErrorOf(() => pods.get('default', 'job'))).code, 404);
  });

  it('selects by spec.nodeName and status.phase', async () => {
    await pods.create('default', pod('a'), writeOptions());
    await pods.create('default', pod('b'), writeOptions());
    await bind('b', 'n9');
    assert.deepEqual(names(await pods.list(undefined, { fieldSelector: 'spec.nodeName=n9' })), ['b']);
    assert.deepEqual(names(await pods.list(undefined, { fieldSelector: 'spec.nodeName=' })), ['a']);
    assert.deepEqual(names(await pods.list('default', { fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' })), ['a', 'b']);
  });
});

describe('namespaces', () => {
  it('protected namespaces may not be deleted', async () => {
    const e = await apiErrorOf(() => namespaces.delete(undefined, 'default', {}, writeOptions()));
    assert.equal(e.code, 403);
    assert.equal(e.message, 'namespaces "default" is forbidden: this namespace may not be deleted');
  });

  it('create: label, finalizer, Active; a missing namespace 404s pod creates', async () => {
    const ns = await namespaces.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev', creationTimestamp: null }, spec: {}, status: {} }, writeOptions());
    assert.deepEqual(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'dev' });
    assert.deepEqual(ns.spec.finalizers, ['kubernetes']);
    assert.equal(ns.status.phase, 'Active');
    const e = await apiErrorOf(() => pods.create('nope', pod('web'), writeOptions()));
    assert.equal(e.code, 404);
    assert.equal(e.message, 'namespaces "nope" not found');
    await pods.create('dev', pod('web'), writeOptions());
  });

  it('delete → Terminating (200, repeatable); creates are refused; finalize removes it', async () => {
    await namespaces.create(undefined, { metadata: { name: 'dev' } }, writeOptions());
    const r = await namespaces.delete(undefined, 'dev', { propagationPolicy: 'Background' }, writeOptions());
    assert.equal(r.code, 200);
    const ns = r.body as KubeObject;
    assert.equal(ns.status.phase, 'Terminating');
    assert.ok(ns.metadata.deletionTimestamp);
    const again = await namespaces.delete(undefined, 'dev', {}, writeOptions());
    assert.equal((again.body as KubeObject).metadata.resourceVersion, ns.metadata.resourceVersion);
    const e = await apiErrorOf(() => pods.create('dev', pod('web'), writeOptions()));
    assert.equal(e.code, 403);
    assert.equal(e.message, 'pods "web" is forbidden: unable to create new content in namespace dev because it is being terminated');
    // A plain update cannot drop spec.finalizers.
    const upd = await namespaces.update(undefined, 'dev', { ...structuredClone(ns), spec: { finalizers: [] } }, writeOptions());
    assert.deepEqual(upd.object.spec.finalizers, ['kubernetes']);
    const w = await recordWatch(namespaces, undefined, { fieldSelector: 'metadata.name=dev', resourceVersion: upd.object.metadata.resourceVersion });
    const fin = await namespaces.subresource!('finalize')!.update!(undefined, 'dev', { ...structuredClone(upd.object), spec: { finalizers: [] } }, writeOptions());
    assert.deepEqual(fin.object.spec.finalizers, []);
    assert.equal((await apiErrorOf(() => namespaces.get(undefined, 'dev'))).code, 404);
    const [ev] = await w.next(1);
    assert.equal(ev!.type, 'DELETED');
    w.handle.stop();
    // The name is free again.
    await namespaces.create(undefined, { metadata: { name: 'dev' } }, writeOptions());
    await pods.create('dev', pod('web'), writeOptions());
  });

  it('status subresource validates the phase against deletionTimestamp', async () => {
    await namespaces.create(undefined, { metadata: { name: 'dev' } }, writeOptions());
    const e = await apiErrorOf(() => namespaces.subresource!('status')!.patch!(undefined, 'dev', 'merge', { status: { phase: 'Terminating' } }, writeOptions()));
    assert.equal(e.code, 422);
  });
});

describe('nodes, events, leases', () => {
  it('nodes keep the registered status; allocatable defaults to capacity; DELETE answers a Status', async () => {
    const nodes = registry.rest('', 'nodes')!;
    const n = await nodes.create(undefined, { metadata: { name: 'n1' }, status: { capacity: { cpu: '4', pods: '110' } } }, writeOptions());
    assert.deepEqual(n.status.allocatable, { cpu: '4', pods: '110' });
    const upd = await nodes.patch(undefined, 'n1', 'merge', { status: { capacity: { cpu: '8' } }, spec: { unschedulable: true } }, writeOptions());
    assert.equal(upd.object.status.capacity.cpu, '4');
    assert.equal(upd.object.spec.unschedulable, true);
    const st = await nodes.subresource!('status')!.patch!(undefined, 'n1', 'merge', { status: { capacity: { cpu: '8' } }, spec: { unschedulable: false } }, writeOptions());
    assert.equal(st.object.status.capacity.cpu, '8');
    assert.equal(st.object.spec.unschedulable, true);
    const r = await nodes.delete(undefined, 'n1', {}, writeOptions());
    assert.equal((r.body as { kind: string }).kind, 'Status');
  });

  it('events select on involvedObject fields; PUT creates', async () => {
    const events = registry.rest('', 'events')!;
    const ev = (name: string, pod: string): KubeObject => ({
      metadata: { name, namespace: 'default' },
      involvedObject: { kind: 'Pod', name: pod, namespace: 'default', uid: 'u1' },
      reason: 'Scheduled',
      message: 'm',
      type: 'Normal',
      source: { component: 'default-scheduler' },
    });
    await events.create('default', ev('e1', 'web'), writeOptions());
    const r = await events.update('default', 'e2', ev('e2', 'db'), writeOptions());
    assert.equal(r.created, true);
    const l = await events.list('default', { fieldSelector: 'involvedObject.name=web,involvedObject.namespace=default,involvedObject.uid=u1' });
    assert.deepEqual(names(l), ['e1']);
  });

  it('leases need a resourceVersion to update', async () => {
    const leases = registry.rest('coordination.k8s.io', 'leases')!;
    const l = await leases.create('kube-node-lease', { metadata: { name: 'n1' }, spec: { holderIdentity: 'n1', leaseDurationSeconds: 40 } }, writeOptions());
    const e = await apiErrorOf(() => leases.update('kube-node-lease', 'n1', { metadata: { name: 'n1' }, spec: {} }, writeOptions()));
    assert.equal(e.code, 422);
    const rv = Number(l.metadata.resourceVersion);
    const ok = await leases.update('kube-node-lease', 'n1', { ...structuredClone(l), spec: { ...l.spec, renewTime: '2026-11-25T19:00:00.000000Z' } }, writeOptions());
    assert.ok(Number(ok.object.metadata.resourceVersion) > rv);
  });
});
