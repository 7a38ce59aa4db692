import { randomUUID } from 'node:crypto';
import type { Store } from './store.ts';

/**
 * Raw store write speed, for the benchmark table beside the API figures: creates `n` keys with 2 KB values,
 * one after another (each its own commit), and returns creates per second. Keys go under a fresh
 * `/bench/<uuid>/` prefix, so any store will do; they are left behind.
 *
 *   console.log(`store inserts/s: ${Math.round(await measureRawInsertRate(store, 10_000))}`);
 */
export async function measureRawInsertRate(store: Store, n: number): Promise<number> {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`measureRawInsertRate: n must be a positive integer, got ${n}`);
  const prefix = `/bench/${randomUUID()}/`;
  const value = JSON.stringify({ kind: 'Pod', pad: 'x'.repeat(2048 - 26) });
  const start = performance.now();
  for (let i = 0; i < n; i++) await store.create(`${prefix}${i}`, value);
  return n / ((performance.now() - start) / 1000);
}

/** Milliseconds one full list of `prefix` takes (the newest revision, no limit). */
export async function measureListMs(store: Store, prefix: string): Promise<number> {
  const start = performance.now();
  await store.list(prefix);
  return performance.now() - start;
}
