import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { leases, nodes } from '../api/resources.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { decodeContinue, encodeContinue } from './continue-token.ts';
import { GenericRest } from './generic-rest.ts';
import { NamespaceLookup } from './namespace-lookup.ts';
import { apiErrorOf, names, plainStrategy, recordWatch, writeOptions } from './test-support.ts';
import { watchTiming } from './watch.ts';

const lease = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, ...(extra.metadata ?? {}) },
  spec: { holderIdentity: 'a', ...(extra.spec ?? {}) },
});

let store: Store;
let rest: GenericRest;
let lookup: NamespaceLookup;

async function addNamespace(name: string, terminating = false) {
  const status = { phase: terminating ? 'Terminating' : 'Active' };
  const meta: Record<string, unknown> = { name };
  if (terminating) meta.deletionTimestamp = '2026-01-01T00:00:00Z';
  await store.create(`/registry/namespaces/${name}`, JSON.stringify({ kind: 'Namespace', apiVersion: 'v1', metadata: meta, status }));
}

beforeEach(async () => {
  store = openSqliteStore(':memory:');
  lookup = new NamespaceLookup(store);
  rest = new GenericRest(store, plainStrategy(leases, { allowUnconditionalUpdate: false, allowCreateOnUpdate: true }), { namespaces: lookup });
  await addNamespace('default');
});
afterEach(async () => {
  lookup.close();
  await store.close();
});

