import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EtcdError, GRPCDeadlineExceededError, GRPCInvalidArgumentError, GRPCOutOfRangeError, GRPCUnavailableError, GRPCUnknownError } from 'etcd3';
import { StoreError } from '../store-error.ts';
import { isTransient, isUnsent, toStoreError } from './errors.ts';

const kindOf = (err: Error): string | undefined => {
  const mapped = toStoreError(err, '/k');
  return mapped instanceof StoreError ? mapped.kind : undefined;
};

describe('toStoreError', () => {
  it('maps mvcc revision errors', () => {
    assert.equal(kindOf(new GRPCOutOfRangeError('11 OUT_OF_RANGE: etcdserver: mvcc: required revision has been compacted')), 'Compacted');
    assert.equal(kindOf(new GRPCOutOfRangeError('11 OUT_OF_RANGE: etcdserver: mvcc: required revision is a future revision')), 'FutureRevision');
  });

  it("maps every can't-answer-now failure to Unavailable, naming the key", () => {
    for (const err of [
      new GRPCUnavailableError('14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:2379'),
      new GRPCUnavailableError('14 UNAVAILABLE: etcdserver: request timed out, possibly due to previous leader failure'),
      new GRPCDeadlineExceededError('4 DEADLINE_EXCEEDED: Deadline exceeded after 3.0s'),
      new GRPCUnknownError('2 UNKNOWN: context deadline exceeded'),
      new EtcdError('etcdserver: leader changed'),
    ]) {
      const mapped = toStoreError(err, '/k');
      assert.ok(mapped instanceof StoreError && mapped.kind === 'Unavailable', `${err.message} → ${String(mapped)}`);
      assert.match(mapped.message, /\/k/);
    }
  });

  it('leaves other errors alone', () => {
    const err = new GRPCInvalidArgumentError('3 INVALID_ARGUMENT: etcdserver: request is too large');
    assert.equal(toStoreError(err, '/k'), err);
    const already = new StoreError('Conflict', '/k');
    assert.equal(toStoreError(already, '/x'), already);
  });
});

describe('retry classes', () => {
  it('only a request that never left may be sent again as a write', () => {
    const refused = new GRPCUnavailableError('14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:2379');
    const dropped = new GRPCUnavailableError('14 UNAVAILABLE: Connection dropped');
    assert.equal(isUnsent(refused), true);
    assert.equal(isUnsent(dropped), false);
    assert.equal(isTransient(dropped), true);
    assert.equal(isTransient(new GRPCInvalidArgumentError('3 INVALID_ARGUMENT: etcdserver: key is not provided')), false);
  });
});
