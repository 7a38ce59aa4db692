import { test } from 'node:test';
import assert from 'node:assert/strict';
import { protobufTypeMeta } from './protobuf-envelope.ts';

const str = (field: number, s: string) => Buffer.concat([Buffer.from([(field << 3) | 2, Buffer.byteLength(s)]), Buffer.from(s)]);
const msg = (field: number, body: Buffer) => Buffer.concat([Buffer.from([(field << 3) | 2, body.length]), body]);

test('protobufTypeMeta reads apiVersion and kind from the k8s envelope', () => {
  const typeMeta = Buffer.concat([str(1, 'authentication.k8s.io/v1'), str(2, 'SelfSubjectReview')]);
  const body = Buffer.concat([Buffer.from('k8s\0'), msg(1, typeMeta), msg(2, Buffer.from([0x0a, 0x00])), str(3, ''), str(4, '')]);
  assert.deepEqual(protobufTypeMeta(body), { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
  assert.equal(protobufTypeMeta(Buffer.from('{"kind":"x"}')), undefined);
  assert.equal(protobufTypeMeta(Buffer.from('k8s\0')), undefined);
  assert.equal(protobufTypeMeta(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x7f])), undefined, 'truncated');
});
