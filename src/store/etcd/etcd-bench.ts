import { randomUUID } from 'node:crypto';
import { connectEtcd, type EtcdTlsOptions } from './connect.ts';

/**
 * Raw etcd write speed, the floor under the etcd store's figures: `n` create-style transactions
 * (if version(k) = 0 then put k, else get k — what EtcdStore.create sends) with 2 KB values, `concurrency` in flight
 * at a time, through the same client setup as the store. Returns transactions per second.
 * Keys go under a fresh `/bench/<uuid>/` and are deleted afterwards.
 *
 *   console.log(`etcd txn/s: ${Math.round(await measureRawEtcdTxnRate(['http://127.0.0.1:2379'], 5_000, 32))}`);
 */
export async function measureRawEtcdTxnRate(endpoints: string[], n: number, concurrency: number, tls?: EtcdTlsOptions): Promise<number> {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`measureRawEtcdTxnRate: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(concurrency) || concurrency <= 0) {
    throw new RangeError(`measureRawEtcdTxnRate: concurrency must be a positive integer, got ${concurrency}`);
  }
  const client = connectEtcd({ endpoints, tls });
  const prefix = `/bench/${randomUUID()}/`;
  const value = Buffer.from(JSON.stringify({ kind: 'Pod', pad: 'x'.repeat(2048 - 26) }));
  try {
    await client.kv.range({ key: Buffer.from(prefix), count_only: true }); // connect before the clock starts
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < n; i = next++) {
        const key = Buffer.from(`${prefix}${i}`);
        const res = await client.kv.txn({
          compare: [{ key, target: 'Version', result: 'Equal', version: 0 }],
          success: [{ request_put: { key, value } }],
          failure: [{ request_range: { key } }],
        });
        if (!res.succeeded) throw new Error(`measureRawEtcdTxnRate: ${key.toString()} already existed`);
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
    const rate = n / ((performance.now() - start) / 1000);
    const end = Buffer.from(prefix);
    end[end.length - 1]! += 1;
    await client.kv.deleteRange({ key: Buffer.from(prefix), range_end: end });
    return rate;
  } finally {
    client.close();
  }
}
