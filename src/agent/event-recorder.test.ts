import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LocalClient } from '../client/local-client.ts';
import { createRegistry, type Registry } from '../registry/registry.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { KubeletEventRecorder } from './event-recorder.ts';
import { recordConditionChanges } from './node-events.ts';
import { nodeConditions } from './node-conditions.ts';

let store: Store;
let registry: Registry;
let client: LocalClient;
before(async () => {
  store = openSqliteStore(':memory:');
  registry = createRegistry(store);
  await registry.bootstrap();
  client = new LocalClient(registry);
});
after(async () => {
  await registry.close();
  await store.close();
});

const ref = { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{c}' };

test('a new event is POSTed as <name>.<hex nanos> with the kubelet source; a repeat PATCHes count + lastTimestamp', async () => {
  const r = new KubeletEventRecorder(client.events, 'node-1');
  r.event(ref, 'Warning', 'BackOff', 'Back-off restarting failed container c in pod web_default(u1)');
  r.event(ref, 'Normal', 'Pulled', 'Container image "x" already present on machine');
  r.event(ref, 'Warning', 'BackOff', 'Back-off restarting failed container c in pod web_default(u1)');
  r.event(ref, 'Warning', 'BackOff', 'Back-off restarting failed container c in pod web_default(u1)');
  await r.flush();
  const evs = (await client.events.list('default')).items;
  assert.equal(evs.length, 2);
  const backoff = evs.find((e) => e.reason === 'BackOff')!;
  assert.match(backoff.metadata.name!, /^web\.[0-9a-f]{16,}$/);
  assert.equal(backoff.count, 3);
  assert.deepEqual(backoff.source, { component: 'kubelet', host: 'node-1' });
  assert.equal(backoff.reportingComponent, 'kubelet');
  assert.equal(backoff.reportingInstance, 'node-1');
  assert.equal(backoff.involvedObject.fieldPath, 'spec.containers{c}');
  assert.ok(backoff.firstTimestamp && backoff.lastTimestamp);
  assert.equal(evs.find((e) => e.reason === 'Pulled')!.count, 1);
});

test('the spam filter drops events of one object beyond the burst', async () => {
  const r = new KubeletEventRecorder(client.events, 'node-1', { burst: 3 });
  const obj = { kind: 'Pod', namespace: 'default', name: 'spam', uid: 'u2' };
  for (let i = 0; i < 5; i++) r.event(obj, 'Normal', 'X', `message ${i}`);
  await r.flush();
  const evs = (await client.events.list('default')).items.filter((e) => e.involvedObject.name === 'spam');
  assert.equal(evs.length, 3);
});

test('node condition changes become NodeReady / NodeHasSufficientMemory … events on the Node (uid = name)', async () => {
  const r = new KubeletEventRecorder(client.events, 'n9');
  const notReady = nodeConditions(undefined, { ready: false }, new Date());
  recordConditionChanges(r, 'n9', undefined, notReady);
  recordConditionChanges(r, 'n9', notReady, nodeConditions(notReady, { ready: true }, new Date()));
  await r.flush();
  const evs = (await client.events.list('default')).items.filter((e) => e.involvedObject.kind === 'Node' && e.involvedObject.name === 'n9');
  // a new Ready condition records nothing (kubelet), its later flip does
  assert.deepEqual(evs.map((e) => e.reason).sort(), ['NodeHasNoDiskPressure', 'NodeHasSufficientMemory', 'NodeHasSufficientPID', 'NodeReady']);
  assert.equal(evs.find((e) => e.reason === 'NodeReady')!.message, 'Node n9 status is now: NodeReady');
  assert.equal(evs[0].involvedObject.uid, 'n9');
});
