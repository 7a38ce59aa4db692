import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaForKind } from '../../api/schemas.ts';
import { fieldSetOf } from './field-set-of.ts';
import { compareObjects } from './compare.ts';
import { mergeObjects } from './merge.ts';
import { removeItems } from './remove-items.ts';
import { FieldSet } from './field-set.ts';
import { field, key, setValue } from './path-element.ts';

const pod = schemaForKind('', 'Pod');
const fields = (obj: unknown) => JSON.stringify(fieldSetOf(obj, pod).toFieldsV1());

test('fieldSetOf: list-map items by keys (missing protocol defaults to TCP), sets by value, atomic lists and maps whole', () => {
  assert.equal(
    fields({
      metadata: { finalizers: ['a/b'], ownerReferences: [{ uid: 'u1', name: 'rs', kind: 'ReplicaSet', apiVersion: 'apps/v1' }] },
      spec: { containers: [{ name: 'web', ports: [{ containerPort: 80 }], args: ['x'], resources: {} }], tolerations: [{ key: 'k' }] },
    }),
    '{"f:metadata":{"f:finalizers":{"v:\\"a/b\\"":{}},"f:ownerReferences":{"k:{\\"uid\\":\\"u1\\"}":{}}},' +
      '"f:spec":{"f:containers":{"k:{\\"name\\":\\"web\\"}":{".":{},"f:args":{},"f:name":{},"f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}},"f:resources":{}}},"f:tolerations":{}}}',
  );
  assert.equal(fields({ spec: {}, metadata: { labels: { a: 'b' } } }), '{"f:metadata":{"f:labels":{"f:a":{}}},"f:spec":{}}', 'an empty map is claimed whole');
});

test('compare: leaves by value, new containers and maps with their node', () => {
  const c = compareObjects(
    { metadata: { labels: { a: '1' } }, spec: { containers: [{ name: 'a', image: 'x' }] } },
    { metadata: { labels: { a: '2' }, annotations: { n: 'v' } }, spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } },
    pod,
  );
  assert.deepEqual(c.modified.toFieldsV1(), { 'f:metadata': { 'f:labels': { 'f:a': {} } } });
  assert.deepEqual(c.added.toFieldsV1(), {
    'f:metadata': { 'f:annotations': { '.': {}, 'f:n': {} } },
    'f:spec': { 'f:containers': { 'k:{"name":"b"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
  });
  assert.ok(c.removed.isEmpty());
});

test('merge: list-map items merge by key and keep live order; sets union; null clears', () => {
  const live = {
    metadata: { finalizers: ['a'], labels: { x: '1', y: '2' } },
    spec: { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '2' }] },
  };
  const merged = mergeObjects(
    live,
    { metadata: { finalizers: ['b'], labels: { y: null } }, spec: { containers: [{ name: 'c', image: '3' }, { name: 'a', image: '9' }] } },
    pod,
  );
  assert.deepEqual(merged, {
    metadata: { finalizers: ['a', 'b'], labels: { x: '1' } },
    spec: { containers: [{ name: 'c', image: '3' }, { name: 'a', image: '9' }, { name: 'b', image: '2' }] },
  });
  assert.deepEqual(live.metadata.labels, { x: '1', y: '2' }, 'inputs untouched');
});

test('removeItems: members go with their subtree; parents are entered', () => {
  const obj = { metadata: { finalizers: ['a', 'b'], labels: { x: '1', y: '2' } }, spec: { containers: [{ name: 'a', image: '1' }, { name: 'b' }] } };
  const gone = FieldSet.of(
    [field('metadata'), field('labels'), field('x')],
    [field('metadata'), field('finalizers'), setValue('b')],
    [field('spec'), field('containers'), key({ name: 'a' }), field('image')],
    [field('spec'), field('containers'), key({ name: 'b' })],
  );
  assert.deepEqual(removeItems(obj, gone, pod), {
    metadata: { finalizers: ['a'], labels: { y: '2' } },
    spec: { containers: [{ name: 'a' }] },
  });
});
