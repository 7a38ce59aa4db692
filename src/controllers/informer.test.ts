import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { startInformer } from './informer.ts';
import { useLocalCluster } from '../client/test-local-cluster.ts';

const cluster = useLocalCluster();

const until = async (what: string, ok: () => boolean) => {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('informer', () => {
  it('lists, then follows adds, updates and deletes', async () => {
    await cluster.client.leases.create('default', { metadata: { name: 'a' }, spec: {} });
    const seen: string[] = [];
    const inf = startInformer(cluster.client.leases, undefined, {}, {
      onAdd: (o: KubeObject) => seen.push(`add ${o.metadata.name}`),
      onUpdate: (o: KubeObject) => seen.push(`update ${o.metadata.name}`),
      onDelete: (o: KubeObject) => seen.push(`delete ${o.metadata.name}`),
    });
    await inf.synced;
    await cluster.client.leases.create('default', { metadata: { name: 'b' }, spec: {} });
    await cluster.client.leases.patch('default', 'b', 'merge', { spec: { holderIdentity: 'x' } });
    await cluster.client.leases.delete('default', 'a');
    await until('4 events', () => seen.length === 4);
    assert.deepEqual(seen, ['add a', 'add b', 'update b', 'delete a']);
    assert.deepEqual([...inf.cache.keys()], ['default/b']);
    inf.stop();
  });

  it('re-lists after a 410 and reports what changed meanwhile', async () => {
    await cluster.client.leases.create('default', { metadata: { name: 'a' }, spec: {} });
    const seen: string[] = [];
    let compactNext = true;
    // A cluster.client whose first watch starts below the compacted revision.
    const leases = cluster.client.leases;
    const flaky = Object.create(leases) as typeof leases;
    flaky.watch = async (ns, opts, onEvent) => {
      if (compactNext) {
        compactNext = false;
        await cluster.client.leases.delete('default', 'a');
        await cluster.client.leases.create('default', { metadata: { name: 'c' }, spec: {} });
        await cluster.store.compact(await cluster.store.currentRevision());
      }
      return leases.watch(ns, opts, onEvent);
    };
    const inf = startInformer(flaky, undefined, {}, { onAdd: (o) => seen.push(`add ${o.metadata.name}`), onDelete: (o) => seen.push(`delete ${o.metadata.name}`) }, 10);
    await until('relist', () => seen.length === 3);
    assert.deepEqual(seen, ['add a', 'add c', 'delete a']);
    inf.stop();
  });
});
