import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalClient } from './local-client.ts';
import { useLocalCluster } from './test-local-cluster.ts';

const cluster = useLocalCluster();

describe('LocalClient', () => {
  it('creates, binds, updates status, pages and deletes pods without touching the caller’s objects', async () => {
    const manifest = { metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const created = await cluster.client.pods.create('default', manifest);
    assert.deepEqual(manifest, { metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    assert.equal(created.status.phase, 'Pending');
    await cluster.client.pods.bind('default', 'web', 'n1', created.metadata.uid);
    const bound = await cluster.client.pods.get('default', 'web');
    assert.equal(bound.spec.nodeName, 'n1');
    const running = await cluster.client.pods.updateStatus({ ...bound, status: { ...bound.status, phase: 'Running' } });
    assert.equal(running.status.phase, 'Running');
    const patched = await cluster.client.pods.patchStatus('default', 'web', 'merge', { status: { podIP: '10.1.0.2' } });
    assert.equal(patched.status.podIP, '10.1.0.2');
    for (let i = 0; i < 5; i++) await cluster.client.pods.create('default', { metadata: { name: `p${i}` }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const all = await cluster.client.pods.listAll('default', {}, 2);
    assert.equal(all.items.length, 6);
    const r = await cluster.client.pods.delete('default', 'web', { gracePeriodSeconds: 0 });
    assert.equal(r.code, 200);
    assert.equal(cluster.client.leases.info.group, 'coordination.k8s.io');
    assert.throws(() => cluster.client.resource('services'));
  });
});
