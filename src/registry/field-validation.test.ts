import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { pods } from '../api/resources.ts';
import { ApiError } from '../machinery/api-error.ts';
import { checkDuplicateFields, checkUnknownFields, duplicateFields } from './field-validation.ts';

const pod = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels: { 'a.b/c': 'x' } },
  spec: { foo: 1, containers: [{ name: 'c', image: 'i', bar: true }] },
});

describe('field validation', () => {
  it('Strict: 400 naming every unknown field, with the decoder prefix on bodies', () => {
    assert.throws(
      () => checkUnknownFields(pods, pod(), 'Strict', [], 'decode'),
      (e: ApiError) =>
        e.code === 400 &&
        e.message === 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo", unknown field "spec.containers[0].bar"',
    );
    assert.throws(() => checkUnknownFields(pods, pod(), 'Strict', [], 'patch'), /^ApiError: strict decoding error: unknown field "spec.foo"/);
  });

  it('Warn: one warning each; Warn and Ignore drop the fields (never stored)', () => {
    const warnings: string[] = [];
    const w = pod();
    checkUnknownFields(pods, w, 'Warn', warnings, 'decode');
    assert.deepEqual(warnings, ['unknown field "spec.foo"', 'unknown field "spec.containers[0].bar"']);
    assert.deepEqual(w.spec, { containers: [{ name: 'c', image: 'i' }] });
    const i = pod();
    const none: string[] = [];
    checkUnknownFields(pods, i, 'Ignore', none, 'decode');
    assert.deepEqual(none, []);
    assert.deepEqual(i.spec, { containers: [{ name: 'c', image: 'i' }] });
    assert.deepEqual(i.metadata.labels, { 'a.b/c': 'x' });
  });

  it('finds duplicate keys in the JSON text by path', () => {
    assert.deepEqual(duplicateFields('{"a":1,"b":{"c":[{"d":1,"d":"x\\"y"},{"e":[1,2],"e":{}}]},"a":null}'), ['b.c[0].d', 'b.c[1].e', 'a']);
    assert.deepEqual(duplicateFields('{"metadata":{"name":"a"},"spec":{}}'), []);
    assert.deepEqual(duplicateFields(' { "x\\u0041" : 1 , "xA" : 2 } '), ['xA']);
  });

  it('duplicates: Strict → 400 together with unknown fields, Warn → warnings', () => {
    const text = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","name":"b"},"spec":{"foo":1,"containers":[]}}';
    const obj = JSON.parse(text) as KubeObject;
    assert.throws(
      () => checkDuplicateFields(pods, text, obj, 'Strict', []),
      (e: ApiError) =>
        e.code === 400 &&
        e.message === 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: duplicate field "metadata.name", unknown field "spec.foo"',
    );
    const warnings: string[] = [];
    checkDuplicateFields(pods, text, obj, 'Warn', warnings);
    assert.deepEqual(warnings, ['duplicate field "metadata.name"']);
    checkDuplicateFields(pods, text, obj, 'Ignore', warnings);
    assert.equal(warnings.length, 1);
  });
});
