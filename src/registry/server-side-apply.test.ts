import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import type { Registry } from './registry.ts';
import { createRegistry } from './registry.ts';
import type { ResourceRest } from './rest.ts';
import { apiErrorOf, writeOptions } from './test-support.ts';
import { apiVersionOf, events as eventsInfo, leases as leasesInfo, nodes as nodesInfo, pods as podsInfo, type ResourceInfo } from '../api/resources.ts';
import { schemaForKind } from '../api/schemas.ts';
import { updateManagedFields } from '../machinery/apply/managed-fields.ts';
import { trackManagedFields } from './server-side-apply.ts';

let store: Store;
let registry: Registry;
let pods: ResourceRest;

const config = (labels: Record<string, string>, env: Array<{ name: string; value: string }>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'ssa', labels },
  spec: { containers: [{ name: 'app', image: 'busybox', env }] },
});
const apply = (cfg: KubeObject, manager = 'kubectl') => pods.patch('default', 'ssa', 'apply', cfg, { ...writeOptions(), fieldManager: manager });

beforeEach(async () => {
  store = openSqliteStore(':memory:');
  registry = createRegistry(store);
  await registry.bootstrap();
  pods = registry.rest('', 'pods')!;
});
afterEach(async () => {
  registry.close();
  await store.close();
});

