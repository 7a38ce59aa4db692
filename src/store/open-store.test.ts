import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { etcdAvailable, scratchDir, startEtcd } from './etcd/etcd-process.ts';
import { openStore, type StoreKind } from './open-store.ts';

const tmp = mkdtempSync(join(tmpdir(), 'k8ts-open-store-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('openStore', () => {
  it('opens SQLite at <dataDir>/state.db', async () => {
    const store = await openStore('sqlite', { dataDir: tmp });
    try {
      await store.create('/k/a', '1');
      assert.ok(existsSync(join(tmp, 'state.db')));
    } finally {
      await store.close();
    }
  });

  it('refuses etcd without endpoints, and unknown kinds', async () => {
    await assert.rejects(openStore('etcd', { dataDir: tmp }), /needs etcdEndpoints/);
    await assert.rejects(openStore('mysql' as StoreKind, { dataDir: tmp }), /unknown store kind "mysql"/);
  });

  it('opens etcd at the given endpoints, under the prefix', { skip: etcdAvailable() ? false : 'etcd is not installed' }, async () => {
    const dir = mkdtempSync(join(scratchDir(), 'k8ts-open-store-etcd-'));
    const etcd = await startEtcd({ dataDir: join(dir, 'etcd') });
    try {
      const store = await openStore('etcd', { dataDir: tmp, etcdEndpoints: [etcd.endpoint], etcdPrefix: '/p' });
      const plain = await openStore('etcd', { dataDir: tmp, etcdEndpoints: [etcd.endpoint] });
      try {
        await store.create('/registry/a', '1');
        assert.deepEqual((await plain.list('')).items.map((kv) => kv.key), ['/p/registry/a']);
      } finally {
        await store.close();
        await plain.close();
      }
    } finally {
      await etcd.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
