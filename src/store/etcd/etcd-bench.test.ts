import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { measureRawEtcdTxnRate } from './etcd-bench.ts';
import { etcdAvailable, scratchDir, startEtcd } from './etcd-process.ts';
import { openEtcdStore } from './etcd-store.ts';

it('measureRawEtcdTxnRate returns a rate and leaves no keys behind', { skip: etcdAvailable() ? false : 'etcd is not installed' }, async () => {
  const dir = mkdtempSync(join(scratchDir(), 'k8ts-etcd-bench-'));
  const etcd = await startEtcd({ dataDir: join(dir, 'etcd') });
  try {
    await assert.rejects(measureRawEtcdTxnRate([etcd.endpoint], 0, 1), /n must be a positive integer, got 0/);
    await assert.rejects(measureRawEtcdTxnRate([etcd.endpoint], 10, 0), /concurrency must be a positive integer, got 0/);
    const rate = await measureRawEtcdTxnRate([etcd.endpoint], 200, 8);
    assert.ok(rate > 0 && Number.isFinite(rate), `rate ${rate}`);
    const store = await openEtcdStore({ endpoints: [etcd.endpoint] });
    assert.equal(await store.count('/bench/'), 0);
    await store.close();
  } finally {
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
