import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { LocalClient } from '../client/local-client.ts';
import { createRegistry } from '../registry/registry.ts';
import type { Registry } from '../registry/registry.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { startInformer } from './informer.ts';

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

const until = async (what: string, ok: () => boolean) => {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('informer', () => {
  it('lists, then follows adds, updates and deletes', async () => {
    await client.leases.create('default', { metadata: { name: 'a' }, spec: {} });
    const seen: string[] = [];
    const inf = startInformer(client.leases, undefined, {}, {
      onAdd: (o: KubeObject) => seen.push(`add ${o.metadata.name}`),
      onUpdate: (o: KubeObject) => seen.push(`update ${o.metadata.name}`),
      onDelete: (o: KubeObject) => seen.push(`delete ${o.metadata.name}`),
    });
    await inf.synced;
    await client.leases.create('default', { metadata: { name: 'b' }, spec: {} });
    await client.leases.patch('default', 'b', 'merge', { spec: { holderIdentity: 'x' } });
    await client.leases.delete('default', 'a');
    await until('4 events', () => seen.length === 4);
    assert.deepEqual(seen, ['add a', 'add b', 'update b', 'delete a']);
    assert.deepEqual([...inf.cache.keys()], ['default/b']);
    inf.stop();
  });

  it('re-lists after a 410 and reports what changed meanwhile', async () => {
    await client.leases.create('default', { metadata: { name: 'a' }, spec: {} });
    const seen: string[] = [];
    let compactNext = true;
    // A client whose first watch starts below the compacted revision.
    const leases = client.leases;
    const flaky = Object.create(leases) as typeof leases;
    flaky.watch = async (ns, opts, onEvent) => {
      if (compactNext) {
        compactNext = false;
        await client.leases.delete('default', 'a');
        await client.leases.create('default', { metadata: { name: 'c' }, spec: {} });
        await store.compact(await store.currentRevision());
      }
      return leases.watch(ns, opts, onEvent);
    };
    const inf = startInformer(flaky, undefined, {}, { onAdd: (o) => seen.push(`add ${o.metadata.name}`), onDelete: (o) => seen.push(`delete ${o.metadata.name}`) }, 10);
    await until('relist', () => seen.length === 3);
    assert.deepEqual(seen, ['add a', 'add c', 'delete a']);
    inf.stop();
  });
});
