import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startCompactor } from './compactor.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

async function writes(store: Store, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await store.create(`/c/${await store.currentRevision()}`, 'v');
}

describe('startCompactor', () => {
  it('keeps one interval of history and at least keepRevisions revisions', async () => {
    const store = openSqliteStore(':memory:');
    const compactor = startCompactor(store, { intervalMs: 60_000, keepRevisions: 10 });
    try {
      await writes(store, 50);
      assert.equal(await compactor.runOnce(), undefined); // first run: only remembers revision 50
      await writes(store, 50);
      assert.equal(await compactor.runOnce(), 50); // min(50, 100 - 10)
      assert.equal(await store.compactedRevision(), 50);
      await writes(store, 5);
      assert.equal(await compactor.runOnce(), 95); // min(100, 105 - 10)
      assert.equal(await compactor.runOnce(), undefined); // min(105, 95): nothing new
    } finally {
      compactor.stop();
      await store.close();
    }
  });

  it('runs on its timer and reports each compaction', async () => {
    const store = openSqliteStore(':memory:');
    await writes(store, 20);
    const compacted: number[] = [];
    const compactor = startCompactor(store, { intervalMs: 5, keepRevisions: 0, onCompact: (rev) => compacted.push(rev) });
    try {
      const deadline = Date.now() + 5_000;
      while (compacted.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.deepEqual(compacted, [20]);
    } finally {
      compactor.stop();
      await store.close();
    }
  });

  it('names the bad option', () => {
    const store = openSqliteStore(':memory:');
    assert.throws(() => startCompactor(store, { intervalMs: 0 }), /intervalMs must be positive, got 0/);
    assert.throws(() => startCompactor(store, { keepRevisions: -1 }), /keepRevisions must be >= 0, got -1/);
    void store.close();
  });
});
