import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openapiV3Index, openapiV3Document, openapiV3Body, buildOpenapiV3Document, openapiHash, patchContentTypes,
} from './openapi-v3.ts';

type Json = Record<string, any>;
const doc = (gv: string) => openapiV3Document(gv) as Json;

/** Every operation of a document with its path and method. */
function operations(d: Json): Array<{ path: string; method: string; op: Json }> {
  const out = [];
  for (const [path, item] of Object.entries(d.paths as Json))
    for (const method of ['get', 'put', 'post', 'delete', 'patch'])
      if (item[method]) out.push({ path, method, op: item[method] });
  return out;
}

test('index lists both group/versions with an upper-case sha256 hash of the document', () => {
  const idx = openapiV3Index();
  assert.deepEqual(Object.keys(idx.paths).sort(), ['api/v1', 'apis/coordination.k8s.io/v1']);
  for (const [gv, { serverRelativeURL }] of Object.entries(idx.paths)) {
    const m = /^\/openapi\/v3\/(.+)\?hash=([0-9A-F]{64})$/.exec(serverRelativeURL);
    assert.ok(m, serverRelativeURL);
    assert.equal(m[1], gv);
    assert.equal(m[2], openapiHash(openapiV3Body(gv)!.body));
    assert.equal(m[2], openapiHash(JSON.stringify(doc(gv))));
  }
  assert.equal(openapiV3Document('apis/apps/v1'), undefined);
});

test('documents are built once; the hash follows the content', () => {
  assert.equal(openapiV3Document('api/v1'), openapiV3Document('api/v1'));
  const fresh = buildOpenapiV3Document('api/v1')!;
  assert.equal(openapiHash(JSON.stringify(fresh)), openapiHash(openapiV3Body('api/v1')!.body), 'deterministic');
  (fresh.info as Json).title = 'changed';
  assert.notEqual(openapiHash(JSON.stringify(fresh)), openapiHash(openapiV3Body('api/v1')!.body));
});

