import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { runStoreConformance } from '../conformance.ts';
import { openSqliteStore } from './sqlite-store.ts';

const tmp = mkdtempSync(join(tmpdir(), 'k8ts-sqlite-store-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const freshFile = (): string => join(tmp, `store-${n++}.db`);

runStoreConformance('sqlite', async () => openSqliteStore(freshFile()));
runStoreConformance('sqlite :memory:', async () => openSqliteStore(':memory:'));

describe('SqliteStore on disk', () => {
  it('continues revision numbering after reopen, also when the newest rows were compacted', async () => {
    const file = freshFile();
    let store = openSqliteStore(file);
    const a = await store.create('/k/a', '1');
    const del = await store.delete('/k/a');
    await store.compact(del.modRevision); // removes every row: the sequence must still remember
    await store.close();
    store = openSqliteStore(file);
    assert.equal(await store.currentRevision(), del.modRevision);
    const b = await store.create('/k/a', '2');
    assert.equal(b.modRevision, del.modRevision + 1);
    assert.ok(b.modRevision > a.modRevision, `${b.modRevision} after ${a.modRevision}`);
    await store.close();
  });

  it('persists the compacted revision across reopen', async () => {
    const file = freshFile();
    let store = openSqliteStore(file);
    const a = await store.create('/k/a', '1');
    const a2 = await store.update('/k/a', '2', a.modRevision);
    await store.update('/k/a', '3', a2.modRevision);
    await store.compact(a2.modRevision);
    await store.close();
    store = openSqliteStore(file);
    assert.equal(await store.compactedRevision(), a2.modRevision);
    await assert.rejects(store.list('/k/', { revision: a.modRevision }), { name: 'StoreError', kind: 'Compacted' });
    assert.equal((await store.list('/k/', { revision: a2.modRevision })).items[0]?.value, '2');
    await store.close();
  });

  it('compaction removes superseded rows and tombstones, across several batches', async () => {
    const file = freshFile();
    const store = openSqliteStore(file);
    const revs = new Map<string, number>();
    for (const k of ['a', 'b', 'c']) revs.set(k, (await store.create(`/k/${k}`, '0')).modRevision);
    for (let i = 1; i <= 4_000; i++) {
      const k = 'abc'[i % 3]!;
      revs.set(k, (await store.update(`/k/${k}`, String(i), revs.get(k)!)).modRevision);
    }
    for (let i = 0; i < 2_000; i++) {
      await store.create(`/gone/${i}`, 'x');
      if (i % 2) await store.delete(`/gone/${i}`);
    }
    const before = await store.list('/');
    const current = await store.currentRevision();
    assert.ok(current > 5_000, `only ${current} revisions: want more than one compaction batch`);
    const midway = await store.list('/', { revision: current - 10 });
    await store.compact(current - 10);
    assert.deepEqual(await store.list('/'), before);
    assert.deepEqual(await store.list('/', { revision: current - 10 }), midway);
    await store.close();

    const db = new Database(file, { readonly: true });
    const rows = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM kv').get()!.n;
    db.close();
    // Live keys: a, b, c and 1,000 of /gone/; plus at most the 10 newest revisions' rows kept above the floor.
    assert.ok(rows >= 1_003 && rows <= 1_013, `${rows} rows left`);
  });

  it('group-commits concurrent writes: in call order, invisible until committed, watched in order', async () => {
    const store = openSqliteStore(':memory:');
    try {
      const seen: number[] = [];
      const w = store.watch('/g/', 0, (e) => seen.push(e.kv.modRevision), assert.fail);
      const pending = Array.from({ length: 100 }, (_, i) => store.create(`/g/${i}`, `${i}`));
      const dup = assert.rejects(store.create('/g/5', 'again'), { name: 'StoreError', kind: 'AlreadyExists' });
      assert.equal(await store.get('/g/0'), undefined); // not committed yet: readers must not see it
      const kvs = await Promise.all(pending);
      await dup;
      assert.deepEqual(kvs.map((kv) => kv.modRevision), kvs.map((_, i) => i + 1));
      assert.deepEqual(seen, kvs.map((kv) => kv.modRevision));
      assert.equal(await store.currentRevision(), 100);
      assert.equal(await store.count('/g/'), 100);
      w.cancel();
    } finally {
      await store.close();
    }
  });

  it("refuses a second opener of the same file with 'Unavailable'", async () => {
    const file = freshFile();
    const store = openSqliteStore(file);
    try {
      await store.create('/k/a', '1');
      assert.throws(() => openSqliteStore(file, { busyTimeoutMs: 50 }), { name: 'StoreError', kind: 'Unavailable' });
    } finally {
      await store.close();
    }
    const again = openSqliteStore(file);
    assert.equal((await again.get('/k/a'))?.value, '1');
    await again.close();
  });

  it('keeps every acknowledged write when the writing process is killed with SIGKILL', { timeout: 120_000 }, async () => {
    const file = freshFile();
    const script = fileURLToPath(new URL('./testdata/write-until-killed.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked = new Map<string, { revision: number; i: number }>();
    let lines = 0;
    let buffered = '';
    // 'close' (not 'exit'): every line the child wrote has been read by then.
    const closed = new Promise<NodeJS.Signals | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (_code, signal) => resolve(signal));
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        buffered += chunk;
        const parts = buffered.split('\n');
        buffered = parts.pop()!;
        for (const line of parts) {
          const [revision, key, i] = line.split(' ');
          acked.set(key!, { revision: Number(revision), i: Number(i) });
          lines++;
        }
        if (lines >= 2_000 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      });
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000); // never leave it running, even if stuck
    const signal = await closed;
    clearTimeout(guard);
    assert.equal(signal, 'SIGKILL');
    assert.ok(lines >= 2_000, `child acknowledged only ${lines} writes before exiting`);

    const store = openSqliteStore(file);
    try {
      const last = Math.max(...[...acked.values()].map((a) => a.revision));
      assert.ok((await store.currentRevision()) >= last, `reopened at ${await store.currentRevision()}, acknowledged ${last}`);
      for (const [key, { revision, i }] of acked) {
        const kv = await store.get(key);
        assert.ok(kv, `${key} lost`);
        // The child may have committed one more write after its last printed line, never fewer.
        assert.ok(kv.modRevision >= revision, `${key} at ${kv.modRevision}, acknowledged ${revision}`);
        if (kv.modRevision === revision) assert.ok(kv.value.startsWith(`${i}:`));
      }
    } finally {
      await store.close();
    }
  });
});
