import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './api-error.ts';
import { applyMergePatch, jsonMergePatch } from './merge-patch.ts';

describe('jsonMergePatch (RFC 7386 appendix A)', () => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, want] of cases) {
    it(`${JSON.stringify(target)} + ${JSON.stringify(patch)}`, () => assert.deepEqual(jsonMergePatch(target, patch), want));
  }
});

describe('applyMergePatch', () => {
  it('kubectl label / label-removal bodies', () => {
    const pod = { metadata: { name: 'p', labels: { env: 'dev', app: 'x' } }, spec: { containers: [{ name: 'c' }] } };
    const out = applyMergePatch(pod, { metadata: { labels: { env: 'prod2' } } });
    assert.deepEqual(out.metadata, { name: 'p', labels: { env: 'prod2', app: 'x' } });
    const removed = applyMergePatch(pod, { metadata: { labels: { env: null } } });
    assert.deepEqual(removed.metadata, { name: 'p', labels: { app: 'x' } });
    assert.deepEqual(pod.metadata.labels, { env: 'dev', app: 'x' }, 'input untouched');
  });

  it('replaces lists wholesale', () => {
    const out = applyMergePatch({ spec: { containers: [{ name: 'a' }, { name: 'b' }] } }, { spec: { containers: [{ name: 'z' }] } });
    assert.deepEqual(out, { spec: { containers: [{ name: 'z' }] } });
  });

  it('rejects a patch that is not an object with 400 Invalid JSON Patch', () => {
    for (const bad of [null, [], 'x', 3]) {
      assert.throws(
        () => applyMergePatch({}, bad),
        (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === 'Invalid JSON Patch',
      );
    }
  });
});
