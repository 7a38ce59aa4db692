import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { LocalClient } from '../client/local-client.ts';
import { isApiError } from '../machinery/api-error.ts';
import { createRegistry } from '../registry/registry.ts';
import type { Registry } from '../registry/registry.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { namespaceControllerTiming, startNamespaceController } from './namespace-controller.ts';

let store: Store;
let registry: Registry;
let client: LocalClient;
let controller: { stop(): void };

const pod = (name: string): KubeObject => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const gone = async (ns: string) => {
  try {
    await client.namespaces.get(undefined, ns);
    return undefined;
  } catch (err) {
    return isApiError(err) && err.code === 404 ? true : undefined;
  }
};

beforeEach(async () => {
  namespaceControllerTiming.requeueMs = 50;
  store = openSqliteStore(':memory:');
  registry = createRegistry(store);
  await registry.bootstrap();
  client = new LocalClient(registry);
  controller = startNamespaceController(client);
});
afterEach(async () => {
  controller.stop();
  registry.close();
  await store.close();
});

describe('namespace controller', () => {
  it('empties a terminating namespace and finalizes it (DELETED)', async () => {
    await client.namespaces.create(undefined, { metadata: { name: 'dev' } });
    await client.pods.create('dev', pod('a'));
    await client.events.create('dev', { metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'a', namespace: 'dev' }, reason: 'x', message: 'y' });
    await client.leases.create('dev', { metadata: { name: 'l' }, spec: {} });
    const deletedEvents: string[] = [];
    const w = await client.namespaces.watch(undefined, { fieldSelector: 'metadata.name=dev' }, (type) => deletedEvents.push(type));
    await client.namespaces.delete(undefined, 'dev');
    await until('namespace gone', () => gone('dev'));
    assert.equal((await client.pods.list('dev')).items.length, 0);
    assert.equal((await client.events.list('dev')).items.length, 0);
    assert.equal((await client.leases.list('dev')).items.length, 0);
    await until('DELETED event', async () => (deletedEvents.includes('DELETED') ? true : undefined));
    w.stop();
  });

  it('waits for graceful pods, reporting what remains, then finalizes', async () => {
    await client.namespaces.create(undefined, { metadata: { name: 'dev' } });
    const p = await client.pods.create('dev', pod('web'));
    await client.pods.bind('dev', 'web', 'n1');
    await client.namespaces.delete(undefined, 'dev');
    const ns = await until('conditions', async () => {
      const cur = await client.namespaces.get(undefined, 'dev');
      return cur.status?.conditions?.length === 5 ? cur : undefined;
    });
    assert.equal(ns.status.phase, 'Terminating');
    const byType = Object.fromEntries(ns.status.conditions.map((c: { type: string }) => [c.type, c]));
    assert.equal(byType.NamespaceContentRemaining.status, 'True');
    assert.equal(byType.NamespaceContentRemaining.reason, 'SomeResourcesRemain');
    assert.equal(byType.NamespaceContentRemaining.message, 'Some resources are remaining: pods. has 1 resource instances');
    assert.equal(byType.NamespaceDeletionDiscoveryFailure.status, 'False');
    assert.equal(byType.NamespaceDeletionDiscoveryFailure.message, 'All resources successfully discovered');
    const terminating = await client.pods.get('dev', 'web');
    assert.equal(terminating.metadata.deletionGracePeriodSeconds, 30);
    // The kubelet confirms.
    await client.pods.delete('dev', 'web', { gracePeriodSeconds: 0, preconditions: { uid: p.metadata.uid } });
    await until('namespace gone', () => gone('dev'));
  });
});
