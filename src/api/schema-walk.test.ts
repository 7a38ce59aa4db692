import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaAt, propertySchema, itemSchema } from './schema-walk.ts';
import { podSchema } from './pod.ts';

test('schemaAt follows properties, list elements and map values', () => {
  assert.equal(schemaAt(podSchema, 'spec.containers[].ports')?.['x-kubernetes-patch-merge-key'], 'containerPort');
  assert.equal(schemaAt(podSchema, 'spec.containers[0].ports[1].containerPort')?.type, 'integer');
  assert.equal(schemaAt(podSchema, 'metadata.labels.app')?.type, 'string');
  assert.equal(schemaAt(podSchema, 'spec.nope'), undefined);
  assert.equal(schemaAt(podSchema, ''), podSchema);
});

test('propertySchema and itemSchema are safe on mismatches', () => {
  assert.equal(propertySchema(undefined, 'x'), undefined);
  assert.equal(itemSchema(podSchema), undefined);
  assert.equal(itemSchema(schemaAt(podSchema, 'spec.containers'))?.$id, 'io.k8s.api.core.v1.Container');
});
