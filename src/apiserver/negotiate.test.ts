import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateDiscovery, negotiateOutput } from './negotiate.ts';

const kubectlTable = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

test('negotiateOutput', () => {
  assert.deepEqual(negotiateOutput(undefined), { kind: 'json' });
  assert.deepEqual(negotiateOutput(kubectlTable), { kind: 'table', version: 'v1' });
  assert.deepEqual(negotiateOutput('application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'), { kind: 'table', version: 'v1beta1' });
  assert.deepEqual(negotiateOutput('application/json, */*'), { kind: 'json' });
  assert.deepEqual(negotiateOutput('application/vnd.kubernetes.protobuf,application/json'), { kind: 'json' });
  assert.deepEqual(negotiateOutput('application/yaml'), { kind: 'yaml' });
  assert.deepEqual(negotiateOutput('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json'), { kind: 'json' });
  assert.throws(() => negotiateOutput('text/html'), { code: 406 });
});

test('negotiateDiscovery', () => {
  const v132 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  assert.equal(negotiateDiscovery(v132), 'v2');
  assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'), 'v2beta1');
  assert.equal(negotiateDiscovery('application/json, */*'), 'legacy');
  assert.equal(negotiateDiscovery(undefined), 'legacy');
  assert.equal(negotiateDiscovery('application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json'), 'legacy');
});
