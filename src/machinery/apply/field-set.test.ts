import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet } from './field-set.ts';
import { field, index, key, parseElement, pathToString, serializeElement, setValue } from './path-element.ts';

// Captured from kube-apiserver (a Pod created by `kubectl apply`); see managed-fields.test.ts for the object.
const REAL =
  '{"f:metadata":{"f:annotations":{".":{},"f:kubectl.kubernetes.io/last-applied-configuration":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"app\\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:resources":{},"f:securityContext":{".":{},"f:privileged":{}},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},"f:enableServiceLinks":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}';

test('FieldsV1 round-trips byte for byte', () => {
  const s = FieldSet.fromFieldsV1(JSON.parse(REAL));
  assert.equal(JSON.stringify(s.toFieldsV1()), REAL);
  assert.ok(s.has([field('spec'), field('containers'), key({ name: 'app' })]), 'item with "." is a member');
  assert.ok(s.has([field('spec'), field('containers'), key({ name: 'app' }), field('image')]));
  assert.ok(!s.has([field('spec')]), 'a parent without "." is not a member');
  assert.ok(s.has([field('spec'), field('securityContext')]), 'an empty node is a member');
});

test('encoding sorts children (fields, keys, values, indices) and puts "." first', () => {
  const s = new FieldSet()
    .insert([field('b')])
    .insert([field('l'), key({ port: 80, proto: 'TCP' })])
    .insert([field('l'), key({ port: 8, proto: 'TCP' })])
    .insert([field('a'), field('z')])
    .insert([field('a')])
    .insert([field('a'), field('y')])
    .insert([field('s'), setValue('x')])
    .insert([field('s'), setValue(1)]);
  assert.equal(
    JSON.stringify(s.toFieldsV1()),
    '{"f:a":{".":{},"f:y":{},"f:z":{}},"f:b":{},"f:l":{"k:{\\"port\\":8,\\"proto\\":\\"TCP\\"}":{},"k:{\\"port\\":80,\\"proto\\":\\"TCP\\"}":{}},"f:s":{"v:1":{},"v:\\"x\\"":{}}}',
  );
});

test('path elements: keys sorted by name, Go escaping, parse back', () => {
  const pe = key({ protocol: 'TCP', containerPort: 80 });
  assert.equal(serializeElement(pe), 'k:{"containerPort":80,"protocol":"TCP"}');
  assert.deepEqual(parseElement('k:{"protocol":"TCP","containerPort":80}'), pe);
  assert.equal(serializeElement(setValue('a<b')), 'v:"a\\u003cb"');
  assert.equal(serializeElement(index(3)), 'i:3');
  assert.equal(parseElement('z:whatever'), undefined);
  assert.equal(
    pathToString([field('spec'), field('containers'), key({ name: 'web' }), field('ports'), pe, field('hostPort')]),
    '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].hostPort',
  );
  assert.equal(pathToString([field('metadata'), field('finalizers'), setValue('x')]), '.metadata.finalizers[="x"]');
});

test('union, intersection, difference, recursiveDifference, paths and leaves', () => {
  const a = FieldSet.of([field('a'), field('x')], [field('a'), field('y')], [field('b')]);
  const b = FieldSet.of([field('a'), field('y')], [field('c')], [field('a')]);
  assert.deepEqual(a.union(b).toFieldsV1(), { 'f:a': { '.': {}, 'f:x': {}, 'f:y': {} }, 'f:b': {}, 'f:c': {} });
  assert.deepEqual(a.intersection(b).toFieldsV1(), { 'f:a': { 'f:y': {} } });
  assert.deepEqual(a.difference(b).toFieldsV1(), { 'f:a': { 'f:x': {} }, 'f:b': {} });
  assert.deepEqual(a.recursiveDifference(FieldSet.of([field('a')])).toFieldsV1(), { 'f:b': {} });
  assert.ok(a.difference(a).isEmpty());
  const u = a.union(b);
  assert.deepEqual([...u.paths()].map(pathToString), ['.a', '.a.x', '.a.y', '.b', '.c']);
  assert.deepEqual([...u.leaves()].map(pathToString), ['.a.x', '.a.y', '.b', '.c']);
  assert.equal(u.size, 5);
});
