import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goValue, patchFailedError, patchRejectedError } from './patch-errors.ts';

describe('patch errors', () => {
  it('422 keeps upstream\'s generic message and empty details; the reason rides as cause', () => {
    const err = patchRejectedError('testing value /a failed: test failed');
    assert.deepEqual(err.toStatus(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server rejected our request due to an error in our request',
      reason: 'Invalid',
      details: {},
      code: 422,
    });
    assert.equal(err.cause, 'testing value /a failed: test failed');
  });

  it('500 carries the message and no reason', () => {
    const err = patchFailedError('merging lists cannot yet be specified in the patch');
    assert.equal(err.code, 500);
    assert.equal(err.reason, '');
    assert.equal(err.message, 'merging lists cannot yet be specified in the patch');
  });
});

describe('goValue (Go %v of decoded JSON)', () => {
  it('prints maps with sorted keys, slices space-separated, strings bare', () => {
    assert.equal(goValue({ name: 'a', image: 'nginx', ports: [{ containerPort: 80 }] }), 'map[image:nginx name:a ports:[map[containerPort:80]]]');
    assert.equal(goValue(['a', 1, true, null]), '[a 1 true <nil>]');
    assert.equal(goValue({}), 'map[]');
  });

  it('prints integers plainly and other numbers as %g', () => {
    assert.equal(goValue(8080), '8080');
    assert.equal(goValue(1000000), '1000000');
    assert.equal(goValue(1.5), '1.5');
    assert.equal(goValue(1500000.5), '1.5000005e+06');
    assert.equal(goValue(0.00001), '1e-05');
    assert.equal(goValue(0.0001), '0.0001');
  });
});
