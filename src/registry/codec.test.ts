import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leases, pods } from '../api/resources.ts';
import { decode, decodeJson, encode, jsonEqual } from './codec.ts';

describe('codec', () => {
  it('stores apiVersion, kind, metadata first and no resourceVersion', () => {
    const text = encode({ spec: { a: 1 }, metadata: { name: 'x', resourceVersion: '9' }, kind: 'Pod', apiVersion: 'v1' });
    assert.equal(text, '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"a":1}}');
  });

  it('reads resourceVersion from the revision, never from the stored JSON', () => {
    const kv = { key: 'k', value: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x","resourceVersion":"1"}}', createRevision: 3, modRevision: 7 };
    assert.equal(decode(pods, kv).metadata.resourceVersion, '7');
    assert.equal(JSON.parse(decodeJson(pods, kv)).metadata.resourceVersion, '7');
  });

  it('decodeJson splices the resourceVersion into canonical text, also for empty metadata, and falls back otherwise', () => {
    const canonical = { key: 'k', value: encode({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: {} }), createRevision: 1, modRevision: 4 };
    assert.deepEqual(JSON.parse(decodeJson(leases, canonical)), { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { resourceVersion: '4' } });
    const legacy = { key: 'k', value: '{"metadata":{"name":"a"}}', createRevision: 1, modRevision: 5 };
    assert.deepEqual(JSON.parse(decodeJson(leases, legacy)), decode(leases, legacy));
  });

  it('compares JSON structurally', () => {
    assert.ok(jsonEqual({ a: [1, { b: 2 }], c: undefined }, { a: [1, { b: 2 }] }));
    assert.ok(!jsonEqual({ a: [1] }, { a: [1, 2] }));
  });
});
