import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deleteOptions, dryRunParam, fieldValidationParam, includeObjectParam, isWatch, listOptions, watchOptions, watchTimeoutSeconds } from './query.ts';

const q = (s: string) => new URLSearchParams(s);

test('list and watch options', () => {
  assert.deepEqual(listOptions(q('labelSelector=app%3Dkubia%2Cenv%21%3Dprod&limit=500&timeout=32s')), { labelSelector: 'app=kubia,env!=prod', limit: 500 });
  assert.deepEqual(listOptions(q('fieldSelector=metadata.name%3Dx&resourceVersion=0&continue=abc&resourceVersionMatch=NotOlderThan')), {
    fieldSelector: 'metadata.name=x',
    resourceVersion: '0',
    continue: 'abc',
    resourceVersionMatch: 'NotOlderThan',
  });
  assert.throws(() => listOptions(q('limit=abc')), { code: 400 });
  assert.equal(isWatch(q('watch=1')), true);
  assert.equal(isWatch(q('watch=true')), true);
  assert.equal(isWatch(q('watch=false')), false);
  assert.equal(isWatch(q('')), false);
  assert.deepEqual(watchOptions(q('allowWatchBookmarks=true&resourceVersion=12&watch=true')), { resourceVersion: '12', allowWatchBookmarks: true });
  assert.equal(watchTimeoutSeconds(q('timeoutSeconds=5')), 5);
  const t = watchTimeoutSeconds(q(''));
  assert.ok(t >= 1800 && t < 3600);
});

test('write options', () => {
  assert.equal(dryRunParam(q('dryRun=All')), true);
  assert.equal(dryRunParam(q('')), false);
  assert.throws(() => dryRunParam(q('dryRun=Some')), { code: 400 });
  assert.equal(fieldValidationParam(q('fieldValidation=Strict')), 'Strict');
  assert.equal(fieldValidationParam(q('')), 'Warn');
  assert.throws(() => fieldValidationParam(q('fieldValidation=strict')), { code: 400 });
  assert.equal(includeObjectParam(q('')), 'Metadata');
  assert.equal(includeObjectParam(q('includeObject=Object')), 'Object');
  assert.throws(() => includeObjectParam(q('includeObject=All')), { code: 400 });
});

test('delete options from query and body', () => {
  assert.deepEqual(deleteOptions(q('gracePeriodSeconds=5'), undefined), { gracePeriodSeconds: 5 });
  assert.deepEqual(deleteOptions(q(''), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', gracePeriodSeconds: 0 }), {
    propagationPolicy: 'Background',
    gracePeriodSeconds: 0,
  });
  assert.deepEqual(deleteOptions(q(''), { preconditions: { uid: 'u' } }), { preconditions: { uid: 'u' } });
  assert.throws(() => deleteOptions(q('propagationPolicy=Later'), undefined), { code: 400 });
  assert.throws(() => deleteOptions(q(''), [1]), { code: 400 });
});
