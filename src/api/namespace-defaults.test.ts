import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from './object.ts';
import { prepareNamespaceForCreate, prepareNamespaceForUpdate } from './namespace-defaults.ts';

test('create: name label, kubernetes finalizer, Active status', () => {
  const ns: KubeObject = { metadata: { name: 'team', labels: { 'kubernetes.io/metadata.name': 'other', a: 'b' } }, status: { phase: 'Terminating' } };
  prepareNamespaceForCreate(ns);
  assert.deepEqual(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'team', a: 'b' });
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(ns.status, { phase: 'Active' });
  const withOther: KubeObject = { metadata: { name: 'b' }, spec: { finalizers: ['example.com/x'] } };
  prepareNamespaceForCreate(withOther);
  assert.deepEqual(withOther.spec.finalizers, ['example.com/x', 'kubernetes']);
});

test('update keeps stored finalizers and status', () => {
  const old: KubeObject = { metadata: { name: 'a' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } };
  const next: KubeObject = { metadata: { name: 'a', labels: { x: 'y' } }, spec: { finalizers: [] }, status: { phase: 'Active' } };
  prepareNamespaceForUpdate(next, old);
  assert.deepEqual(next.spec.finalizers, ['kubernetes']);
  assert.deepEqual(next.status, { phase: 'Terminating' });
  assert.deepEqual(next.metadata.labels, { x: 'y', 'kubernetes.io/metadata.name': 'a' });
});
