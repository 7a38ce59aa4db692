import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './api-error.ts';
import { applyJsonPatch, decodePointerToken, encodePointerToken, jsonEqual } from './json-patch.ts';

const pod = () => ({
  metadata: { name: 'web', labels: { app: 'web', 'a/b': 'x', 't~n': 'y' } },
  spec: { containers: [{ name: 'c', image: 'nginx:1', args: ['a', 'b'] }] },
});

function rejected(doc: unknown, patch: unknown): ApiError {
  try {
    applyJsonPatch(doc, patch);
  } catch (err) {
    assert.ok(err instanceof ApiError);
    return err;
  }
  assert.fail('expected the patch to fail');
}

function assert422(doc: unknown, patch: unknown, cause: RegExp) {
  const err = rejected(doc, patch);
  assert.equal(err.code, 422);
  assert.equal(err.reason, 'Invalid');
  assert.equal(err.message, 'the server rejected our request due to an error in our request');
  assert.deepEqual(err.toStatus().details, {});
  assert.match(String(err.cause), cause);
}

describe('applyJsonPatch', () => {
  it('replace, as `kubectl patch --type json` sends it', () => {
    const doc = pod();
    const out = applyJsonPatch(doc, [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:2' }]) as ReturnType<typeof pod>;
    assert.equal(out.spec.containers[0]!.image, 'nginx:2');
    assert.equal(doc.spec.containers[0]!.image, 'nginx:1', 'input untouched');
  });

  it('add to objects and arrays, including "-" and insertion', () => {
    const out = applyJsonPatch(pod(), [
      { op: 'add', path: '/metadata/labels/tier', value: 'fe' },
      { op: 'add', path: '/spec/containers/0/args/-', value: 'z' },
      { op: 'add', path: '/spec/containers/0/args/0', value: 'first' },
      { op: 'add', path: '/spec/containers/0/args/-1', value: 'beforeLast' },
    ]) as ReturnType<typeof pod>;
    assert.equal((out.metadata.labels as Record<string, string>).tier, 'fe');
    // As upstream, index -1 on add counts from the end of the grown list, i.e. appends.
    assert.deepEqual(out.spec.containers[0]!.args, ['first', 'a', 'b', 'z', 'beforeLast']);
  });

  it('add without value stores null; add "" replaces the document', () => {
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '/b' }]), { a: 1, b: null });
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '', value: { z: 1 } }]), { z: 1 });
  });

  it('remove from objects and arrays (negative index counts from the end)', () => {
    const out = applyJsonPatch(pod(), [
      { op: 'remove', path: '/metadata/labels/app' },
      { op: 'remove', path: '/spec/containers/0/args/-1' },
    ]) as ReturnType<typeof pod>;
    assert.equal('app' in out.metadata.labels, false);
    assert.deepEqual(out.spec.containers[0]!.args, ['a']);
  });

  it('unescapes ~1 and ~0 in pointer tokens', () => {
    const out = applyJsonPatch(pod(), [
      { op: 'replace', path: '/metadata/labels/a~1b', value: 'X' },
      { op: 'remove', path: '/metadata/labels/t~0n' },
    ]) as ReturnType<typeof pod>;
    assert.deepEqual(out.metadata.labels, { app: 'web', 'a/b': 'X' });
    assert.equal(decodePointerToken('~01'), '~1');
    assert.equal(encodePointerToken('a/~b'), 'a~1~0b');
  });

  it('move and copy', () => {
    const out = applyJsonPatch({ a: { x: 1 }, b: [1, 2] }, [
      { op: 'copy', from: '/a', path: '/c' },
      { op: 'move', from: '/a/x', path: '/b/0' },
    ]);
    assert.deepEqual(out, { a: {}, b: [1, 1, 2], c: { x: 1 } });
    const moved = applyJsonPatch({ a: [1, 2, 3] }, [{ op: 'move', from: '/a/0', path: '/a/-' }]);
    assert.deepEqual(moved, { a: [2, 3, 1] });
  });

  it('copy is deep: later changes to the copy leave the source alone', () => {
    const out = applyJsonPatch({ a: { x: 1 } }, [
      { op: 'copy', from: '/a', path: '/b' },
      { op: 'replace', path: '/b/x', value: 2 },
    ]);
    assert.deepEqual(out, { a: { x: 1 }, b: { x: 2 } });
  });

  it('test passes on equal values and fails the whole patch otherwise', () => {
    assert.deepEqual(
      applyJsonPatch({ a: { k: [1, { z: true }] } }, [
        { op: 'test', path: '/a', value: { k: [1, { z: true }] } },
        { op: 'add', path: '/ok', value: 1 },
      ]),
      { a: { k: [1, { z: true }] }, ok: 1 },
    );
    assert422({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }], /testing value \/a failed/);
  });

  it('answers 422 for operations that do not apply', () => {
    assert422(pod(), [{ op: 'add', path: '/spec/missing/x', value: 1 }], /add operation does not apply: doc is missing path: "\/spec\/missing\/x"/);
    assert422(pod(), [{ op: 'remove', path: '/metadata/labels/nope' }], /Unable to remove nonexistent key: nope/);
    assert422(pod(), [{ op: 'replace', path: '/metadata/nope', value: 1 }], /doc is missing key/);
    assert422(pod(), [{ op: 'add', path: '/spec/containers/5', value: {} }], /invalid index/);
    assert422(pod(), [{ op: 'add', path: '/spec/containers/x', value: {} }], /invalid syntax/);
    assert422(pod(), [{ op: 'remove', path: '/spec/containers/1' }], /invalid index/);
    assert422(pod(), [{ op: 'frob', path: '/a' }], /Unexpected kind: frob/);
    assert422(pod(), [{ op: 'add', value: 1 }], /failed to decode path/);
    assert422(pod(), [{ op: 'add', path: 'relative', value: 1 }], /doc is missing path/);
  });

  it('answers 400 for a body that is not a list of operations, 413 past 10000 operations', () => {
    const notList = rejected({}, { op: 'add', path: '/a', value: 1 });
    assert.equal(notList.code, 400);
    assert.equal(notList.message, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    const badOp = rejected({}, ['add']);
    assert.equal(badOp.code, 400);
    assert.equal(badOp.message, 'json: cannot unmarshal string into Go value of type jsonpatch.Operation');
    const many = rejected({}, Array.from({ length: 10001 }, () => ({ op: 'test', path: '', value: {} })));
    assert.equal(many.code, 413);
    assert.equal(many.message, 'The allowed maximum operations in a JSON patch is 10000, got 10001');
  });

  it('jsonEqual ignores key order', () => {
    assert.ok(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }));
    assert.ok(!jsonEqual({ a: 1 }, { a: 1, b: 2 }));
    assert.ok(!jsonEqual([1], { 0: 1 }));
  });
});
