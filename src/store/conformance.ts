import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeyValue, Store, WatchEvent } from './store.ts';
import { isStoreError, type StoreErrorKind } from './store-error.ts';

/**
 * The behaviour every Store backend must show, written only against the Store interface.
 * Each backend's test file runs it with a factory for a fresh, empty store:
 *
 *   runStoreConformance('sqlite', async () => openSqliteStore(join(tmp, `${n++}.db`)));
 */
export function runStoreConformance(name: string, open: () => Promise<Store>): void {
  const withStore = async (fn: (store: Store) => Promise<void>): Promise<void> => {
    const store = await open();
    try {
      await fn(store);
    } finally {
      await store.close();
    }
  };

  describe(`Store conformance: ${name}`, () => {
    describe('create and get', () => {
      it('creates a key whose create and mod revisions are the new current revision', () =>
        withStore(async (store) => {
          const kv = await store.create('/k/a', 'one');
          assert.equal(kv.key, '/k/a');
          assert.equal(kv.value, 'one');
          assert.equal(kv.createRevision, kv.modRevision);
          assert.equal(await store.currentRevision(), kv.modRevision);
          assert.deepEqual(await store.get('/k/a'), kv);
        }));

      it('returns undefined for a missing key', () =>
        withStore(async (store) => {
          assert.equal(await store.get('/k/missing'), undefined);
        }));

      it("rejects a second create with 'AlreadyExists' and leaves the value and revision alone", () =>
        withStore(async (store) => {
          const kv = await store.create('/k/a', 'one');
          await rejectsWith(store.create('/k/a', 'two'), 'AlreadyExists');
          assert.deepEqual(await store.get('/k/a'), kv);
          assert.equal(await store.currentRevision(), kv.modRevision);
        }));

      it('keeps values byte-exact (unicode, quotes, empty string)', () =>
        withStore(async (store) => {
          const values = ['', '{"a":"\\u00e9\\n"}', 'ünïcødé 🚀', 'x'.repeat(100_000)];
          for (const [i, value] of values.entries()) await store.create(`/v/${i}`, value);
          for (const [i, value] of values.entries()) assert.equal((await store.get(`/v/${i}`))?.value, value);
        }));
    });

    describe('update', () => {
      it('replaces the value when the expected revision matches', () =>
        withStore(async (store) => {
          const created = await store.create('/k/a', 'one');
          const updated = await store.update('/k/a', 'two', created.modRevision);
          assert.equal(updated.value, 'two');
          assert.equal(updated.createRevision, created.createRevision);
          assert.ok(updated.modRevision > created.modRevision, `update at ${updated.modRevision} after create at ${created.modRevision}`);
          assert.deepEqual(await store.get('/k/a'), updated);
        }));

      it("fails with 'Conflict' on a stale revision and changes nothing", () =>
        withStore(async (store) => {
          const created = await store.create('/k/a', 'one');
          const updated = await store.update('/k/a', 'two', created.modRevision);
          await rejectsWith(store.update('/k/a', 'three', created.modRevision), 'Conflict');
          assert.deepEqual(await store.get('/k/a'), updated);
          assert.equal(await store.currentRevision(), updated.modRevision);
        }));

      it("fails with 'NotFound' for a missing or deleted key", () =>
        withStore(async (store) => {
          await rejectsWith(store.update('/k/missing', 'x', 1), 'NotFound');
          const created = await store.create('/k/a', 'one');
          await store.delete('/k/a');
          await rejectsWith(store.update('/k/a', 'x', created.modRevision), 'NotFound');
        }));

      it('lets exactly one of several racing updates at the same revision win', () =>
        withStore(async (store) => {
          const created = await store.create('/k/a', 'zero');
          const results = await Promise.allSettled(
            Array.from({ length: 8 }, (_, i) => store.update('/k/a', `v${i}`, created.modRevision)),
          );
          const won = results.filter((r) => r.status === 'fulfilled');
          assert.equal(won.length, 1);
          for (const r of results) if (r.status === 'rejected') assert.ok(isStoreError(r.reason, 'Conflict'), String(r.reason));
          assert.equal((await store.get('/k/a'))?.value, (won[0] as PromiseFulfilledResult<KeyValue>).value.value);
        }));

      it('lets read-modify-write loops make progress: after a Conflict, get shows the newer value', () =>
        withStore(async (store) => {
          await store.create('/k/n', '0');
          const increment = async (): Promise<number> => {
            for (let attempt = 1; ; attempt++) {
              const kv = (await store.get('/k/n'))!;
              try {
                await store.update('/k/n', String(Number(kv.value) + 1), kv.modRevision);
                return attempt;
              } catch (err) {
                if (!isStoreError(err, 'Conflict')) throw err;
                const now = (await store.get('/k/n'))!;
                assert.ok(now.modRevision > kv.modRevision, 'a Conflict must leave a newer revision readable');
                if (attempt >= 50) throw new Error('no progress after 50 attempts');
              }
            }
          };
          await Promise.all(Array.from({ length: 10 }, increment));
          assert.equal((await store.get('/k/n'))?.value, '10');
        }));
    });

    describe('delete', () => {
      it('returns the last value with modRevision = the deletion revision', () =>
        withStore(async (store) => {
          const created = await store.create('/k/a', 'one');
          const deleted = await store.delete('/k/a');
          assert.equal(deleted.key, '/k/a');
          assert.equal(deleted.value, 'one');
          assert.equal(deleted.createRevision, created.createRevision);
          assert.ok(deleted.modRevision > created.modRevision, `delete at ${deleted.modRevision} after create at ${created.modRevision}`);
          assert.equal(await store.currentRevision(), deleted.modRevision);
          assert.equal(await store.get('/k/a'), undefined);
        }));

      it('honours a precondition: matching deletes, stale fails with Conflict', () =>
        withStore(async (store) => {
          const created = await store.create('/k/a', 'one');
          const updated = await store.update('/k/a', 'two', created.modRevision);
          await rejectsWith(store.delete('/k/a', created.modRevision), 'Conflict');
          assert.deepEqual(await store.get('/k/a'), updated);
          const deleted = await store.delete('/k/a', updated.modRevision);
          assert.equal(deleted.value, 'two');
        }));

      it("fails with 'NotFound' for a missing or already deleted key", () =>
        withStore(async (store) => {
          await rejectsWith(store.delete('/k/missing'), 'NotFound');
          await store.create('/k/a', 'one');
          await store.delete('/k/a');
          await rejectsWith(store.delete('/k/a'), 'NotFound');
        }));

      it('lets a deleted key be created again with a fresh createRevision', () =>
        withStore(async (store) => {
          const first = await store.create('/k/a', 'one');
          await store.delete('/k/a');
          const second = await store.create('/k/a', 'two');
          assert.ok(second.createRevision > first.createRevision, `re-create at ${second.createRevision}, first at ${first.createRevision}`);
          assert.equal(second.createRevision, second.modRevision);
          assert.deepEqual(await store.get('/k/a'), second);
        }));
    });

    describe('revisions', () => {
      it('strictly increase and are shared across keys; failed writes do not consume one', () =>
        withStore(async (store) => {
          const start = await store.currentRevision();
          const a = await store.create('/r/a', '1');
          const b = await store.create('/r/b', '1');
          const a2 = await store.update('/r/a', '2', a.modRevision);
          await rejectsWith(store.update('/r/b', '2', a.modRevision), 'Conflict');
          await rejectsWith(store.create('/r/a', '3'), 'AlreadyExists');
          const bDel = await store.delete('/r/b');
          const revs = [start, a.modRevision, b.modRevision, a2.modRevision, bDel.modRevision];
          for (let i = 1; i < revs.length; i++) assert.ok(revs[i]! > revs[i - 1]!, `revisions ${revs.join(',')}`);
          assert.equal(await store.currentRevision(), bDel.modRevision);
        }));
    });

    describe('list', () => {
      it('isolates prefixes: /a/b/ does not include /a/bc or /a/b itself', () =>
        withStore(async (store) => {
          for (const key of ['/a/b', '/a/b/1', '/a/b/2', '/a/bc', '/a/bc/1', '/a/a', '/b/b/1']) await store.create(key, key);
          assert.deepEqual(keys((await store.list('/a/b/')).items), ['/a/b/1', '/a/b/2']);
          assert.equal(await store.count('/a/b/'), 2);
          assert.deepEqual(keys((await store.list('/a/')).items), ['/a/a', '/a/b', '/a/b/1', '/a/b/2', '/a/bc', '/a/bc/1']);
          assert.equal((await store.list('/nothing/')).items.length, 0);
        }));

      it('returns keys in key order with the current revision, skipping deleted keys', () =>
        withStore(async (store) => {
          const names = ['m', 'c', 'x', 'a', 'q', 'b', 'z', 'k'];
          for (const n of names) await store.create(`/o/${n}`, n);
          await store.delete('/o/q');
          const result = await store.list('/o/');
          assert.deepEqual(keys(result.items), ['a', 'b', 'c', 'k', 'm', 'x', 'z'].map((n) => `/o/${n}`));
          assert.equal(result.revision, await store.currentRevision());
          assert.equal(result.more, false);
          assert.equal(await store.count('/o/'), 7);
        }));

      it('pages with limit + startAfter at a fixed revision while writes continue', () =>
        withStore(async (store) => {
          for (let i = 0; i < 25; i++) await store.create(key3('/p/', i), `v${i}`);
          const snapshot = await store.list('/p/');
          const seen: KeyValue[] = [];
          const first = await store.list('/p/', { limit: 10 });
          assert.equal(first.more, true);
          assert.equal(first.remaining, 15);
          seen.push(...first.items);
          // Writes between pages must not show through the snapshot.
          await store.create('/p/000a', 'new');
          await store.update(key3('/p/', 15), 'changed', snapshot.items[15]!.modRevision);
          await store.delete(key3('/p/', 20));
          await store.create('/p/999', 'new');
          const opts = { limit: 10, revision: first.revision };
          const second = await store.list('/p/', { ...opts, startAfter: seen[seen.length - 1]!.key });
          assert.equal(second.revision, first.revision);
          assert.equal(second.more, true);
          assert.equal(second.remaining, 5);
          seen.push(...second.items);
          const third = await store.list('/p/', { ...opts, startAfter: seen[seen.length - 1]!.key });
          assert.equal(third.more, false);
          assert.equal(third.items.length, 5);
          seen.push(...third.items);
          assert.deepEqual(seen, snapshot.items);
          assert.equal(await store.count('/p/'), 26);
        }));

      it('returns more=false when the limit exactly fits', () =>
        withStore(async (store) => {
          for (let i = 0; i < 3; i++) await store.create(key3('/e/', i), 'v');
          const result = await store.list('/e/', { limit: 3 });
          assert.equal(result.items.length, 3);
          assert.equal(result.more, false);
        }));

      it('reads history: a list at an older revision shows the state then', () =>
        withStore(async (store) => {
          const a = await store.create('/h/a', 'a1');
          await store.create('/h/b', 'b1');
          const at = await store.currentRevision();
          await store.update('/h/a', 'a2', a.modRevision);
          await store.delete('/h/b');
          await store.create('/h/c', 'c1');
          const then = await store.list('/h/', { revision: at });
          assert.equal(then.revision, at);
          assert.deepEqual(
            then.items.map((kv) => [kv.key, kv.value]),
            [['/h/a', 'a1'], ['/h/b', 'b1']],
          );
          const now = await store.list('/h/');
          assert.deepEqual(
            now.items.map((kv) => [kv.key, kv.value]),
            [['/h/a', 'a2'], ['/h/c', 'c1']],
          );
        }));

      it("fails with 'FutureRevision' for a revision newer than the current one", () =>
        withStore(async (store) => {
          await store.create('/f/a', 'a');
          await rejectsWith(store.list('/f/', { revision: (await store.currentRevision()) + 10 }), 'FutureRevision');
        }));
    });

    describe('watch', () => {
      it('replays history after the revision in order, then delivers live writes', () =>
        withStore(async (store) => {
          const a = await store.create('/w/a', 'a1');
          const b = await store.create('/w/b', 'b1');
          const a2 = await store.update('/w/a', 'a2', a.modRevision);
          const rec = recorder();
          const w = store.watch('/w/', a.modRevision, rec.onEvent, rec.onError);
          try {
            const bDel = await store.delete('/w/b');
            const c = await store.create('/w/c', 'c1');
            await rec.until(c.modRevision);
            assert.deepEqual(rec.summary(), [
              ['create', '/w/b', b.modRevision, 'b1'],
              ['update', '/w/a', a2.modRevision, 'a2'],
              ['delete', '/w/b', bDel.modRevision, 'b1'],
              ['create', '/w/c', c.modRevision, 'c1'],
            ]);
            assert.equal(rec.errors.length, 0);
          } finally {
            w.cancel();
          }
        }));

      it('carries prev on update and the last value on delete', () =>
        withStore(async (store) => {
          const rec = recorder();
          const w = store.watch('/w/', await store.currentRevision(), rec.onEvent, rec.onError);
          try {
            const a = await store.create('/w/a', 'a1');
            const a2 = await store.update('/w/a', 'a2', a.modRevision);
            const del = await store.delete('/w/a');
            await rec.until(del.modRevision);
            const [, update, deletion] = rec.events;
            assert.deepEqual(update!.kv, a2);
            if (update!.prev) assert.deepEqual(update!.prev, a);
            assert.deepEqual(deletion!.kv, { key: '/w/a', value: 'a2', createRevision: a.createRevision, modRevision: del.modRevision });
            if (deletion!.prev) assert.deepEqual(deletion!.prev, a2);
          } finally {
            w.cancel();
          }
        }));

      it('filters by prefix: /w/b/ does not see /w/bc; the empty prefix sees everything', () =>
        withStore(async (store) => {
          // Watches start at the store's revision on entry, not 0: a shared backend (etcd) has older history.
          const start = await store.currentRevision();
          const rec = recorder();
          const all = recorder();
          const w = store.watch('/w/b/', start, rec.onEvent, rec.onError);
          const wAll = store.watch('', start, all.onEvent, all.onError);
          try {
            await store.create('/w/bc', 'x');
            await store.create('/w/b', 'x');
            await store.create('/w/a/1', 'x');
            const last = await store.create('/w/b/1', 'x');
            const end = await store.create('/w/c', 'x');
            await rec.until(last.modRevision);
            await all.until(end.modRevision);
            await settle();
            assert.deepEqual(keys(rec.events.map((e) => e.kv)), ['/w/b/1']);
            assert.deepEqual(keys(all.events.map((e) => e.kv)), ['/w/bc', '/w/b', '/w/a/1', '/w/b/1', '/w/c']);
            // Replayed from history, the empty prefix sees the same.
            const replay = recorder();
            const wReplay = store.watch('', start, replay.onEvent, replay.onError);
            await replay.until(end.modRevision);
            wReplay.cancel();
            assert.deepEqual(keys(replay.events.map((e) => e.kv)), ['/w/bc', '/w/b', '/w/a/1', '/w/b/1', '/w/c']);
          } finally {
            w.cancel();
            wAll.cancel();
          }
        }));

      it('from a future revision delivers only the writes after it', () =>
        withStore(async (store) => {
          const start = await store.currentRevision();
          const rec = recorder();
          const w = store.watch('/w/', start + 2, rec.onEvent, rec.onError);
          try {
            await store.create('/w/a', 'x');
            await store.create('/w/b', 'x');
            const c = await store.create('/w/c', 'x');
            await rec.until(c.modRevision);
            assert.deepEqual(keys(rec.events.map((e) => e.kv)), ['/w/c']);
          } finally {
            w.cancel();
          }
        }));

      it('stops delivering after cancel', () =>
        withStore(async (store) => {
          const rec = recorder();
          const w = store.watch('/w/', await store.currentRevision(), rec.onEvent, rec.onError);
          const a = await store.create('/w/a', 'x');
          await rec.until(a.modRevision);
          w.cancel();
          w.cancel();
          await store.create('/w/b', 'x');
          await settle();
          assert.deepEqual(keys(rec.events.map((e) => e.kv)), ['/w/a']);
        }));

      it('gives every watcher exactly its sequence while 500 writes race 5 watcher starts', () =>
        withStore(async (store) => {
          type Write = { key: string; revision: number; type: WatchEvent['type'] };
          const writes: Write[] = [];
          const base = await store.currentRevision();
          const starts: { prefix: string; after: number; rec: ReturnType<typeof recorder>; cancel: () => void }[] = [];
          const startWatcher = async (prefix: string, back: number) => {
            const after = Math.max(base, (await store.currentRevision()) - back);
            const rec = recorder();
            const w = store.watch(prefix, after, rec.onEvent, rec.onError);
            starts.push({ prefix, after, rec, cancel: () => w.cancel() });
          };
          const live = new Map<string, number>();
          const writer = (async () => {
            for (let i = 0; i < 500; i++) {
              const key = `/c/${i % 2 ? 'odd' : 'even'}/${i % 37}`;
              const rev = live.get(key);
              let kv: KeyValue;
              let type: WatchEvent['type'];
              if (rev === undefined) [kv, type] = [await store.create(key, `v${i}`), 'create'];
              else if (i % 5 === 0) [kv, type] = [await store.delete(key, rev), 'delete'];
              else [kv, type] = [await store.update(key, `v${i}`, rev), 'update'];
              if (type === 'delete') live.delete(key);
              else live.set(key, kv.modRevision);
              writes.push({ key, revision: kv.modRevision, type });
              if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
            }
          })();
          const starters = [
            ['/c/', 0, 0],
            ['/c/odd/', 30, 20],
            ['/c/', 100, 45],
            ['/c/even/', 5, 90],
            ['/c/', 1000, 200],
          ] as const;
          const watchers = (async () => {
            for (const [prefix, back, waitWrites] of starters) {
              while (writes.length < waitWrites) await new Promise((resolve) => setImmediate(resolve));
              await startWatcher(prefix, back);
            }
          })();
          try {
            await Promise.all([writer, watchers]);
            const last = writes[writes.length - 1]!.revision;
            for (const s of starts) {
              const expected = writes.filter((w) => w.revision > s.after && w.key.startsWith(s.prefix));
              if (expected.length > 0) await s.rec.until(expected[expected.length - 1]!.revision);
            }
            await settle();
            for (const s of starts) {
              const expected = writes.filter((w) => w.revision > s.after && w.key.startsWith(s.prefix));
              assert.equal(s.rec.errors.length, 0, `watch ${s.prefix} after ${s.after}: ${s.rec.errors.join(', ')}`);
              assert.deepEqual(
                s.rec.events.map((e) => ({ key: e.kv.key, revision: e.kv.modRevision, type: e.type })),
                expected,
                `watch ${s.prefix} after ${s.after} (last revision ${last})`,
              );
            }
          } finally {
            for (const s of starts) s.cancel();
          }
        }));
    });

    describe('compaction', () => {
      it("makes older lists and watches fail with 'Compacted' and keeps live values", () =>
        withStore(async (store) => {
          const a = await store.create('/x/a', 'a1');
          const b = await store.create('/x/b', 'b1');
          const a2 = await store.update('/x/a', 'a2', a.modRevision);
          await store.delete('/x/b');
          const c = await store.create('/x/c', 'c1');
          const oldRev = b.modRevision;
          await store.compact(c.modRevision);
          assert.equal(await store.compactedRevision(), c.modRevision);

          await rejectsWith(store.list('/x/', { revision: oldRev }), 'Compacted');
          const rec = recorder();
          const w = store.watch('/x/', oldRev, rec.onEvent, rec.onError);
          await waitFor(() => rec.errors.length > 0, 'the Compacted error');
          await store.create('/x/d', 'd1');
          await settle();
          w.cancel();
          assert.equal(rec.errors.length, 1);
          assert.ok(isStoreError(rec.errors[0], 'Compacted'), String(rec.errors[0]));
          assert.equal(rec.events.length, 0);

          const now = await store.list('/x/');
          assert.deepEqual(
            now.items.map((kv) => [kv.key, kv.value, kv.modRevision]),
            [['/x/a', 'a2', a2.modRevision], ['/x/c', 'c1', c.modRevision], ['/x/d', 'd1', now.revision]],
          );
          assert.deepEqual(await store.get('/x/a'), a2);
          assert.equal(await store.get('/x/b'), undefined);
        }));

      it('keeps the compacted revision itself readable and watchable', () =>
        withStore(async (store) => {
          const a = await store.create('/x/a', 'a1');
          await store.update('/x/a', 'a2', a.modRevision);
          const mid = await store.currentRevision();
          const later = await store.create('/x/b', 'b1');
          await store.compact(mid);
          const at = await store.list('/x/', { revision: mid });
          assert.deepEqual(at.items.map((kv) => [kv.key, kv.value]), [['/x/a', 'a2']]);
          const rec = recorder();
          const w = store.watch('/x/', mid, rec.onEvent, rec.onError);
          await rec.until(later.modRevision);
          w.cancel();
          assert.deepEqual(rec.summary(), [['create', '/x/b', later.modRevision, 'b1']]);
        }));

      it('allows writes, re-creates and further compactions afterwards', () =>
        withStore(async (store) => {
          await store.create('/x/a', 'a1');
          await store.delete('/x/a');
          await store.compact(await store.currentRevision());
          const again = await store.create('/x/a', 'a2');
          assert.equal(again.createRevision, again.modRevision);
          await store.update('/x/a', 'a3', again.modRevision);
          await store.compact(await store.currentRevision());
          assert.equal((await store.get('/x/a'))?.value, 'a3');
          assert.equal(await store.count('/x/'), 1);
        }));
    });
  });
}

/** Asserts that `promise` rejects with the StoreError `kind`. */
async function rejectsWith(promise: Promise<unknown>, kind: StoreErrorKind): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isStoreError(err, kind), `expected StoreError ${kind}, got ${String(err)}`);
    return true;
  });
}

const keys = (kvs: KeyValue[]): string[] => kvs.map((kv) => kv.key);
const key3 = (prefix: string, i: number): string => `${prefix}${String(i).padStart(3, '0')}`;

/** Gives asynchronous backends a moment to deliver anything they (wrongly) still would. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

async function waitFor(cond: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function recorder() {
  const events: WatchEvent[] = [];
  const errors: Error[] = [];
  return {
    events,
    errors,
    onEvent: (event: WatchEvent) => void events.push(event),
    onError: (err: Error) => void errors.push(err),
    /** Waits until an event at or past `revision` arrived (or an error did). */
    until: (revision: number) =>
      waitFor(
        () => errors.length > 0 || (events.length > 0 && events[events.length - 1]!.kv.modRevision >= revision),
        `a watch event at revision ${revision}`,
      ),
    summary: () => events.map((e) => [e.type, e.kv.key, e.kv.modRevision, e.kv.value]),
  };
}
