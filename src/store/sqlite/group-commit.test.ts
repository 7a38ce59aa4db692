import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { GroupCommit } from './group-commit.ts';

function setup() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)');
  const insert = db.prepare<[string]>('INSERT INTO t (name) VALUES (?)');
  const commits: string[][] = [];
  const gc = new GroupCommit<string>(db, (values) => commits.push(values));
  const names = () => db.prepare<[], { name: string }>('SELECT name FROM t ORDER BY id').all().map((r) => r.name);
  return { db, insert, commits, gc, names };
}

describe('GroupCommit', () => {
  it('commits all writes of one event-loop turn together, then resolves them in order', async () => {
    const { insert, commits, gc, names } = setup();
    const order: string[] = [];
    const writes = ['a', 'b', 'c'].map((n) =>
      gc.run(() => (insert.run(n), n)).then((v) => {
        order.push(v);
        assert.deepEqual(commits, [['a', 'b', 'c']]); // settled only after the commit
        return v;
      }),
    );
    assert.deepEqual(commits, []);
    assert.deepEqual(await Promise.all(writes), ['a', 'b', 'c']);
    assert.deepEqual(order, ['a', 'b', 'c']);
    await gc.run(() => (insert.run('d'), 'd'));
    assert.deepEqual(commits, [['a', 'b', 'c'], ['d']]);
    assert.deepEqual(names(), ['a', 'b', 'c', 'd']);
  });

  it('rejects only the write that failed; its batch still commits', async () => {
    const { insert, commits, gc, names } = setup();
    const results = await Promise.allSettled([
      gc.run(() => (insert.run('a'), 'a')),
      gc.run(() => (insert.run('a'), 'dup')), // UNIQUE violation: SQLite undoes this statement only
      gc.run(() => (insert.run('b'), 'b')),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.deepEqual(commits, [['a', 'b']]);
    assert.deepEqual(names(), ['a', 'b']);
  });

  it('rejects a failed write only after its batch committed', async () => {
    const { insert, commits, gc } = setup();
    void gc.run(() => (insert.run('a'), 'a'));
    let committedWhenRejected: string[][] | undefined;
    await gc.run(() => {
      throw new Error('precondition');
    }).catch(() => (committedWhenRejected = structuredClone(commits)));
    assert.deepEqual(committedWhenRejected, [['a']]);
  });

  it('fails the whole unacknowledged batch when an error ends the transaction', async () => {
    const { db, insert, commits, gc, names } = setup();
    const first = gc.run(() => (insert.run('a'), 'a'));
    const killer = gc.run(() => {
      db.exec('ROLLBACK');
      throw new Error('disk gone');
    });
    await assert.rejects(killer, /disk gone/);
    await assert.rejects(first, /disk gone/);
    assert.deepEqual(commits, []);
    assert.deepEqual(names(), []);
    assert.equal(await gc.run(() => (insert.run('b'), 'b')), 'b'); // and the next batch works
    assert.deepEqual(names(), ['b']);
  });

  it('flush commits at once', async () => {
    const { insert, commits, gc } = setup();
    const p = gc.run(() => (insert.run('a'), 'a'));
    gc.flush();
    assert.deepEqual(commits, [['a']]);
    gc.flush(); // nothing open: no-op
    assert.equal(await p, 'a');
    assert.deepEqual(commits, [['a']]);
  });
});
