import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import type { GenericRest } from './generic-rest.ts';
import { addEvictionSubresource } from './pod-eviction.ts';
import { createRegistry, type Registry } from './registry.ts';
import { apiErrorOf, writeOptions } from './test-support.ts';

let store: Store;
let registry: Registry;
let pods: GenericRest;

before(async () => {
  store = openSqliteStore(':memory:');
  registry = createRegistry(store);
  await registry.bootstrap();
  pods = registry.rest('', 'pods') as GenericRest;
  if (!pods.subresource('eviction')) addEvictionSubresource(pods);
});
after(async () => {
  registry.close?.();
  await store.close();
});

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
const eviction = (name: string, deleteOptions?: Record<string, unknown>) => ({
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  metadata: { name, namespace: 'default' },
  ...(deleteOptions ? { deleteOptions } : {}),
});

test('eviction deletes the pod (honouring deleteOptions) and answers a Success Status', async () => {
  await pods.create('default', pod('web'), writeOptions());
  const ev = pods.subresource('eviction')!;
  const out = await ev.create!('default', 'web', eviction('web', { gracePeriodSeconds: 0 }), writeOptions());
  assert.deepEqual(out, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  assert.equal((await apiErrorOf(() => pods.get('default', 'web'))).code, 404);
});

test('eviction with a default grace period leaves the pod terminating with DisruptionTarget', async () => {
  await pods.create('default', pod('slow'), writeOptions());
  // a pod that is not on a node goes at once; a bound one gets its grace period
  await pods.subresource('binding')!.create!('default', 'slow', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'slow' }, target: { kind: 'Node', name: 'n1' } }, writeOptions());
  await pods.subresource('eviction')!.create!('default', 'slow', eviction('slow'), writeOptions());
  const p = await pods.get('default', 'slow');
  assert.ok(p.metadata.deletionTimestamp);
  const cond = p.status.conditions.find((c: { type: string }) => c.type === 'DisruptionTarget');
  assert.equal(cond.reason, 'EvictionByEvictionAPI');
  assert.equal(cond.message, 'Eviction API: evicting');
});

test('eviction errors: missing pod 404, name mismatch 400, UID precondition 409, dry run keeps the pod', async () => {
  const ev = pods.subresource('eviction')!;
  assert.equal((await apiErrorOf(() => ev.create!('default', 'nope', eviction('nope'), writeOptions()))).code, 404);
  await pods.create('default', pod('keep'), writeOptions());
  const mismatch = await apiErrorOf(() => ev.create!('default', 'keep', eviction('other'), writeOptions()));
  assert.equal(mismatch.code, 400);
  assert.equal(mismatch.message, 'name in URL does not match name in Eviction object');
  assert.equal((await apiErrorOf(() => ev.create!('default', 'keep', eviction('keep', { preconditions: { uid: 'wrong' } }), writeOptions()))).code, 409);
  await ev.create!('default', 'keep', eviction('keep', { gracePeriodSeconds: 0 }), writeOptions({ dryRun: true }));
  assert.equal((await pods.get('default', 'keep')).metadata.deletionTimestamp, undefined);
});
