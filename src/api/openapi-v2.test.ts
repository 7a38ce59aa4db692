import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openapiV2Document, openapiV2Body, buildOpenapiV2Document } from './openapi-v2.ts';
import { openapiHash } from './openapi-v3.ts';

type Json = Record<string, any>;
const doc = () => openapiV2Document() as Json;

test('a Swagger 2.0 document with definitions and the paths of every group', () => {
  const d = doc();
  assert.equal(d.swagger, '2.0');
  for (const p of ['/api/v1/namespaces/{namespace}/pods/{name}', '/api/v1/nodes', '/api/v1/namespaces', '/api/v1/events',
    '/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}'])
    assert.ok(d.paths[p], p);
  for (const n of ['io.k8s.api.core.v1.Pod', 'io.k8s.api.coordination.v1.Lease', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'])
    assert.ok(d.definitions[n], n);
  assert.equal(openapiV2Document(), openapiV2Document(), 'cached');
  assert.equal(openapiV2Body().hash, openapiHash(openapiV2Body().body));
  assert.equal(JSON.stringify(buildOpenapiV2Document()), openapiV2Body().body, 'deterministic');
});

test('refs are #/definitions/, fields carry a description beside $ref, and every ref resolves', () => {
  const d = doc();
  const refs: string[] = [];
  JSON.stringify(d, (k, v) => (k === '$ref' && refs.push(v), v));
  for (const r of refs) {
    assert.ok(r.startsWith('#/definitions/'), r);
    assert.ok(d.definitions[r.slice('#/definitions/'.length)], r);
  }
  const pod = d.definitions['io.k8s.api.core.v1.Pod'];
  assert.equal(pod.properties.metadata.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  assert.equal(typeof pod.properties.metadata.description, 'string');
  assert.equal(JSON.stringify(d).includes('"anyOf"'), false, 'no anyOf in Swagger 2.0');
  assert.deepEqual(
    { type: d.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].type, format: d.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format },
    { type: 'string', format: 'int-or-string' },
  );
  const containers = d.definitions['io.k8s.api.core.v1.PodSpec'].properties.containers;
  assert.deepEqual(containers.items, { $ref: '#/definitions/io.k8s.api.core.v1.Container' });
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
});

test('PATCH operations take a body parameter, the patch content types, GVK and fieldValidation', () => {
  const op = doc().paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
  assert.deepEqual(op['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });
  assert.ok(op.consumes.includes('application/strategic-merge-patch+json'));
  assert.ok(op.consumes.includes('application/apply-patch+yaml'));
  const names = op.parameters.map((p: Json) => p.name);
  assert.deepEqual(names, ['body', 'dryRun', 'fieldManager', 'fieldValidation', 'force']);
  assert.equal(op.parameters[0].in, 'body');
  assert.equal(op.parameters[0].schema.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
});
