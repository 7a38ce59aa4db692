import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeySpace, prefixEnd } from './key-space.ts';

const s = (b: Buffer | undefined): string | undefined => b?.toString('latin1');

describe('prefixEnd', () => {
  it('increments the last byte, dropping trailing 0xff bytes', () => {
    assert.equal(s(prefixEnd(Buffer.from('/a/b/'))), '/a/b0');
    assert.deepEqual([...prefixEnd(Buffer.from([0x61, 0xff, 0xff]))], [0x62]);
    assert.deepEqual([...prefixEnd(Buffer.from([0xff]))], [0]);
  });
});

describe('KeySpace', () => {
  it('puts keys under the prefix and takes it off again', () => {
    const keys = new KeySpace('/t1');
    assert.equal(s(keys.encode('/registry/a')), '/t1/registry/a');
    assert.equal(keys.decode(Buffer.from('/t1/registry/ü', 'utf8')), '/registry/ü');
    assert.throws(() => keys.decode(Buffer.from('/t2/x')), /outside the store prefix/);
  });

  it('ranges over a prefix; the empty prefix with no store prefix is the whole keyspace', () => {
    const r = new KeySpace('/t1').range('/a/');
    assert.deepEqual([s(r.key), s(r.rangeEnd)], ['/t1/a/', '/t1/a0']);
    const all = new KeySpace('').range('');
    assert.deepEqual([[...all.key], [...all.rangeEnd]], [[0], [0]]);
    const store = new KeySpace('/t1').range('');
    assert.deepEqual([s(store.key), s(store.rangeEnd)], ['/t1', '/t2']);
  });

  it('continues after a key, inside the range only', () => {
    const keys = new KeySpace('');
    const r = keys.rangeAfter('/a/', '/a/x')!;
    assert.deepEqual([s(r.key), s(r.rangeEnd)], ['/a/x\0', '/a0']);
    assert.equal(s(keys.rangeAfter('/a/', '/0')!.key), '/a/');
    assert.equal(keys.rangeAfter('/a/', '/b'), undefined);
    assert.equal(s(keys.rangeAfter('', '/zz')!.key), '/zz\0');
  });
});
