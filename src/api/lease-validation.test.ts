import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFieldError } from '../machinery/field-error.ts';
import { validateLease, validateLeaseUpdate } from './lease-validation.ts';

const lease = (spec: Record<string, unknown>) => ({ metadata: { name: 'n1', namespace: 'kube-node-lease', uid: 'u' }, spec });

test('node heartbeat lease is valid', () => {
  assert.deepEqual(validateLease(lease({ holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2024-01-01T00:00:00.000000Z' })), []);
});

test('spec checks', () => {
  assert.deepEqual(validateLease(lease({ leaseDurationSeconds: 0, leaseTransitions: -1 })).map(renderFieldError), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
  ]);
  assert.deepEqual(validateLease(lease({ preferredHolder: 'x' })).map(renderFieldError), [
    'spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined',
  ]);
});

test('update: metadata immutable, spec re-checked; plain finalizer rules', () => {
  const old = lease({ holderIdentity: 'n1' });
  assert.deepEqual(
    validateLeaseUpdate({ metadata: { ...old.metadata, name: 'n2', finalizers: ['foo'] }, spec: { leaseDurationSeconds: -1 } }, old).map(renderFieldError),
    ['metadata.name: Invalid value: "n2": field is immutable', 'spec.leaseDurationSeconds: Invalid value: -1: must be greater than 0'],
  );
});
