import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invalidError } from '../machinery/api-error.ts';
import { renderFieldError } from '../machinery/field-error.ts';
import { goTimeString, validateObjectMeta, validateObjectMetaUpdate } from './meta-validation.ts';

const render = (errs: ReturnType<typeof validateObjectMeta>) => errs.map(renderFieldError);

test('name or generateName is required', () => {
  assert.equal(
    invalidError('Pod', '', validateObjectMeta({ namespace: 'default' }, { namespaced: true })).message,
    'Pod "" is invalid: metadata.name: Required value: name or generateName is required',
  );
});

test('bad names per kind: subdomain vs label', () => {
  assert.deepEqual(render(validateObjectMeta({ name: 'My_Pod', namespace: 'default' }, { namespaced: true })), [
    "metadata.name: Invalid value: \"My_Pod\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.deepEqual(render(validateObjectMeta({ name: 'a.b' }, { namespaced: false, kindForName: 'Namespace' })), [
    'metadata.name: Invalid value: "a.b": must not contain dots',
  ]);
  assert.deepEqual(render(validateObjectMeta({ name: 'x'.repeat(254), namespace: 'd' }, { namespaced: true })), [
    `metadata.name: Invalid value: "${'x'.repeat(254)}": must be no more than 253 characters`,
  ]);
});

test('namespace required for namespaced kinds, forbidden otherwise', () => {
  assert.deepEqual(render(validateObjectMeta({ name: 'x' }, { namespaced: true })), ['metadata.namespace: Required value']);
  assert.deepEqual(render(validateObjectMeta({ name: 'x', namespace: 'd' }, { namespaced: false })), [
    'metadata.namespace: Forbidden: not allowed on this type',
  ]);
});

test('labels and annotations: path is the map, value is the bad key or value', () => {
  const errs = render(
    validateObjectMeta(
      { name: 'x', namespace: 'd', labels: { 'bad key': 'ok', good: 'bad value' }, annotations: { 'Example.COM/Ok': 'x', 'a/b/c': '' } },
      { namespaced: true },
    ),
  );
  assert.equal(errs.length, 3);
  assert.match(errs[0], /^metadata\.labels: Invalid value: "bad key": name part must consist of/);
  assert.match(errs[1], /^metadata\.labels: Invalid value: "bad value": a valid label must be an empty string/);
  assert.match(errs[2], /^metadata\.annotations: Invalid value: "a\/b\/c": a qualified name must consist/);
});

test('annotations larger than 256 KiB', () => {
  const errs = render(validateObjectMeta({ name: 'x', namespace: 'd', annotations: { big: 'x'.repeat(262144) } }, { namespaced: true }));
  assert.deepEqual(errs, ['metadata.annotations: Too long: may not be more than 262144 bytes']);
});

test('finalizers and ownerReferences', () => {
  const errs = render(
    validateObjectMeta(
      {
        name: 'x',
        namespace: 'd',
        finalizers: ['kubernetes', 'foo', 'example.com/ok'],
        ownerReferences: [{ apiVersion: '', kind: 'ReplicaSet', name: 'rs', uid: '' }],
      },
      { namespaced: true },
    ),
  );
  assert.deepEqual(errs, [
    'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
    'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    'metadata.finalizers[1]: Invalid value: "foo": name is neither a standard finalizer name nor is it fully qualified',
  ]);
});

test('update: immutable fields, generation, finalizers while deleting', () => {
  const old = {
    name: 'x',
    namespace: 'd',
    uid: 'u1',
    generation: 2,
    creationTimestamp: '2024-01-02T03:04:05Z',
    deletionTimestamp: '2024-01-02T03:05:05Z',
    finalizers: ['a.io/x'],
  };
  const errs = render(
    validateObjectMetaUpdate({ ...old, name: 'y', uid: 'u2', generation: 1, finalizers: ['a.io/x', 'b.io/y'] }, old),
  );
  assert.deepEqual(errs, [
    'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
    'metadata.generation: Invalid value: 1: must not be decremented',
    'metadata.name: Invalid value: "y": field is immutable',
    'metadata.uid: Invalid value: "u2": field is immutable',
  ]);
  assert.deepEqual(render(validateObjectMetaUpdate({ ...old }, old)), []);
});

test('Go time formatting', () => {
  assert.equal(goTimeString('2024-01-02T03:04:05Z'), '2024-01-02 03:04:05 +0000 UTC');
});
