import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createRegistry } from '../registry/registry.ts';
import type { Registry } from '../registry/registry.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { LocalClient } from './local-client.ts';

let store: Store;
let registry: Registry;
let client: LocalClient;

beforeEach(async () => {
  store = openSqliteStore(':memory:');
  registry = createRegistry(store);
  await registry.bootstrap();
  client = new LocalClient(registry);
});
afterEach(async () => {
  registry.close();
  await store.close();
});

describe('LocalClient', () => {
  it('creates, binds, updates status, pages and deletes pods without touching the caller’s objects', async () => {
    const manifest = { metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const created = await client.pods.create('default', manifest);
    assert.deepEqual(manifest, { metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    assert.equal(created.status.phase, 'Pending');
    await client.pods.bind('default', 'web', 'n1', created.metadata.uid);
    const bound = await client.pods.get('default', 'web');
    assert.equal(bound.spec.nodeName, 'n1');
    const running = await client.pods.updateStatus({ ...bound, status: { ...bound.status, phase: 'Running' } });
    assert.equal(running.status.phase, 'Running');
    const patched = await client.pods.patchStatus('default', 'web', 'merge', { status: { podIP: '10.1.0.2' } });
    assert.equal(patched.status.podIP, '10.1.0.2');
    for (let i = 0; i < 5; i++) await client.pods.create('default', { metadata: { name: `p${i}` }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const all = await client.pods.listAll('default', {}, 2);
    assert.equal(all.items.length, 6);
    const r = await client.pods.delete('default', 'web', { gracePeriodSeconds: 0 });
    assert.equal(r.code, 200);
    assert.equal(client.leases.info.group, 'coordination.k8s.io');
    assert.throws(() => client.resource('services'));
  });
});
