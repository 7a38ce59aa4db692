import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEventTtl } from './event-ttl.ts';
import { useLocalCluster } from '../client/test-local-cluster.ts';

const cluster = useLocalCluster();

const event = (name: string, lastTimestamp: string) => ({
  metadata: { name },
  involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
  reason: 'r',
  message: 'm',
  lastTimestamp,
});

describe('event TTL', () => {
  it('removes events an hour after their last write; a write re-arms the clock', async () => {
    let now = Date.parse('2026-11-25T10:00:00Z');
    await cluster.client.events.create('default', event('old', '2026-11-25T08:00:00Z'));
    const ttl = startEventTtl(cluster.client, { now: () => now, sweepMs: 3_600_000 });
    try {
      await new Promise((r) => setTimeout(r, 50));
      await cluster.client.events.create('default', event('fresh', '2026-11-25T10:00:00Z'));
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(await ttl.sweep(), 1, 'the event listed with an old timestamp expires');
      now += 50 * 60_000;
      await cluster.client.events.patch('default', 'fresh', 'merge', { count: 2 });
      await new Promise((r) => setTimeout(r, 20));
      now += 20 * 60_000;
      assert.equal(await ttl.sweep(), 0, 'the patch re-armed the TTL');
      now += 41 * 60_000;
      assert.equal(await ttl.sweep(), 1);
      assert.equal((await cluster.client.events.list('default')).items.length, 0);
    } finally {
      ttl.stop();
    }
  });
});
