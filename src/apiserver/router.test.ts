import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allResources } from '../api/resources.ts';
import { parsePath, type ResourceLookup } from './router.ts';

const lookup: ResourceLookup = (g, v, p) => allResources.find((r) => r.group === g && r.version === v && r.plural === p);
const route = (path: string) => {
  const r = parsePath(path, lookup);
  if (r.t !== 'resource') return r;
  const { info, ...rest } = r;
  return { ...rest, kind: info.kind };
};

test('non-resource paths', () => {
  assert.deepEqual(route('/version'), { t: 'version' });
  assert.deepEqual(route('/readyz'), { t: 'health', check: 'readyz' });
  assert.deepEqual(route('/livez/ping'), { t: 'health', check: 'livez' });
  assert.deepEqual(route('/api'), { t: 'api' });
  assert.deepEqual(route('/api/'), { t: 'api' });
  assert.deepEqual(route('/apis'), { t: 'apis' });
  assert.deepEqual(route('/api/v1'), { t: 'resourceList', group: '', version: 'v1' });
  assert.deepEqual(route('/apis/coordination.k8s.io'), { t: 'group', group: 'coordination.k8s.io' });
  assert.deepEqual(route('/apis/coordination.k8s.io/v1'), { t: 'resourceList', group: 'coordination.k8s.io', version: 'v1' });
  assert.deepEqual(route('/openapi/v3'), { t: 'openapiV3Index' });
  assert.deepEqual(route('/openapi/v3/api/v1'), { t: 'openapiV3', path: 'api/v1' });
  assert.deepEqual(route('/openapi/v2'), { t: 'openapiV2' });
  assert.deepEqual(route('/nope'), { t: 'notFound' });
  assert.deepEqual(route(''), { t: 'notFound' });
});

test('namespaced resources', () => {
  const base = { t: 'resource', group: '', version: 'v1', plural: 'pods', kind: 'Pod', watchPath: false };
  assert.deepEqual(route('/api/v1/namespaces/default/pods'), { ...base, namespace: 'default', name: undefined, subresource: undefined });
  assert.deepEqual(route('/api/v1/namespaces/default/pods/web'), { ...base, namespace: 'default', name: 'web', subresource: undefined });
  assert.deepEqual(route('/api/v1/namespaces/default/pods/web/log'), { ...base, namespace: 'default', name: 'web', subresource: 'log' });
  assert.deepEqual(route('/api/v1/pods'), { ...base, namespace: undefined, name: undefined, subresource: undefined });
  assert.deepEqual(route('/api/v1/watch/namespaces/default/pods'), { ...base, namespace: 'default', name: undefined, subresource: undefined, watchPath: true });
  assert.equal(route('/api/v1/pods/web').t, 'notFound');
  assert.equal(route('/api/v1/namespaces/default/pods/web/log/extra').t, 'notFound');
  assert.equal(route('/api/v1/namespaces/default/services').t, 'notFound');
  assert.equal(route('/api/v2/namespaces/default/pods').t, 'notFound');
  const lease = route('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node1');
  assert.equal(lease.t, 'resource');
  assert.equal((lease as { name: string }).name, 'node1');
});

test('cluster-scoped resources and namespace subresources', () => {
  const ns = { t: 'resource', group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', watchPath: false, namespace: undefined };
  assert.deepEqual(route('/api/v1/namespaces'), { ...ns, name: undefined, subresource: undefined });
  assert.deepEqual(route('/api/v1/namespaces/kube-system'), { ...ns, name: 'kube-system', subresource: undefined });
  assert.deepEqual(route('/api/v1/namespaces/x/finalize'), { ...ns, name: 'x', subresource: 'finalize' });
  assert.deepEqual(route('/api/v1/namespaces/x/status'), { ...ns, name: 'x', subresource: 'status' });
  assert.equal(route('/api/v1/nodes/n1').t, 'resource');
  assert.equal(route('/api/v1/namespaces/default/nodes/n1').t, 'notFound');
  assert.equal((route('/api/v1/nodes/a%3Ab') as { name: string }).name, 'a:b');
});
