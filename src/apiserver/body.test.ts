import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { decodeBody, decodePatch, readBody } from './body.ts';

function fakeReq(chunks: Buffer[], headers: Record<string, string> = {}) {
  const s = new PassThrough() as unknown as IncomingMessage & PassThrough;
  (s as { headers: Record<string, string> }).headers = headers;
  setImmediate(() => {
    for (const c of chunks) s.write(c);
    s.end();
  });
  return s;
}

test('readBody reads everything under the limit and stops at it', async () => {
  assert.equal((await readBody(fakeReq([Buffer.from('ab'), Buffer.from('cd')]), 10)).toString(), 'abcd');
  await assert.rejects(readBody(fakeReq([Buffer.alloc(6), Buffer.alloc(6)]), 10), { code: 413, reason: 'RequestEntityTooLarge' });
  await assert.rejects(readBody(fakeReq([], { 'content-length': '11' }), 10), { code: 413 });
});

test('decodeBody by content type', async () => {
  assert.deepEqual(await decodeBody(Buffer.from('{"a":1}'), 'application/json'), { a: 1 });
  assert.deepEqual(await decodeBody(Buffer.from('{"a":1}'), 'application/json; charset=utf-8'), { a: 1 });
  assert.deepEqual(await decodeBody(Buffer.from('a: 1\nb: [x]\n'), 'application/yaml'), { a: 1, b: ['x'] });
  assert.equal(await decodeBody(Buffer.alloc(0), 'application/json'), undefined);
  await assert.rejects(decodeBody(Buffer.from('{"a":'), 'application/json'), (e: Error & { code?: number }) => {
    assert.equal(e.code, 400);
    assert.match(e.message, /^couldn't get version\/kind; json parse error: /);
    return true;
  });
  await assert.rejects(decodeBody(Buffer.from('a: [1\nb: c: d\n'), 'application/yaml'), { code: 400 });
  await assert.rejects(decodeBody(Buffer.from('a: 1\n---\nb: 2\n'), 'application/yaml'), { code: 400 });
  await assert.rejects(decodeBody(Buffer.from('x'), 'text/plain'), { code: 415, reason: 'UnsupportedMediaType' });
});

test('decodePatch maps content types to patch types', () => {
  assert.deepEqual(decodePatch(Buffer.from('{"a":1}'), 'application/merge-patch+json'), { type: 'merge', patch: { a: 1 } });
  assert.deepEqual(decodePatch(Buffer.from('{"a":1}'), 'application/strategic-merge-patch+json'), { type: 'strategic', patch: { a: 1 } });
  assert.deepEqual(decodePatch(Buffer.from('[{"op":"remove","path":"/a"}]'), 'application/json-patch+json').type, 'json');
  assert.deepEqual(decodePatch(Buffer.from('{"kind":"Pod"}'), 'application/apply-patch+yaml'), { type: 'apply', patch: { kind: 'Pod' } });
  assert.deepEqual(decodePatch(Buffer.from('kind: Pod\n'), 'application/apply-patch+yaml'), { type: 'apply', patch: { kind: 'Pod' } });
  assert.throws(() => decodePatch(Buffer.from('{}'), 'application/json'), { code: 415 });
  assert.throws(() => decodePatch(Buffer.from('{'), 'application/merge-patch+json'), { code: 400 });
  assert.throws(() => decodePatch(Buffer.from('{}'), 'application/json-patch+json'), { code: 400 });
});
