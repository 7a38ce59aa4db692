import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDeleteOptions, decodeEviction } from './eviction-protobuf.ts';

const varint = (n: bigint) => {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
};
const tag = (num: number, wire: number) => varint(BigInt((num << 3) | wire));
const int = (num: number, v: number | bigint) => Buffer.concat([tag(num, 0), varint(BigInt(v))]);
const bytes = (num: number, b: Buffer | string) => {
  const buf = typeof b === 'string' ? Buffer.from(b) : b;
  return Buffer.concat([tag(num, 2), varint(BigInt(buf.length)), buf]);
};

test('DeleteOptions: grace period (also negative), preconditions, propagation, dryRun', () => {
  const raw = Buffer.concat([int(1, 30), bytes(2, Buffer.concat([bytes(1, 'u-1'), bytes(2, '42')])), bytes(4, 'Background'), bytes(5, 'All')]);
  assert.deepEqual(decodeDeleteOptions(raw), {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    gracePeriodSeconds: 30,
    preconditions: { uid: 'u-1', resourceVersion: '42' },
    propagationPolicy: 'Background',
    dryRun: ['All'],
  });
  assert.equal((decodeDeleteOptions(int(1, -1n)) as unknown as { gracePeriodSeconds: number }).gracePeriodSeconds, -1);
  assert.deepEqual(decodeDeleteOptions(Buffer.alloc(0)), { apiVersion: 'v1', kind: 'DeleteOptions' });
});

test('Eviction: metadata and nested deleteOptions', () => {
  const raw = Buffer.concat([bytes(1, Buffer.concat([bytes(1, 'web'), bytes(3, 'default')])), bytes(2, int(1, 0))]);
  assert.deepEqual(decodeEviction(raw), {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: 'web', namespace: 'default' },
    deleteOptions: { gracePeriodSeconds: 0 },
  });
});
