import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import type { Registry } from './registry.ts';
import { createRegistry } from './registry.ts';
import type { ResourceRest } from './rest.ts';
import { apiErrorOf, writeOptions } from './test-support.ts';

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
      'f:metadata': { 'f:labels': { '.': {}, 'f:v': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:name': {}, 'f:image': {}, 'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } } } } },
    });
  });

  it('updates, and removes what the manager no longer applies while keeping others’ fields', async () => {
    await apply(config({ v: '1', gone: 'x' }, [{ name: 'A', value: '1' }]));
    await pods.patch('default', 'ssa', 'merge', { metadata: { labels: { other: 'kept' } } }, writeOptions());
    const r = await apply(config({ v: '2' }, [{ name: 'A', value: '1' }]));
    assert.equal(r.created, false);
    assert.deepEqual(r.object.metadata.labels, { v: '2', other: 'kept' });
    assert.equal(r.object.metadata.managedFields!.length, 1);
  });

  it('goes through the update rules and needs a fieldManager', async () => {
    await apply(config({ v: '1' }, [{ name: 'A', value: '1' }]));
    const e = await apiErrorOf(() => apply(config({ v: '1' }, [])));
    assert.equal(e.code, 422);
    assert.match(e.message, /pod updates may not change fields other than/);
    const m = await apiErrorOf(() => pods.patch('default', 'ssa', 'apply', config({}, []), writeOptions()));
    assert.equal(m.code, 400);
  });
});
