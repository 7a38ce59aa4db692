import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TSchema } from '@sinclair/typebox';
import { kindSchemas, schemaForKind } from './schemas.ts';
import { namedSchemas } from './schema-kit.ts';
import { schemaAt } from './schema-walk.ts';
import { podSchema } from './pod.ts';
import { nodeSchema } from './node.ts';
import { namespaceSchema } from './namespace.ts';
import { eventSchema } from './event.ts';
import { leaseSchema } from './lease.ts';

/** Calls fn on every schema node reachable from root, with its path. */
function walk(node: TSchema, path: string, fn: (n: TSchema, path: string) => void, seen = new Set<TSchema>()) {
  fn(node, path);
  if (seen.has(node)) return;
  seen.add(node);
  for (const [k, v] of Object.entries((node.properties ?? {}) as Record<string, TSchema>)) walk(v, `${path}.${k}`, fn, seen);
  if (node.items) walk(node.items as TSchema, `${path}[]`, fn, seen);
  if (node.additionalProperties && typeof node.additionalProperties === 'object')
    walk(node.additionalProperties as TSchema, `${path}{}`, fn, seen);
}

test('schemaForKind knows the served kinds', () => {
  assert.equal(schemaForKind('', 'Pod'), podSchema);
  assert.equal(schemaForKind('', 'Node'), nodeSchema);
  assert.equal(schemaForKind('', 'Namespace'), namespaceSchema);
  assert.equal(schemaForKind('', 'Event'), eventSchema);
  assert.equal(schemaForKind('coordination.k8s.io', 'Lease'), leaseSchema);
  assert.equal(schemaForKind('', 'Lease'), undefined);
  assert.equal(schemaForKind('apps', 'Deployment'), undefined);
});

test('every property of every schema has a description, and there is no $ref', () => {
  const missing: string[] = [];
  const roots = [...namedSchemas().values(), ...Object.values(kindSchemas)];
  for (const root of roots) {
    walk(root, root.$id ?? '?', (n, path) => {
      assert.equal(n.$ref, undefined, `${path} uses $ref`);
      for (const [k, v] of Object.entries((n.properties ?? {}) as Record<string, TSchema>)) {
        if (typeof v.description !== 'string' || v.description.trim() === '') missing.push(`${path}.${k}`);
      }
    });
  }
  assert.deepEqual(missing, []);
});

test('object and array nodes have the shape other code relies on', () => {
  for (const root of namedSchemas().values()) {
    walk(root, root.$id!, (n, path) => {
      if (n.type === 'array') assert.ok(n.items, `${path}: array without items`);
      if (n.type === 'object' && n.properties) assert.equal(typeof n.properties, 'object', path);
      if (n.required) for (const r of n.required as string[]) assert.ok((n.properties as object)[r as never], `${path}: required ${r} unknown`);
    });
  }
});

test('top-level kinds carry x-kubernetes-group-version-kind', () => {
  assert.deepEqual(podSchema['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.deepEqual(leaseSchema['x-kubernetes-group-version-kind'], [
    { group: 'coordination.k8s.io', kind: 'Lease', version: 'v1' },
  ]);
  for (const s of [nodeSchema, namespaceSchema, eventSchema]) assert.ok(Array.isArray(s['x-kubernetes-group-version-kind']));
});