test('every PATCH operation carries an object GVK, fieldValidation and the four patch content types', () => {
  for (const gv of ['api/v1', 'apis/coordination.k8s.io/v1']) {
    const patches = operations(doc(gv)).filter((o) => o.method === 'patch');
    assert.ok(patches.length > 0);
    for (const { path, op } of patches) {
      const gvk = op['x-kubernetes-group-version-kind'];
      assert.ok(gvk && !Array.isArray(gvk) && typeof gvk.kind === 'string', path);
      assert.equal(op['x-kubernetes-action'], 'patch');
      const names = op.parameters.filter((p: Json) => p.in === 'query').map((p: Json) => p.name);
      for (const n of ['dryRun', 'fieldManager', 'fieldValidation', 'force']) assert.ok(names.includes(n), `${path}: ${n}`);
      assert.deepEqual(Object.keys(op.requestBody.content).sort(), [...patchContentTypes].sort());
    }
  }
  const podPatch = doc('api/v1').paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
  assert.deepEqual(podPatch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });
  const nsPatch = doc('api/v1').paths['/api/v1/namespaces/{name}'].patch;
  assert.deepEqual(nsPatch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Namespace' });
  const leasePatch = doc('apis/coordination.k8s.io/v1').paths['/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}'].patch;
  assert.deepEqual(leasePatch['x-kubernetes-group-version-kind'], { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' });
});

test('paths cover list, all-namespaces list, item, status and binding with the expected actions', () => {
  const p = doc('api/v1').paths;
  const action = (path: string, m: string) => p[path]?.[m]?.['x-kubernetes-action'];
  assert.equal(action('/api/v1/namespaces/{namespace}/pods', 'get'), 'list');
  assert.equal(action('/api/v1/namespaces/{namespace}/pods', 'post'), 'post');
  assert.equal(action('/api/v1/namespaces/{namespace}/pods', 'delete'), 'deletecollection');
  assert.equal(action('/api/v1/pods', 'get'), 'list');
  assert.equal(action('/api/v1/namespaces/{namespace}/pods/{name}', 'get'), 'get');
  assert.equal(action('/api/v1/namespaces/{namespace}/pods/{name}', 'put'), 'put');
  assert.equal(action('/api/v1/namespaces/{namespace}/pods/{name}', 'delete'), 'delete');
  assert.equal(action('/api/v1/namespaces/{namespace}/pods/{name}/status', 'patch'), 'patch');
  assert.equal(action('/api/v1/namespaces/{namespace}/pods/{name}/binding', 'post'), 'post');
  assert.equal(action('/api/v1/watch/namespaces/{namespace}/pods', 'get'), 'watchlist');
  assert.equal(action('/api/v1/watch/namespaces/{namespace}/pods/{name}', 'get'), 'watch');
  assert.equal(action('/api/v1/nodes', 'get'), 'list');
  assert.equal(action('/api/v1/nodes/{name}/status', 'put'), 'put');
  assert.equal(action('/api/v1/events', 'get'), 'list');
  assert.equal(action('/api/v1/namespaces', 'delete'), undefined, 'namespaces have no deletecollection');
  assert.equal(action('/apis/coordination.k8s.io/v1/leases', 'get'), undefined, 'not in the core document');
  const lp = doc('apis/coordination.k8s.io/v1').paths;
  assert.equal(lp['/apis/coordination.k8s.io/v1/leases'].get['x-kubernetes-action'], 'list');
  const listParams = p['/api/v1/namespaces/{namespace}/pods'].get.parameters.map((x: Json) => x.name);
  for (const n of ['labelSelector', 'fieldSelector', 'watch', 'resourceVersion', 'limit', 'continue']) assert.ok(listParams.includes(n), n);
  assert.deepEqual(p['/api/v1/namespaces/{namespace}/pods/{name}'].parameters.map((x: Json) => x.name), ['name', 'namespace', 'pretty']);
});

test('every $ref resolves to a component and components keep Kubernetes names', () => {
  for (const gv of ['api/v1', 'apis/coordination.k8s.io/v1']) {
    const d = doc(gv);
    const schemas = d.components.schemas;
    const refs: string[] = [];
    JSON.stringify(d, (k, v) => {
      if (k === '$ref') refs.push(v);
      return v;
    });
    assert.ok(refs.length > 0);
    for (const r of refs) {
      assert.ok(r.startsWith('#/components/schemas/'), r);
      assert.ok(schemas[r.slice('#/components/schemas/'.length)], `${gv}: dangling ${r}`);
    }
  }
  const s = doc('api/v1').components.schemas;
  for (const n of ['io.k8s.api.core.v1.Pod', 'io.k8s.api.core.v1.PodList', 'io.k8s.api.core.v1.Container', 'io.k8s.api.core.v1.Node',
    'io.k8s.api.core.v1.Namespace', 'io.k8s.api.core.v1.Event', 'io.k8s.api.core.v1.Binding',
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch',
    'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', 'io.k8s.apimachinery.pkg.api.resource.Quantity'])
    assert.ok(s[n], n);
  assert.ok(doc('apis/coordination.k8s.io/v1').components.schemas['io.k8s.api.coordination.v1.Lease']);
});

test('schemas render the way kubectl explain and apply read them', () => {
  const s = doc('api/v1').components.schemas;
  const pod = s['io.k8s.api.core.v1.Pod'];
  assert.deepEqual(pod['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.deepEqual(pod.properties.metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
  assert.equal(typeof pod.properties.metadata.description, 'string');
  assert.equal(pod.$id, undefined);
  const containers = s['io.k8s.api.core.v1.PodSpec'].properties.containers;
  assert.equal(containers.type, 'array');
  assert.deepEqual(containers.items, { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' });
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
  assert.deepEqual(s['io.k8s.api.core.v1.PodSpec'].required, ['containers']);
  const labels = s['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.labels;
  assert.deepEqual(labels.additionalProperties, { type: 'string' });
  const limits = s['io.k8s.api.core.v1.ResourceRequirements'].properties.limits;
  assert.deepEqual(limits.additionalProperties, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
  assert.deepEqual(s['io.k8s.api.core.v1.Container'].properties.imagePullPolicy.enum, ['Always', 'IfNotPresent', 'Never']);
});
