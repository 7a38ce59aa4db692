import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './api-error.ts';
import { decodeProtobufObject } from './protobuf.ts';

// The body kubectl 1.32 sent for `kubectl create namespace kubia-ns` (KUBECTL-API §4.6).
const kubiaNs = Buffer.from(
  '6b387300 0a0f 0a027631 12094e616d657370616365 1220 0a18 0a086b756269612d6e73 1200 1a00 2200 2a00 3200 3800 4200 1200 1a02 0a00 1a00 2200'.replace(/ /g, ''),
  'hex',
);

// ---- a tiny encoder, for building test bodies ----
const varint = (n: bigint | number): Buffer => {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return Buffer.from(out);
};
const key = (num: number, wire: number) => varint((num << 3) | wire);
const bytesField = (num: number, b: Buffer) => Buffer.concat([key(num, 2), varint(b.length), b]);
const strField = (num: number, s: string) => bytesField(num, Buffer.from(s, 'utf8'));
const intField = (num: number, n: number) => Buffer.concat([key(num, 0), varint(n)]);
const msg = (...parts: Buffer[]) => Buffer.concat(parts);
const entry = (num: number, k: string, v: string) => bytesField(num, msg(strField(1, k), strField(2, v)));
const envelope = (apiVersion: string, kind: string, raw: Buffer, encoding = '') =>
  Buffer.concat([
    Buffer.from('k8s\0', 'latin1'),
    bytesField(1, msg(strField(1, apiVersion), strField(2, kind))),
    bytesField(2, raw),
    strField(3, encoding),
    strField(4, ''),
  ]);

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    return err;
  }
  assert.fail('expected an ApiError');
}

describe('decodeProtobufObject', () => {
  it('decodes the exact body kubectl create namespace sends', () => {
    assert.deepEqual(decodeProtobufObject(kubiaNs), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'kubia-ns' },
      spec: {},
      status: {},
    });
  });

  it('decodes labels, annotations, finalizers, times and status', () => {
    const meta = msg(
      strField(1, 'team-a'),
      strField(2, 'gen-'),
      strField(5, 'uid-1'),
      strField(6, '42'),
      intField(7, 3),
      bytesField(8, msg(intField(1, 1764097200), intField(2, 5))),
      entry(11, 'env', 'prod'),
      entry(11, 'app.kubernetes.io/name', 'web'),
      entry(12, 'note', 'multi\nline ✓'),
      bytesField(13, msg(strField(1, 'Thing'), strField(3, 'owner'), strField(4, 'u-9'), strField(5, 'example.com/v1'), intField(6, 1))),
      strField(14, 'example.com/cleanup'),
    );
    const spec = msg(strField(1, 'kubernetes'));
    const status = msg(
      strField(1, 'Terminating'),
      bytesField(2, msg(strField(1, 'NamespaceDeletionContentFailure'), strField(2, 'False'), strField(5, 'ContentDeleted'))),
    );
    const raw = msg(bytesField(1, meta), bytesField(2, spec), bytesField(3, status));
    assert.deepEqual(decodeProtobufObject(envelope('v1', 'Namespace', raw)), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'team-a',
        generateName: 'gen-',
        uid: 'uid-1',
        resourceVersion: '42',
        generation: 3,
        creationTimestamp: '2025-11-25T19:00:00Z',
        labels: { env: 'prod', 'app.kubernetes.io/name': 'web' },
        annotations: { note: 'multi\nline ✓' },
        ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Thing', name: 'owner', uid: 'u-9', controller: true }],
        finalizers: ['example.com/cleanup'],
      },
      spec: { finalizers: ['kubernetes'] },
      status: {
        phase: 'Terminating',
        conditions: [{ type: 'NamespaceDeletionContentFailure', status: 'False', reason: 'ContentDeleted' }],
      },
    });
  });

  it('skips unknown fields of every wire type', () => {
    const meta = msg(
      strField(1, 'x'),
      intField(30, 7),
      Buffer.concat([key(31, 1), Buffer.alloc(8, 1)]),
      Buffer.concat([key(32, 5), Buffer.alloc(4, 1)]),
      strField(33, 'ignored'),
    );
    const out = decodeProtobufObject(envelope('v1', 'Namespace', bytesField(1, meta)));
    assert.deepEqual(out.metadata, { name: 'x' });
  });

  it('answers 415 for kinds it cannot decode and for compressed payloads', () => {
    for (const body of [envelope('v1', 'Pod', Buffer.alloc(0)), envelope('apps/v1', 'Namespace', Buffer.alloc(0)), envelope('v1', 'Namespace', Buffer.alloc(0), 'gzip')]) {
      const err = apiError(() => decodeProtobufObject(body));
      assert.equal(err.code, 415);
      assert.equal(err.reason, 'UnsupportedMediaType');
    }
  });

  it('answers 400 for a missing prefix or a truncated body', () => {
    assert.equal(apiError(() => decodeProtobufObject(Buffer.from('{"kind":"Namespace"}'))).code, 400);
    assert.equal(apiError(() => decodeProtobufObject(kubiaNs.subarray(0, 20))).code, 400);
    const badInner = envelope('v1', 'Namespace', Buffer.from([0x0a, 0x05, 0x0a]));
    const err = apiError(() => decodeProtobufObject(badInner));
    assert.equal(err.code, 400);
    assert.match(err.message, /Namespace in version "v1" cannot be handled as a Namespace: proto: unexpected EOF/);
  });
});