describe('server-side apply', () => {
  it('creates the object when absent and records the manager’s fields', async () => {
    const r = await apply(config({ v: '1' }, [{ name: 'A', value: '1' }]));
    assert.equal(r.created, true);
    assert.equal(r.object.status.phase, 'Pending');
    const mf = r.object.metadata.managedFields!;
    assert.equal(mf.length, 1);
    assert.equal(mf[0]!.manager, 'kubectl');
    assert.equal(mf[0]!.operation, 'Apply');
    assert.equal(mf[0]!.fieldsType, 'FieldsV1');
    assert.deepEqual(mf[0]!.fieldsV1, {
      'f:metadata': { 'f:labels': { 'f:v': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:name': {}, 'f:image': {}, 'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } } } } },
    });
  });

  it('updates, and removes what the manager no longer applies while keeping others’ fields', async () => {
    await apply(config({ v: '1', gone: 'x' }, [{ name: 'A', value: '1' }]));
    await pods.patch('default', 'ssa', 'merge', { metadata: { labels: { other: 'kept' } } }, { ...writeOptions(), fieldManager: 'kubectl-label' });
    const r = await apply(config({ v: '2' }, [{ name: 'A', value: '1' }]));
    assert.equal(r.created, false);
    assert.deepEqual(r.object.metadata.labels, { v: '2', other: 'kept' });
    assert.deepEqual(r.object.metadata.managedFields!.map((e) => `${e.manager}/${e.operation}`), ['kubectl/Apply', 'kubectl-label/Update']);
    assert.deepEqual(r.object.metadata.managedFields![1]!.fieldsV1, { 'f:metadata': { 'f:labels': { 'f:other': {} } } });
  });

  it('goes through the update rules and needs a fieldManager', async () => {
    await apply(config({ v: '1' }, [{ name: 'A', value: '1' }]));
    const e = await apiErrorOf(() => apply(config({ v: '1' }, [])));
    assert.equal(e.code, 422);
    assert.match(e.message, /pod updates may not change fields other than/);
    const m = await apiErrorOf(() => pods.patch('default', 'ssa', 'apply', config({}, []), writeOptions()));
    assert.equal(m.code, 400);
  });

  it('answers 409 when another manager owns a changed field, and takes it over with force', async () => {
    await apply(config({ app: 'web' }, [{ name: 'A', value: '1' }]));
    const e = await apiErrorOf(() => apply(config({ app: 'other' }, [{ name: 'A', value: '1' }]), 'other'));
    assert.equal(e.code, 409);
    assert.equal(e.message, 'Apply failed with 1 conflict: conflict with "kubectl": .metadata.labels.app');
    const r = await pods.patch('default', 'ssa', 'apply', config({ app: 'other' }, [{ name: 'A', value: '1' }]), { ...writeOptions(), fieldManager: 'other', force: true });
    assert.equal(r.object.metadata.labels!.app, 'other');
    const kubectl = r.object.metadata.managedFields!.find((m) => m.manager === 'kubectl')!;
    assert.equal(JSON.stringify(kubectl.fieldsV1).includes('f:app'), false);
  });

  it('a repeated apply writes nothing (managedFields timestamps alone do not count)', async () => {
    const first = await apply(config({ v: '1' }, [{ name: 'A', value: '1' }]));
    await new Promise((r) => setTimeout(r, 1100));
    const again = await apply(config({ v: '1' }, [{ name: 'A', value: '1' }]));
    assert.equal(again.object.metadata.resourceVersion, first.object.metadata.resourceVersion);
  });

  it('rejects fields the schema does not declare, and stores nothing', async () => {
    const cfg = config({ v: '1' }, []);
    (cfg.spec as Record<string, unknown>).foo = 1;
    const e = await apiErrorOf(() => apply(cfg));
    assert.equal(e.code, 400);
    assert.equal(e.message, 'failed to create typed patch object (default/ssa; v1, Kind=Pod): .spec.foo: field not declared in schema');
    const nested = config({ v: '1' }, [{ name: 'A', value: '1' }]);
    (nested.spec.containers[0].env[0] as Record<string, unknown>).bad = true;
    const n = await apiErrorOf(() => apply(nested));
    assert.equal(n.message, 'failed to create typed patch object (default/ssa; v1, Kind=Pod): .spec.containers[name="app"].env[name="A"].bad: field not declared in schema');
    await assert.rejects(pods.get('default', 'ssa'));
  });

  it('create, update and non-apply patches record Update entries for their manager', async () => {
    const created = await pods.create('default', config({ v: '1' }, []), { ...writeOptions(), fieldManager: 'kubectl-create' });
    const [entry] = created.metadata.managedFields!;
    assert.equal(entry!.manager, 'kubectl-create');
    assert.equal(entry!.operation, 'Update');
    assert.ok((entry!.fieldsV1 as Record<string, Record<string, unknown>>)['f:spec']!['f:containers']);
    const patched = await pods.patch('default', 'ssa', 'strategic', { metadata: { labels: { v: '2' } } }, { ...writeOptions(), fieldManager: 'kubectl-label' });
    assert.deepEqual(patched.object.metadata.managedFields!.map((m) => m.manager), ['kubectl-create', 'kubectl-label']);
    const noManager = await pods.patch('default', 'ssa', 'merge', { metadata: { annotations: { a: 'b' } } }, writeOptions());
    assert.ok(noManager.object.metadata.managedFields!.some((m) => m.manager === 'k8ts'));
  });

  it('a create’s entry (computed once per content, then reused) equals the field manager’s own computation', () => {
    const pod = (name: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', uid: name, creationTimestamp: '2026-11-25T10:00:00Z', labels: { app: 'a' }, annotations: { x: 'y' } },
      spec: { containers: [{ name: 'c', image: 'i', env: [{ name: 'E', value: '1' }], resources: {} }], securityContext: {}, tolerations: [{ key: 'k', operator: 'Exists' }] },
      status: { phase: 'Pending' },
    });
    for (const name of ['first', 'second', 'third']) {
      const obj = pod(name);
      if (name === 'third') Object.assign(obj.spec, { priority: 0, hostname: '', hostNetwork: false, schedulerName: 'x' });
      if (name === 'third') obj.metadata.labels = { app: 'other' };
      trackManagedFields(podsInfo, undefined, obj, 'kubectl-create');
      const fresh = pod(name);
      if (name === 'third') Object.assign(fresh.spec, { priority: 0, hostname: '', hostNetwork: false, schedulerName: 'x' });
      if (name === 'third') fresh.metadata.labels = { app: 'other' };
      const expected = updateManagedFields(undefined, fresh, { manager: 'kubectl-create', time: obj.metadata.managedFields![0]!.time!, schema: schemaForKind('', 'Pod'), apiVersion: 'v1' });
      assert.deepEqual(obj.metadata.managedFields, expected);
      assert.deepEqual(Object.keys(obj.metadata.managedFields![0]!), ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1']);
    }
  });

  it('the reused create entry matches a fresh computation for objects that differ only in values', () => {
    const kinds: Array<[ResourceInfo, (i: number) => KubeObject]> = [
      [eventsInfo, (i) => ({ apiVersion: 'v1', kind: 'Event', metadata: { name: `e${i}`, namespace: 'default' }, involvedObject: { kind: 'Pod', name: `p${i}`, namespace: 'default', uid: `u${i}` }, reason: 'Scheduled', message: `m${i}`, type: 'Normal', eventTime: `2026-11-25T10:00:0${i}.000000Z`, count: i % 2, source: {}, firstTimestamp: null, reportingComponent: 'default-scheduler', reportingInstance: `i${i}` })],
      [nodesInfo, (i) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: `n${i}`, labels: { zone: `z${i}` } }, spec: { unschedulable: i % 2 === 1, taints: [{ key: `k${i}`, effect: 'NoSchedule' }] }, status: { capacity: { cpu: `${i}` } } })],
      [leasesInfo, (i) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: `l${i}`, namespace: 'kube-node-lease' }, spec: { holderIdentity: i % 2 ? '' : `h${i}`, leaseDurationSeconds: i * 10 } })],
    ];
    for (const [info, make] of kinds) {
      for (let i = 0; i < 4; i++) {
        const obj = make(i);
        trackManagedFields(info, undefined, obj, 'writer');
        const time = obj.metadata.managedFields![0]!.time!;
        const expected = updateManagedFields(undefined, make(i), { manager: 'writer', time, schema: schemaForKind(info.group, info.kind), apiVersion: apiVersionOf(info) });
        assert.deepEqual(obj.metadata.managedFields, expected, `${info.kind} #${i}`);
      }
    }
  });
});