type Meta = { strategy?: string; key?: string; type?: string; keys?: string[] };
/** K8S-FACTS.md §1.3, Kubernetes 1.32. */
const table: Array<[TSchema, string, Meta]> = [
  [podSchema, 'metadata.ownerReferences', { strategy: 'merge', key: 'uid', type: 'map', keys: ['uid'] }],
  [podSchema, 'metadata.finalizers', { strategy: 'merge', type: 'set' }],
  [podSchema, 'metadata.managedFields', { type: 'atomic' }],
  [podSchema, 'spec.volumes', { strategy: 'merge,retainKeys', key: 'name', type: 'map', keys: ['name'] }],
  [podSchema, 'spec.volumes[].secret.items', { type: 'atomic' }],
  [podSchema, 'spec.volumes[].configMap.items', { type: 'atomic' }],
  [podSchema, 'spec.volumes[].downwardAPI.items', { type: 'atomic' }],
  [podSchema, 'spec.volumes[].projected.sources', { type: 'atomic' }],
  [podSchema, 'spec.volumes[].projected.sources[].secret.items', { type: 'atomic' }],
  [podSchema, 'spec.initContainers', { strategy: 'merge', key: 'name', type: 'map', keys: ['name'] }],
  [podSchema, 'spec.containers', { strategy: 'merge', key: 'name', type: 'map', keys: ['name'] }],
  [podSchema, 'spec.ephemeralContainers', { strategy: 'merge', key: 'name', type: 'map', keys: ['name'] }],
  [podSchema, 'spec.containers[].command', { type: 'atomic' }],
  [podSchema, 'spec.containers[].args', { type: 'atomic' }],
  [podSchema, 'spec.containers[].ports', { strategy: 'merge', key: 'containerPort', type: 'map', keys: ['containerPort', 'protocol'] }],
  [podSchema, 'spec.containers[].env', { strategy: 'merge', key: 'name', type: 'map', keys: ['name'] }],
  [podSchema, 'spec.containers[].envFrom', { type: 'atomic' }],
  [podSchema, 'spec.containers[].volumeMounts', { strategy: 'merge', key: 'mountPath', type: 'map', keys: ['mountPath'] }],
  [podSchema, 'spec.containers[].volumeDevices', { strategy: 'merge', key: 'devicePath', type: 'map', keys: ['devicePath'] }],
  [podSchema, 'spec.containers[].resources.claims', { type: 'map', keys: ['name'] }],
  [podSchema, 'spec.containers[].resizePolicy', { type: 'atomic' }],
  [podSchema, 'spec.containers[].securityContext.capabilities.add', { type: 'atomic' }],
  [podSchema, 'spec.containers[].securityContext.capabilities.drop', { type: 'atomic' }],
  [podSchema, 'spec.containers[].livenessProbe.exec.command', { type: 'atomic' }],
  [podSchema, 'spec.containers[].readinessProbe.httpGet.httpHeaders', { type: 'atomic' }],
  [podSchema, 'spec.ephemeralContainers[].env', { strategy: 'merge', key: 'name', type: 'map', keys: ['name'] }],
  [podSchema, 'spec.initContainers[].ports', { strategy: 'merge', key: 'containerPort', type: 'map', keys: ['containerPort', 'protocol'] }],
  [podSchema, 'spec.imagePullSecrets', { strategy: 'merge', key: 'name', type: 'map', keys: ['name'] }],
  [podSchema, 'spec.tolerations', { type: 'atomic' }],
  [podSchema, 'spec.hostAliases', { strategy: 'merge', key: 'ip', type: 'map', keys: ['ip'] }],
  [podSchema, 'spec.hostAliases[].hostnames', { type: 'atomic' }],
  [podSchema, 'spec.securityContext.supplementalGroups', { type: 'atomic' }],
  [podSchema, 'spec.securityContext.sysctls', { type: 'atomic' }],
  [podSchema, 'spec.dnsConfig.nameservers', { type: 'atomic' }],
  [podSchema, 'spec.dnsConfig.searches', { type: 'atomic' }],
  [podSchema, 'spec.dnsConfig.options', { type: 'atomic' }],
  [podSchema, 'spec.readinessGates', { type: 'atomic' }],
  [podSchema, 'spec.topologySpreadConstraints', { strategy: 'merge', key: 'topologyKey', type: 'map', keys: ['topologyKey', 'whenUnsatisfiable'] }],
  [podSchema, 'spec.topologySpreadConstraints[].matchLabelKeys', { type: 'atomic' }],
  [podSchema, 'spec.topologySpreadConstraints[].labelSelector.matchExpressions', { type: 'atomic' }],
  [podSchema, 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms', { type: 'atomic' }],
  [podSchema, 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[].matchExpressions', { type: 'atomic' }],
  [podSchema, 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[].matchFields[].values', { type: 'atomic' }],
  [podSchema, 'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution', { type: 'atomic' }],
  [podSchema, 'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution', { type: 'atomic' }],
  [podSchema, 'spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[].podAffinityTerm.namespaces', { type: 'atomic' }],
  [podSchema, 'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[].matchLabelKeys', { type: 'atomic' }],
  [podSchema, 'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[].mismatchLabelKeys', { type: 'atomic' }],
  [podSchema, 'spec.volumes[].ephemeral.volumeClaimTemplate.spec.accessModes', { type: 'atomic' }],
  [podSchema, 'spec.schedulingGates', { strategy: 'merge', key: 'name', type: 'map', keys: ['name'] }],
  [podSchema, 'spec.resourceClaims', { strategy: 'merge,retainKeys', key: 'name', type: 'map', keys: ['name'] }],
  [podSchema, 'spec.resources.claims', { type: 'map', keys: ['name'] }],
  [podSchema, 'status.conditions', { strategy: 'merge', key: 'type', type: 'map', keys: ['type'] }],
  [podSchema, 'status.podIPs', { strategy: 'merge', key: 'ip', type: 'map', keys: ['ip'] }],
  [podSchema, 'status.hostIPs', { strategy: 'merge', key: 'ip', type: 'atomic' }],
  [podSchema, 'status.containerStatuses', { type: 'atomic' }],
  [podSchema, 'status.initContainerStatuses', { type: 'atomic' }],
  [podSchema, 'status.ephemeralContainerStatuses', { type: 'atomic' }],
  [podSchema, 'status.containerStatuses[].volumeMounts', { strategy: 'merge', key: 'mountPath', type: 'map', keys: ['mountPath'] }],
  [podSchema, 'status.containerStatuses[].allocatedResourcesStatus', { strategy: 'merge', key: 'name', type: 'map', keys: ['name'] }],
  [podSchema, 'status.containerStatuses[].allocatedResourcesStatus[].resources', { type: 'map', keys: ['resourceID'] }],
  [podSchema, 'status.resourceClaimStatuses', { strategy: 'merge,retainKeys', key: 'name', type: 'map', keys: ['name'] }],
  [nodeSchema, 'spec.podCIDRs', { strategy: 'merge', type: 'set' }],
  [nodeSchema, 'spec.taints', { type: 'atomic' }],
  [nodeSchema, 'status.conditions', { strategy: 'merge', key: 'type', type: 'map', keys: ['type'] }],
  [nodeSchema, 'status.addresses', { strategy: 'merge', key: 'type', type: 'map', keys: ['type'] }],
  [nodeSchema, 'status.images', { type: 'atomic' }],
  [nodeSchema, 'status.images[].names', { type: 'atomic' }],
  [nodeSchema, 'status.volumesInUse', { type: 'atomic' }],
  [nodeSchema, 'status.volumesAttached', { type: 'atomic' }],
  [nodeSchema, 'status.runtimeHandlers', { type: 'atomic' }],
  [namespaceSchema, 'spec.finalizers', { type: 'atomic' }],
  [namespaceSchema, 'status.conditions', { strategy: 'merge', key: 'type', type: 'map', keys: ['type'] }],
  [leaseSchema, 'metadata.ownerReferences', { strategy: 'merge', key: 'uid', type: 'map', keys: ['uid'] }],
];

test('list fields carry the patch metadata of Kubernetes 1.32 (K8S-FACTS §1.3)', () => {
  for (const [root, path, want] of table) {
    const n = schemaAt(root, path);
    assert.ok(n, `${root.$id} ${path} missing`);
    assert.equal(n.type, 'array', `${path} is not a list`);
    const got: Meta = {};
    if (n['x-kubernetes-patch-strategy']) got.strategy = n['x-kubernetes-patch-strategy'];
    if (n['x-kubernetes-patch-merge-key']) got.key = n['x-kubernetes-patch-merge-key'];
    if (n['x-kubernetes-list-type']) got.type = n['x-kubernetes-list-type'];
    if (n['x-kubernetes-list-map-keys']) got.keys = n['x-kubernetes-list-map-keys'];
    assert.deepEqual(got, want, `${root.$id} ${path}`);
  }
});

test('every list in the Pod schema declares a list type', () => {
  const untyped: string[] = [];
  walk(podSchema, 'pod', (n, path) => {
    if (n.type === 'array' && !n['x-kubernetes-list-type']) untyped.push(path);
  });
  assert.deepEqual(untyped, []);
});

test('maps, int-or-string and enums look like Kubernetes', () => {
  assert.equal(schemaAt(podSchema, 'metadata.labels')?.additionalProperties?.type, 'string');
  assert.equal(schemaAt(podSchema, 'spec.nodeSelector')?.['x-kubernetes-map-type'], 'atomic');
  const port = schemaAt(podSchema, 'spec.containers[].livenessProbe.httpGet.port')!;
  assert.equal(port['x-kubernetes-int-or-string'], true);
  assert.equal(port.$id, 'io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  assert.equal(schemaAt(podSchema, 'spec.containers[].resources.limits.cpu')?.$id, 'io.k8s.apimachinery.pkg.api.resource.Quantity');
  assert.deepEqual(schemaAt(podSchema, 'spec.restartPolicy')?.enum, ['Always', 'Never', 'OnFailure']);
  assert.deepEqual(schemaAt(podSchema, 'spec.containers[].imagePullPolicy')?.enum, ['Always', 'IfNotPresent', 'Never']);
  assert.deepEqual(podSchema.properties.spec.required, ['containers']);
  assert.deepEqual(schemaAt(podSchema, 'spec.containers[]')?.required, ['name']);
  assert.deepEqual(schemaAt(podSchema, 'spec.containers[].ports[]')?.required, ['containerPort']);
  assert.equal(schemaAt(podSchema, 'spec.containers[]')?.$id, 'io.k8s.api.core.v1.Container');
  assert.equal(schemaAt(podSchema, 'metadata')?.$id, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
});
