import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEventTtl } from '../controllers/event-ttl.ts';
import { useLocalCluster } from '../client/test-local-cluster.ts';

const cluster = useLocalCluster();

const legacy = (name: string) => ({
  metadata: { name },
  involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', uid: 'u1' },
  reason: 'BackOff',
  message: 'Back-off restarting failed container',
  type: 'Warning',
  source: { component: 'kubelet', host: 'n1' },
  firstTimestamp: '2026-11-25T10:00:00Z',
  lastTimestamp: '2026-11-25T10:00:00Z',
  count: 1,
});

const seriesEvent = (name: string) => ({
  metadata: { name },
  involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', uid: 'u1' },
  reason: 'FailedScheduling',
  message: '0/1 nodes are available',
  type: 'Warning',
  action: 'Scheduling',
  eventTime: '2026-11-25T10:00:00.000000Z',
  reportingComponent: 'default-scheduler',
  reportingInstance: 'default-scheduler-host',
});

describe('events: aggregation writes', () => {
  it('accepts the recorder’s strategic PATCH of count / lastTimestamp / message (legacy aggregation)', async () => {
    await cluster.client.events.create('default', legacy('web.1'));
    const object = await cluster.client.events.patch('default', 'web.1', 'strategic', { count: 2, lastTimestamp: '2026-11-25T10:05:00Z', message: 'again' });
    assert.equal(object.count, 2);
    assert.equal(object.firstTimestamp, '2026-11-25T10:00:00Z');
    assert.equal(object.lastTimestamp, '2026-11-25T10:05:00Z');
    assert.equal(object.message, 'again');
  });

  it('accepts a series PATCH (events.k8s.io-style repeats) and a later count bump', async () => {
    await cluster.client.events.create('default', seriesEvent('web.2'));
    let r = await cluster.client.events.patch('default', 'web.2', 'merge', { series: { count: 2, lastObservedTime: '2026-11-25T10:01:00.000000Z' } });
    assert.deepEqual(r.series, { count: 2, lastObservedTime: '2026-11-25T10:01:00.000000Z' });
    r = await cluster.client.events.patch('default', 'web.2', 'strategic', { series: { count: 3, lastObservedTime: '2026-11-25T10:02:00.000000Z' } });
    assert.equal(r.series.count, 3);
    assert.equal(r.eventTime, '2026-11-25T10:00:00.000000Z');
  });

  it('events expire after the TTL since their last write (short TTL)', async () => {
    const ttl = startEventTtl(cluster.client, { ttlMs: 300, sweepMs: 3_600_000 });
    try {
      await cluster.client.events.create('default', legacy('web.3'));
      await cluster.client.events.create('default', legacy('web.4'));
      await new Promise((r) => setTimeout(r, 200));
      await cluster.client.events.patch('default', 'web.4', 'strategic', { count: 2, lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') });
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(await ttl.sweep(), 1, 'web.3 is past its TTL; the patch re-armed web.4');
      assert.deepEqual((await cluster.client.events.list('default')).items.map((e) => e.metadata.name), ['web.4']);
      await new Promise((r) => setTimeout(r, 350));
      assert.equal(await ttl.sweep(), 1);
      assert.equal((await cluster.client.events.list('default')).items.length, 0);
    } finally {
      ttl.stop();
    }
  });
});
