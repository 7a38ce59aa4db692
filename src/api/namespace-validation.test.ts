import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invalidError } from '../machinery/api-error.ts';
import { renderFieldError } from '../machinery/field-error.ts';
import {
  validateNamespace,
  validateNamespaceFinalizeUpdate,
  validateNamespaceStatusUpdate,
  validateNamespaceUpdate,
} from './namespace-validation.ts';

test('namespace names are DNS labels', () => {
  assert.deepEqual(validateNamespace({ metadata: { name: 'team-a' }, spec: { finalizers: ['kubernetes'] } }), []);
  assert.equal(
    invalidError('Namespace', 'Team_A', validateNamespace({ metadata: { name: 'Team_A' } })).message,
    "Namespace \"Team_A\" is invalid: metadata.name: Invalid value: \"Team_A\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  );
  assert.deepEqual(validateNamespace({ metadata: { name: 'a.b' } }).map(renderFieldError), [
    'metadata.name: Invalid value: "a.b": must not contain dots',
  ]);
});

test('spec.finalizers must be standard or qualified', () => {
  assert.deepEqual(validateNamespace({ metadata: { name: 'x' }, spec: { finalizers: ['foo'] } }).map(renderFieldError), [
    'spec.finalizers: Invalid value: "foo": name is neither a standard finalizer name nor is it fully qualified',
  ]);
  const old = { metadata: { name: 'x', uid: 'u', resourceVersion: '1' }, spec: { finalizers: ['kubernetes'] } };
  assert.deepEqual(
    validateNamespaceFinalizeUpdate({ ...old, spec: { finalizers: ['bar'] } }, old).map(renderFieldError),
    ['spec.finalizers[0]: Invalid value: "bar": name is neither a standard finalizer name nor is it fully qualified'],
  );
});

test('update: name immutable; status phase follows deletionTimestamp', () => {
  const old = { metadata: { name: 'x', uid: 'u' }, status: { phase: 'Active' } };
  assert.deepEqual(validateNamespaceUpdate({ metadata: { name: 'y', uid: 'u' } }, old).map(renderFieldError), [
    'metadata.name: Invalid value: "y": field is immutable',
  ]);
  assert.deepEqual(validateNamespaceStatusUpdate({ ...old, status: { phase: 'Terminating' } }, old).map(renderFieldError), [
    "status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty",
  ]);
});