describe('GenericRest create/get', () => {
  it('fills uid, creationTimestamp, resourceVersion (the store revision) and kind', async () => {
    const created = await rest.create('default', lease('a'), writeOptions());
    assert.match(created.metadata.uid!, /^[0-9a-f-]{36}$/);
    assert.match(created.metadata.creationTimestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(created.metadata.resourceVersion, String(await store.currentRevision()));
    assert.equal(created.metadata.namespace, 'default');
    const stored = JSON.parse((await store.get('/registry/coordination.k8s.io/leases/default/a'))!.value);
    assert.equal(stored.metadata.resourceVersion, undefined, 'the stored JSON carries no resourceVersion');
    const got = await rest.get('default', 'a');
    assert.deepEqual(got, created);
  });

  it('404s a missing object with the group-qualified message', async () => {
    const e = await apiErrorOf(() => rest.get('default', 'nope'));
    assert.equal(e.code, 404);
    assert.equal(e.message, 'leases.coordination.k8s.io "nope" not found');
    assert.deepEqual(e.details, { name: 'nope', kind: 'leases', group: 'coordination.k8s.io' });
  });

  it('409s a duplicate', async () => {
    await rest.create('default', lease('a'), writeOptions());
    const e = await apiErrorOf(() => rest.create('default', lease('a'), writeOptions()));
    assert.equal(e.code, 409);
    assert.equal(e.reason, 'AlreadyExists');
    assert.equal(e.message, 'leases.coordination.k8s.io "a" already exists');
  });

  it('generates names from generateName', async () => {
    const a = await rest.create('default', { metadata: { generateName: 'web-' }, spec: {} }, writeOptions());
    assert.match(a.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('rejects a body namespace that differs from the URL', async () => {
    const e = await apiErrorOf(() => rest.create('default', lease('a', { metadata: { name: 'a', namespace: 'other' } }), writeOptions()));
    assert.equal(e.code, 400);
    assert.equal(e.message, 'the namespace of the provided object does not match the namespace sent on the request');
  });

  it('404s a missing namespace and 403s a terminating one', async () => {
    let e = await apiErrorOf(() => rest.create('nope', lease('a'), writeOptions()));
    assert.equal(e.code, 404);
    assert.equal(e.message, 'namespaces "nope" not found');
    await addNamespace('gone', true);
    e = await apiErrorOf(() => rest.create('gone', lease('a'), writeOptions()));
    assert.equal(e.code, 403);
    assert.equal(e.message, 'leases.coordination.k8s.io "a" is forbidden: unable to create new content in namespace gone because it is being terminated');
    assert.deepEqual(e.details?.causes, [{ reason: 'NamespaceTerminating', message: 'namespace gone is being terminated', field: 'metadata.namespace' }]);
  });

  it('dry run writes nothing', async () => {
    const before = await store.currentRevision();
    const out = await rest.create('default', lease('a'), writeOptions({ dryRun: true }));
    assert.equal(out.metadata.name, 'a');
    assert.equal(await store.currentRevision(), before);
    await assert.rejects(rest.get('default', 'a'));
    await rest.create('default', lease('a'), writeOptions());
    const e = await apiErrorOf(() => rest.create('default', lease('a'), writeOptions({ dryRun: true })));
    assert.equal(e.reason, 'AlreadyExists');
  });

  it('returns 422 with the strategy’s field errors', async () => {
    const e = await apiErrorOf(() => rest.create('default', lease('Bad_Name'), writeOptions()));
    assert.equal(e.code, 422);
    assert.match(e.message, /^Lease "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"/);
  });

  it('refuses a resourceVersion on create', async () => {
    const e = await apiErrorOf(() => rest.create('default', lease('a', { metadata: { name: 'a', resourceVersion: '3' } }), writeOptions()));
    assert.equal(e.code, 500);
    assert.equal(e.message, 'resourceVersion should not be set on objects to be created');
  });
});

describe('GenericRest update/patch', () => {
  it('updates with a matching resourceVersion and 409s a stale one', async () => {
    const a = await rest.create('default', lease('a'), writeOptions());
    const next = { ...a, spec: { holderIdentity: 'b' } };
    const { object } = await rest.update('default', 'a', structuredClone(next), writeOptions());
    assert.equal(object.spec.holderIdentity, 'b');
    assert.ok(Number(object.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
    assert.equal(object.metadata.uid, a.metadata.uid);
    const e = await apiErrorOf(() => rest.update('default', 'a', structuredClone(next), writeOptions()));
    assert.equal(e.code, 409);
    assert.equal(e.reason, 'Conflict');
    assert.equal(
      e.message,
      'Operation cannot be fulfilled on leases.coordination.k8s.io "a": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('requires a resourceVersion when the kind does not allow unconditional updates', async () => {
    await rest.create('default', lease('a'), writeOptions());
    const e = await apiErrorOf(() => rest.update('default', 'a', lease('a'), writeOptions()));
    assert.equal(e.code, 422);
    assert.equal(e.message, 'leases "a" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update');
  });

  it('PUT without resourceVersion is unconditional where allowed, and creates where allowed', async () => {
    const nodeRest = new GenericRest(store, plainStrategy(nodes));
    await nodeRest.create(undefined, { metadata: { name: 'n1' }, spec: {} }, writeOptions());
    const { object } = await nodeRest.update(undefined, 'n1', { metadata: { name: 'n1' }, spec: { unschedulable: true } }, writeOptions());
    assert.equal(object.spec.unschedulable, true);
    const e = await apiErrorOf(() => nodeRest.update(undefined, 'n2', { metadata: { name: 'n2' }, spec: {} }, writeOptions()));
    assert.equal(e.code, 404);
    const created = await rest.update('default', 'fresh', lease('fresh'), writeOptions());
    assert.equal(created.created, true);
  });

  it('400s a body whose name differs from the URL', async () => {
    await rest.create('default', lease('a'), writeOptions());
    const e = await apiErrorOf(() => rest.update('default', 'a', lease('b'), writeOptions()));
    assert.equal(e.code, 400);
    assert.equal(e.message, 'the name of the object (b) does not match the name on the URL (a)');
  });

  it('does not write an unchanged object', async () => {
    const a = await rest.create('default', lease('a'), writeOptions());
    const { object } = await rest.update('default', 'a', structuredClone(a), writeOptions());
    assert.equal(object.metadata.resourceVersion, a.metadata.resourceVersion);
  });

  it('merge and json patches, with a resourceVersion precondition in the patch', async () => {
    const a = await rest.create('default', lease('a'), writeOptions());
    let r = await rest.patch('default', 'a', 'merge', { metadata: { labels: { x: 'y' } } }, writeOptions());
    assert.deepEqual(r.object.metadata.labels, { x: 'y' });
    r = await rest.patch('default', 'a', 'json', [{ op: 'replace', path: '/spec/holderIdentity', value: 'z' }], writeOptions());
    assert.equal(r.object.spec.holderIdentity, 'z');
    const e = await apiErrorOf(() => rest.patch('default', 'a', 'merge', { metadata: { resourceVersion: a.metadata.resourceVersion } }, writeOptions()));
    assert.equal(e.code, 409);
    const e2 = await apiErrorOf(() => rest.patch('default', 'a', 'merge', { metadata: { name: 'other' } }, writeOptions()));
    assert.equal(e2.code, 400);
  });

  it('patches retry on a store conflict', async () => {
    await rest.create('default', lease('a'), writeOptions());
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => rest.patch('default', 'a', 'merge', { metadata: { labels: { [`k${i}`]: 'v' } } }, writeOptions())),
    );
    assert.equal(results.length, 20);
    const got = await rest.get('default', 'a');
    assert.equal(Object.keys(got.metadata.labels!).length, 20);
  });

  it('keeps uid, creationTimestamp and deletionTimestamp across updates', async () => {
    const a = await rest.create('default', lease('a'), writeOptions());
    const body = structuredClone(a);
    body.metadata.uid = '';
    delete body.metadata.creationTimestamp;
    const { object } = await rest.update('default', 'a', body, writeOptions());
    assert.equal(object.metadata.uid, a.metadata.uid);
    assert.equal(object.metadata.creationTimestamp, a.metadata.creationTimestamp);
  });
});

describe('GenericRest delete', () => {
  it('returns a Success Status with details.kind = plural for kinds without ReturnDeletedObject', async () => {
    const a = await rest.create('default', lease('a'), writeOptions());
    const r = await rest.delete('default', 'a', {}, writeOptions());
    assert.equal(r.code, 200);
    assert.deepEqual(r.body, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'a', group: 'coordination.k8s.io', kind: 'leases', uid: a.metadata.uid },
    });
    assert.equal((await apiErrorOf(() => rest.get('default', 'a'))).code, 404);
    assert.equal((await apiErrorOf(() => rest.delete('default', 'a', {}, writeOptions()))).code, 404);
  });

  it('checks uid and resourceVersion preconditions with the exact messages', async () => {
    const a = await rest.create('default', lease('a'), writeOptions());
    let e = await apiErrorOf(() => rest.delete('default', 'a', { preconditions: { uid: 'x' } }, writeOptions()));
    assert.equal(e.code, 409);
    assert.equal(
      e.message,
      `Operation cannot be fulfilled on Lease.coordination.k8s.io "a": the UID in the precondition (x) does not match the UID in record (${a.metadata.uid}). The object might have been deleted and then recreated`,
    );
    e = await apiErrorOf(() => rest.delete('default', 'a', { preconditions: { resourceVersion: '1' } }, writeOptions()));
    assert.equal(
      e.message,
      `Operation cannot be fulfilled on Lease.coordination.k8s.io "a": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${a.metadata.resourceVersion}). The object might have been modified`,
    );
    await rest.delete('default', 'a', { preconditions: { uid: a.metadata.uid, resourceVersion: a.metadata.resourceVersion } }, writeOptions());
  });

  it('finalizers keep the object (deletionTimestamp, grace 0) until an update empties them', async () => {
    await rest.create('default', lease('a', { metadata: { name: 'a', finalizers: ['example.com/x'] } }), writeOptions());
    const r = await rest.delete('default', 'a', {}, writeOptions());
    assert.equal(r.code, 200);
    const marked = await rest.get('default', 'a');
    assert.ok(marked.metadata.deletionTimestamp);
    assert.equal(marked.metadata.deletionGracePeriodSeconds, 0);
    // A repeated delete changes nothing.
    await rest.delete('default', 'a', {}, writeOptions());
    assert.equal((await rest.get('default', 'a')).metadata.resourceVersion, marked.metadata.resourceVersion);
    // A new finalizer may not be added while deleting.
    const e = await apiErrorOf(() => rest.patch('default', 'a', 'merge', { metadata: { finalizers: ['example.com/x', 'example.com/y'] } }, writeOptions()));
    assert.equal(e.code, 422);
    const w = await recordWatch(rest, 'default', { resourceVersion: marked.metadata.resourceVersion });
    const { object } = await rest.patch('default', 'a', 'merge', { metadata: { finalizers: null } }, writeOptions());
    assert.equal(object.metadata.name, 'a');
    assert.equal((await apiErrorOf(() => rest.get('default', 'a'))).code, 404);
    const [ev] = await w.next(1);
    assert.equal(ev!.type, 'DELETED');
    w.handle.stop();
  });

  it('dry-run delete keeps the object', async () => {
    await rest.create('default', lease('a'), writeOptions());
    await rest.delete('default', 'a', { dryRun: ['All'] }, writeOptions({ dryRun: true }));
    await rest.get('default', 'a');
  });

  it('deleteCollection removes what the selector matches', async () => {
    await rest.create('default', lease('a', { metadata: { name: 'a', labels: { app: 'x' } } }), writeOptions());
    await rest.create('default', lease('b', { metadata: { name: 'b', labels: { app: 'y' } } }), writeOptions());
    const gone = await rest.deleteCollection('default', { labelSelector: 'app=x' }, {}, writeOptions());
    assert.deepEqual(names(gone), ['a']);
    assert.deepEqual(names(await rest.list('default', {})), ['b']);
  });
});

describe('GenericRest list', () => {
  beforeEach(async () => {
    await addNamespace('other');
    for (const n of ['a', 'b', 'c', 'd', 'e']) {
      await rest.create('default', lease(n, { metadata: { name: n, labels: { parity: 'abcde'.indexOf(n) % 2 ? 'odd' : 'even' } } }), writeOptions());
    }
    await rest.create('other', lease('z'), writeOptions());
  });

  it('lists one namespace or all, in key order, at the store revision', async () => {
    const l = await rest.list('default', {});
    assert.equal(l.kind, 'LeaseList');
    assert.equal(l.apiVersion, 'coordination.k8s.io/v1');
    assert.deepEqual(names(l), ['a', 'b', 'c', 'd', 'e']);
    assert.equal(l.metadata.resourceVersion, String(await store.currentRevision()));
    assert.deepEqual(names(await rest.list(undefined, {})), ['a', 'b', 'c', 'd', 'e', 'z']);
  });

  it('filters by label and field selectors; 400 for an unsupported field label', async () => {
    assert.deepEqual(names(await rest.list('default', { labelSelector: 'parity=odd' })), ['b', 'd']);
    assert.deepEqual(names(await rest.list('default', { labelSelector: 'parity!=odd' })), ['a', 'c', 'e']);
    assert.deepEqual(names(await rest.list(undefined, { fieldSelector: 'metadata.name=z' })), ['z']);
    assert.deepEqual(names(await rest.list(undefined, { fieldSelector: 'metadata.namespace=other' })), ['z']);
    assert.deepEqual(names(await rest.list('default', { fieldSelector: 'metadata.name=c' })), ['c']);
    const e = await apiErrorOf(() => rest.list('default', { fieldSelector: 'spec.foo=bar' }));
    assert.equal(e.code, 400);
    assert.match(e.message, /spec\.foo/);
  });

  it('pages with limit + continue at a fixed revision, with remainingItemCount', async () => {
    const p1 = await rest.list('default', { limit: 2 });
    assert.deepEqual(names(p1), ['a', 'b']);
    assert.equal(p1.metadata.remainingItemCount, 3);
    const token = decodeContinue(p1.metadata.continue!);
    assert.equal(String(token.rv), p1.metadata.resourceVersion);
    // A write between pages is not seen by the continuation.
    await rest.create('default', lease('bb'), writeOptions());
    const p2 = await rest.list('default', { limit: 2, continue: p1.metadata.continue });
    assert.deepEqual(names(p2), ['c', 'd']);
    assert.equal(p2.metadata.resourceVersion, p1.metadata.resourceVersion);
    const p3 = await rest.list('default', { limit: 2, continue: p2.metadata.continue });
    assert.deepEqual(names(p3), ['e']);
    assert.equal(p3.metadata.continue, undefined);
    assert.equal(p3.metadata.remainingItemCount, undefined);
  });

  it('pages through selectors without remainingItemCount', async () => {
    const p1 = await rest.list('default', { limit: 2, labelSelector: 'parity=even' });
    assert.deepEqual(names(p1), ['a', 'c']);
    assert.ok(p1.metadata.continue);
    assert.equal(p1.metadata.remainingItemCount, undefined);
    const p2 = await rest.list('default', { limit: 2, labelSelector: 'parity=even', continue: p1.metadata.continue });
    assert.deepEqual(names(p2), ['e']);
  });

  it('410s an expired continue token and an Exact list of a compacted revision', async () => {
    const p1 = await rest.list('default', { limit: 2 });
    await rest.create('default', lease('f'), writeOptions());
    await store.compact(await store.currentRevision());
    let e = await apiErrorOf(() => rest.list('default', { limit: 2, continue: p1.metadata.continue }));
    assert.equal(e.code, 410);
    assert.equal(e.reason, 'Expired');
    assert.equal(
      e.message,
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
    );
    e = await apiErrorOf(() => rest.list('default', { resourceVersion: p1.metadata.resourceVersion, resourceVersionMatch: 'Exact' }));
    assert.equal(e.code, 410);
    assert.equal(e.message, 'The resourceVersion for the provided list is too old.');
  });

  it('lists exactly at an older revision', async () => {
    const before = await rest.list('default', {});
    await rest.delete('default', 'a', {}, writeOptions());
    const old = await rest.list('default', { resourceVersion: before.metadata.resourceVersion, resourceVersionMatch: 'Exact' });
    assert.deepEqual(names(old), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(names(await rest.list('default', { resourceVersion: '0' })), ['b', 'c', 'd', 'e']);
  });

  it('validates resourceVersionMatch as apimachinery does', async () => {
    let e = await apiErrorOf(() => rest.list('default', { resourceVersionMatch: 'Exact' }));
    assert.equal(e.code, 422);
    assert.equal(
      e.message,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
    e = await apiErrorOf(() => rest.list('default', { resourceVersion: '0', resourceVersionMatch: 'Exact' }));
    assert.match(e.message, /resourceVersionMatch "exact" is forbidden for resourceVersion "0"/);
    e = await apiErrorOf(() => rest.list('default', { resourceVersion: '5', resourceVersionMatch: 'x' }));
    assert.match(e.message, /Unsupported value: "x": supported values: "Exact", "NotOlderThan", ""/);
    e = await apiErrorOf(() => rest.list('default', { continue: encodeContinue(1, 'a'), resourceVersion: '3' }));
    assert.equal(e.code, 400);
    assert.equal(e.message, 'specifying resource version is not allowed when using continue');
  });

  it('504s a resourceVersion the store has not reached', async () => {
    const current = await store.currentRevision();
    const e = await apiErrorOf(() => rest.list('default', { resourceVersion: String(current + 100), resourceVersionMatch: 'Exact' }));
    assert.equal(e.code, 504);
    assert.match(e.message, /^Too large resource version: \d+, current: \d+$/);
  });
});

describe('GenericRest watch', () => {
  it('unset resourceVersion: synthetic ADDED for existing objects, then live events', async () => {
    await rest.create('default', lease('a'), writeOptions());
    const w = await recordWatch(rest, 'default', {});
    await w.next(1);
    const b = await rest.create('default', lease('b'), writeOptions());
    await rest.patch('default', 'b', 'merge', { spec: { holderIdentity: 'q' } }, writeOptions());
    await rest.delete('default', 'b', {}, writeOptions());
    const ev = await w.next(4);
    assert.deepEqual(
      ev.map((e) => [e.type, (e.object as KubeObject).metadata.name]),
      [
        ['ADDED', 'a'],
        ['ADDED', 'b'],
        ['MODIFIED', 'b'],
        ['DELETED', 'b'],
      ],
    );
    assert.equal((ev[1]!.object as KubeObject).metadata.resourceVersion, b.metadata.resourceVersion);
    assert.equal((ev[3]!.object as KubeObject).metadata.resourceVersion, String(await store.currentRevision()), 'DELETED carries the deletion revision');
    w.handle.stop();
  });

  it('resourceVersion N: only changes after N', async () => {
    const a = await rest.create('default', lease('a'), writeOptions());
    await rest.create('default', lease('b'), writeOptions());
    const w = await recordWatch(rest, 'default', { resourceVersion: a.metadata.resourceVersion });
    const [ev] = await w.next(1);
    assert.equal(ev!.type, 'ADDED');
    assert.equal((ev!.object as KubeObject).metadata.name, 'b');
    w.handle.stop();
  });

  it('selectors: objects that stop matching are DELETED, ones that start matching ADDED', async () => {
    const w = await recordWatch(rest, 'default', { labelSelector: 'app=web', resourceVersion: String(await store.currentRevision()) });
    await rest.create('default', lease('a'), writeOptions());
    await rest.patch('default', 'a', 'merge', { metadata: { labels: { app: 'web' } } }, writeOptions());
    await rest.patch('default', 'a', 'merge', { spec: { holderIdentity: 'x' } }, writeOptions());
    await rest.patch('default', 'a', 'merge', { metadata: { labels: { app: 'db' } } }, writeOptions());
    const ev = await w.next(3);
    assert.deepEqual(
      ev.map((e) => e.type),
      ['ADDED', 'MODIFIED', 'DELETED'],
    );
    const deleted = ev[2]!.object as KubeObject;
    assert.equal(deleted.metadata.labels!.app, 'web', 'DELETED carries the last matching state');
    assert.equal(deleted.metadata.resourceVersion, String(await store.currentRevision()));
    w.handle.stop();
  });

  it('field selector metadata.name watches one object', async () => {
    await rest.create('default', lease('web'), writeOptions());
    await rest.create('default', lease('web-1'), writeOptions());
    const w = await recordWatch(rest, 'default', { fieldSelector: 'metadata.name=web' });
    await rest.delete('default', 'web-1', {}, writeOptions());
    await rest.delete('default', 'web', {}, writeOptions());
    const ev = await w.next(2);
    assert.deepEqual(ev.map((e) => `${e.type} ${(e.object as KubeObject).metadata.name}`), ['ADDED web', 'DELETED web']);
    w.handle.stop();
  });

  it('a compacted start gives one 410 ERROR', async () => {
    const a = await rest.create('default', lease('a'), writeOptions());
    await rest.create('default', lease('b'), writeOptions());
    const rev = await store.currentRevision();
    await store.compact(rev);
    const w = await recordWatch(rest, 'default', { resourceVersion: String(Number(a.metadata.resourceVersion) - 1) });
    const [ev] = await w.next(1);
    assert.equal(ev!.type, 'ERROR');
    assert.deepEqual(ev!.object, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `too old resource version: ${Number(a.metadata.resourceVersion) - 1} (${rev})`,
      reason: 'Expired',
      code: 410,
    });
    await rest.create('default', lease('c'), writeOptions());
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(w.events.length, 1);
  });

  it('sends bookmarks when asked, and an initial-events-end bookmark for sendInitialEvents', async () => {
    const saved = watchTiming.bookmarkIntervalMs;
    watchTiming.bookmarkIntervalMs = 30;
    try {
      await rest.create('default', lease('a'), writeOptions());
      const w = await recordWatch(rest, 'default', { allowWatchBookmarks: true, sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' });
      const ev = await w.next(3);
      assert.equal(ev[0]!.type, 'ADDED');
      assert.equal(ev[1]!.type, 'BOOKMARK');
      assert.deepEqual((ev[1]!.object as KubeObject).metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
      assert.equal(ev[2]!.type, 'BOOKMARK');
      assert.deepEqual(ev[2]!.object, { kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', metadata: { resourceVersion: String(await store.currentRevision()) } });
      w.handle.stop();
    } finally {
      watchTiming.bookmarkIntervalMs = saved;
    }
  });

  it('rejects resourceVersionMatch without sendInitialEvents', async () => {
    const e = await apiErrorOf(() => rest.watch('default', { resourceVersionMatch: 'NotOlderThan' }, () => {}));
    assert.equal(e.code, 422);
    assert.match(e.message, /resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided/);
  });

  it('delivers nothing before the handle is returned and nothing after stop', async () => {
    await rest.create('default', lease('a'), writeOptions());
    let handleReady = false;
    const seen: string[] = [];
    const h = await rest.watch('default', {}, (t) => {
      assert.ok(handleReady);
      seen.push(t);
    });
    handleReady = true;
    await new Promise((r) => setImmediate(r));
    h.stop();
    await rest.create('default', lease('b'), writeOptions());
    assert.deepEqual(seen, ['ADDED']);
  });
});

describe('GenericRest listJson', () => {
  it('is the JSON text of list(), with and without selectors and paging', async () => {
    await addNamespace('other');
    for (const n of ['a', 'b', 'c']) await rest.create('default', lease(n, { metadata: { name: n, labels: { x: n } } }), writeOptions());
    // An entry stored by an older writer (no canonical head) still comes out right.
    await store.create('/registry/coordination.k8s.io/leases/default/d', JSON.stringify({ metadata: { name: 'd', namespace: 'default' }, spec: {} }));
    for (const opts of [{}, { limit: 2 }, { labelSelector: 'x=b' }, { fieldSelector: 'metadata.name=d' }]) {
      const list = await rest.list('default', opts);
      const text = await rest.listJson('default', opts);
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(list)));
    }
  });
});
