import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './api-error.ts';
import { strategicMergePatch, type SchemaNode } from './strategic-merge-patch.ts';

// ---- a hand-made slice of the Pod schema, shaped as TypeBox emits it -----------------------------------------

const str: SchemaNode = { type: 'string' };
const int: SchemaNode = { type: 'integer' };
const strMap: SchemaNode = { type: 'object', additionalProperties: str };
const obj = (properties: Record<string, SchemaNode>): SchemaNode => ({ type: 'object', properties });
const atomic = (items: SchemaNode): SchemaNode => ({ type: 'array', items, 'x-kubernetes-list-type': 'atomic' });
const mergeBy = (items: SchemaNode, key: string, strategy = 'merge', keys = [key]): SchemaNode => ({
  type: 'array',
  items,
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': keys,
  'x-kubernetes-patch-strategy': strategy,
  'x-kubernetes-patch-merge-key': key,
});

const envVar = obj({ name: str, value: str, valueFrom: obj({ fieldRef: obj({ fieldPath: str }) }) });
const port = obj({ containerPort: int, protocol: str, name: str, hostPort: int });
const volumeMount = obj({ name: str, mountPath: str, readOnly: { type: 'boolean' } });
const container = obj({
  name: str,
  image: str,
  command: atomic(str),
  args: atomic(str),
  env: mergeBy(envVar, 'name'),
  ports: mergeBy(port, 'containerPort', 'merge', ['containerPort', 'protocol']),
  volumeMounts: mergeBy(volumeMount, 'mountPath'),
  // A list-map without a patch strategy: SMP replaces it (K8S-FACTS §1.3 resources.claims).
  resources: obj({ limits: strMap, requests: strMap, claims: { type: 'array', items: obj({ name: str }), 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] } }),
  securityContext: obj({ runAsUser: int, runAsNonRoot: { type: 'boolean' }, capabilities: obj({ add: atomic(str), drop: atomic(str) }) }),
});
const volume = obj({
  name: str,
  emptyDir: obj({ medium: str, sizeLimit: str }),
  hostPath: obj({ path: str, type: str }),
  configMap: obj({ name: str, items: atomic(obj({ key: str, path: str })) }),
});
const toleration = obj({ key: str, operator: str, value: str, effect: str, tolerationSeconds: int });
const podSchema: SchemaNode = obj({
  apiVersion: str,
  kind: str,
  metadata: obj({
    name: str,
    namespace: str,
    labels: strMap,
    annotations: strMap,
    finalizers: { type: 'array', items: str, 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' },
    ownerReferences: mergeBy(obj({ apiVersion: str, kind: str, name: str, uid: str, controller: { type: 'boolean' } }), 'uid'),
  }),
  spec: obj({
    containers: mergeBy(container, 'name'),
    initContainers: mergeBy(container, 'name'),
    volumes: mergeBy(volume, 'name', 'merge,retainKeys'),
    tolerations: atomic(toleration),
    nodeSelector: strMap,
    nodeName: str,
    securityContext: obj({ runAsUser: int, runAsNonRoot: { type: 'boolean' }, supplementalGroups: atomic(int) }),
    // A nullable / union field, as TypeBox writes Type.Union.
    overhead: { anyOf: [{ type: 'null' }, strMap] },
  }),
  status: obj({
    phase: str,
    conditions: mergeBy(obj({ type: str, status: str, reason: str }), 'type'),
  }),
});

// ---- helpers -----------------------------------------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
/** `schema` null = no schema at all (an explicit undefined would pick the default). */
const smp = (live: unknown, patch: unknown, schema: SchemaNode | null = podSchema): Any =>
  strategicMergePatch(live, patch, schema ?? undefined);

function failure(live: unknown, patch: unknown, schema: SchemaNode | null = podSchema): ApiError {
  try {
    strategicMergePatch(live, patch, schema ?? undefined);
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    return err;
  }
  assert.fail('expected the patch to fail');
}

/** No key anywhere in the value starts with a directive prefix. */
function assertNoDirectives(v: unknown, path = ''): void {
  if (Array.isArray(v)) v.forEach((x, i) => assertNoDirectives(x, `${path}[${i}]`));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      assert.ok(!k.startsWith('$'), `directive ${k} left at ${path}`);
      assertNoDirectives(x, `${path}.${k}`);
    }
  }
}

const livePod = () => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'kubia-manual',
    namespace: 'default',
    labels: { app: 'kubia' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}\n' },
    finalizers: ['a', 'b'],
  },
  spec: {
    containers: [
      {
        name: 'kubia',
        image: 'luksa/kubia',
        ports: [{ containerPort: 8080, protocol: 'TCP' }],
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
        volumeMounts: [
          { name: 'data', mountPath: '/data' },
          { name: 'cfg', mountPath: '/etc/cfg', readOnly: true },
        ],
        resources: { limits: { cpu: '1' }, claims: [{ name: 'x' }, { name: 'y' }] },
      },
      { name: 'sidecar', image: 'busybox', command: ['sleep', '3600'] },
    ],
    volumes: [
      { name: 'data', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'cfg' } },
    ],
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    nodeSelector: { disk: 'ssd' },
    securityContext: { runAsUser: 0, runAsNonRoot: false },
  },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'True' },
    ],
  },
});

// ---- tests -------------------------------------------------------------------------------------------------

describe('strategicMergePatch: the kubectl apply body (KUBECTL-API §4.5)', () => {
  it('merges labels, keeps the container by name, changes only its image', () => {
    const live = livePod();
    const patch = {
      metadata: {
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n' },
        labels: { env: 'prod' },
      },
      spec: { '$setElementOrder/containers': [{ name: 'kubia' }, { name: 'sidecar' }], containers: [{ image: 'luksa/kubia:v2', name: 'kubia' }] },
    };
    const out = smp(live, patch);
    assert.deepEqual(out.metadata.labels, { app: 'kubia', env: 'prod' });
    assert.equal(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], '{"new":true}\n');
    assert.deepEqual(
      out.spec.containers.map((c: Any) => [c.name, c.image]),
      [
        ['kubia', 'luksa/kubia:v2'],
        ['sidecar', 'busybox'],
      ],
    );
    assert.deepEqual(out.spec.containers[0].ports, [{ containerPort: 8080, protocol: 'TCP' }], 'untouched fields survive');
    assert.deepEqual(out.spec.volumes, live.spec.volumes);
    assertNoDirectives(out);
    // Nothing else changed.
    const expected: Any = structuredClone(live);
    expected.metadata.labels.env = 'prod';
    expected.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] = '{"new":true}\n';
    expected.spec.containers[0].image = 'luksa/kubia:v2';
    assert.deepEqual(out, expected);
  });

  it('does not modify its inputs', () => {
    const live = livePod();
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'kubia' }], containers: [{ name: 'kubia', image: 'x' }] } };
    const liveCopy = structuredClone(live);
    const patchCopy = structuredClone(patch);
    smp(live, patch);
    assert.deepEqual(live, liveCopy);
    assert.deepEqual(patch, patchCopy);
  });
});

describe('strategicMergePatch: maps', () => {
  it('null deletes a key, a missing key is left alone', () => {
    const out = smp(livePod(), { metadata: { labels: { app: null, gone: null } }, spec: { nodeSelector: null } });
    assert.deepEqual(out.metadata.labels, {});
    assert.equal('nodeSelector' in out.spec, false);
  });

  it('adds maps that did not exist, dropping nulls and directives inside them', () => {
    const out = smp({ metadata: { name: 'x' } }, { metadata: { labels: { a: '1', b: null } }, spec: { securityContext: { $patch: 'replace', runAsUser: 1 } } });
    assert.deepEqual(out.metadata.labels, { a: '1' });
    assert.deepEqual(out.spec.securityContext, { runAsUser: 1 });
  });

  it('a type mismatch lets the patch value win', () => {
    const out = smp({ metadata: { labels: { a: '1' } } }, { metadata: { labels: 'oops' } });
    assert.equal(out.metadata.labels, 'oops');
  });

  it('$patch: replace makes the map exactly the other keys given', () => {
    const out = smp(livePod(), { spec: { securityContext: { $patch: 'replace', runAsUser: 1000 } } });
    assert.deepEqual(out.spec.securityContext, { runAsUser: 1000 });
  });

  it('$patch: delete empties the map', () => {
    const out = smp(livePod(), { spec: { securityContext: { $patch: 'delete' } } });
    assert.deepEqual(out.spec.securityContext, {});
  });

  it('an unknown $patch value in a map is upstream\'s 500', () => {
    const err = failure(livePod(), { spec: { securityContext: { $patch: 'foo', runAsUser: 1 } } });
    assert.equal(err.code, 500);
    assert.equal(err.message, 'unknown patch type: foo in map: map[$patch:foo runAsUser:1]');
  });

  it('looks through anyOf wrappers', () => {
    const out = smp({ spec: { overhead: { cpu: '1', memory: '1Gi' } } }, { spec: { overhead: { cpu: '2', memory: null } } });
    assert.deepEqual(out.spec.overhead, { cpu: '2' });
  });

  it('a null patch changes nothing; a non-object patch is 400', () => {
    assert.deepEqual(smp(livePod(), null), livePod());
    for (const [bad, t] of [
      [[], 'array'],
      ['x', 'string'],
      [1, 'number'],
      [true, 'bool'],
    ] as const) {
      const err = failure(livePod(), bad);
      assert.equal(err.code, 400);
      assert.equal(err.message, `json: cannot unmarshal ${t} into Go value of type map[string]interface {}`);
    }
  });
});

describe('strategicMergePatch: lists merged by key', () => {
  it('env merges by name: changed entries in place, new ones after their patch neighbours', () => {
    const out = smp(livePod(), {
      spec: { containers: [{ name: 'kubia', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] }] },
    });
    assert.deepEqual(out.spec.containers[0].env, [
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
      { name: 'C', value: '4' },
    ]);
  });

  it('a new item with no live neighbour goes before the server-only items (as upstream)', () => {
    const out = smp(livePod(), { spec: { containers: [{ name: 'kubia', env: [{ name: 'Z', value: '9' }] }] } });
    assert.deepEqual(
      out.spec.containers[0].env.map((e: Any) => e.name),
      ['Z', 'A', 'B'],
    );
  });

  it('$setElementOrder decides the final order, server-only items interleaved by their live positions', () => {
    const patch = {
      spec: {
        containers: [
          {
            name: 'kubia',
            '$setElementOrder/env': [{ name: 'C' }, { name: 'A' }],
            env: [{ name: 'C', value: '4' }],
          },
        ],
      },
    };
    const out = smp(livePod(), patch);
    // B (live, not named) stood after A, so it follows A; C (new) leads as ordered.
    assert.deepEqual(
      out.spec.containers[0].env.map((e: Any) => e.name),
      ['C', 'A', 'B'],
    );
    const reordered = smp(livePod(), { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'kubia' }] } });
    assert.deepEqual(
      reordered.spec.containers.map((c: Any) => c.name),
      ['sidecar', 'kubia'],
    );
  });

  it('an order list that contradicts the patch list is upstream\'s 500', () => {
    const err = failure(livePod(), {
      spec: {
        '$setElementOrder/containers': [{ name: 'kubia' }, { name: 'sidecar' }],
        containers: [
          { name: 'sidecar', image: 'x' },
          { name: 'kubia', image: 'y' },
        ],
      },
    });
    assert.equal(err.code, 500);
    assert.equal(
      err.message,
      "The order in patch list:\n[map[image:x name:sidecar] map[image:y name:kubia]]\n doesn't match $setElementOrder list:\n[map[name:kubia] map[name:sidecar]]\n",
    );
  });

  it('ports merge by containerPort alone (the upstream quirk)', () => {
    const out = smp(livePod(), {
      spec: { containers: [{ name: 'kubia', ports: [{ containerPort: 8080, protocol: 'UDP', name: 'http' }] }] },
    });
    assert.deepEqual(out.spec.containers[0].ports, [{ containerPort: 8080, protocol: 'UDP', name: 'http' }]);
  });

  it('volumeMounts merge by mountPath, not name', () => {
    const out = smp(livePod(), {
      spec: { containers: [{ name: 'kubia', volumeMounts: [{ name: 'data2', mountPath: '/data' }, { name: 'logs', mountPath: '/logs' }] }] },
    });
    assert.deepEqual(out.spec.containers[0].volumeMounts, [
      { name: 'data2', mountPath: '/data' },
      { name: 'logs', mountPath: '/logs' },
      { name: 'cfg', mountPath: '/etc/cfg', readOnly: true },
    ]);
  });

  it('conditions merge by type, ownerReferences by uid', () => {
    const out = smp(livePod(), {
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }] },
      metadata: { ownerReferences: [{ uid: 'u1', kind: 'ReplicaSet', name: 'rs', apiVersion: 'apps/v1' }] },
    });
    assert.deepEqual(out.status.conditions, [
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
    ]);
    assert.deepEqual(out.metadata.ownerReferences, [{ uid: 'u1', kind: 'ReplicaSet', name: 'rs', apiVersion: 'apps/v1' }]);
  });

  it('a new container added by a patch is stored without directives', () => {
    const out = smp(livePod(), {
      spec: {
        '$setElementOrder/containers': [{ name: 'kubia' }, { name: 'sidecar' }, { name: 'new' }],
        containers: [{ name: 'new', image: 'nginx', '$setElementOrder/env': [{ name: 'X' }], env: [{ name: 'X', value: '1' }], resources: null }],
      },
    });
    assert.deepEqual(out.spec.containers[2], { name: 'new', image: 'nginx', env: [{ name: 'X', value: '1' }] });
    assertNoDirectives(out);
  });

  it('$patch: delete in a list removes the element with that key', () => {
    const out = smp(livePod(), { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } });
    assert.deepEqual(
      out.spec.containers.map((c: Any) => c.name),
      ['kubia'],
    );
    const both = smp(livePod(), {
      spec: {
        containers: [
          { name: 'kubia', env: [{ name: 'A', $patch: 'delete' }, { name: 'B', value: 'b' }] },
          { name: 'sidecar', $patch: 'delete' },
        ],
      },
    });
    assert.deepEqual(both.spec.containers[0].env, [{ name: 'B', value: 'b' }]);
    assert.equal(both.spec.containers.length, 1);
  });

  it('$patch: replace in a list makes it exactly the other elements', () => {
    const out = smp(livePod(), { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } });
    assert.deepEqual(out.spec.containers, [{ name: 'only', image: 'x' }]);
    const empty = smp(livePod(), { spec: { volumes: [{ $patch: 'replace' }] } });
    assert.deepEqual(empty.spec.volumes, []);
  });

  it('$patch: merge in a list is rejected with upstream\'s message', () => {
    const err = failure(livePod(), { spec: { containers: [{ $patch: 'merge' }] } });
    assert.equal(err.code, 500);
    assert.equal(err.message, 'merging lists cannot yet be specified in the patch');
  });

  it('a patch element without the merge key is upstream\'s 500', () => {
    const err = failure(livePod(), { spec: { containers: [{ image: 'nginx' }] } });
    assert.equal(err.code, 500);
    assert.equal(err.reason, '');
    assert.equal(err.message, 'map: map[image:nginx] does not contain declared merge key: name');
    const del = failure(livePod(), { spec: { containers: [{ $patch: 'delete', image: 'x' }] } });
    assert.equal(del.message, 'map: map[$patch:delete image:x] does not contain declared merge key: name');
    const port = failure(livePod(), { spec: { containers: [{ name: 'kubia', ports: [{ protocol: 'TCP', hostPort: 80 }] }] } });
    assert.equal(port.message, 'map: map[hostPort:80 protocol:TCP] does not contain declared merge key: containerPort');
  });

  it('lists of lists are 422, mixed element types 500', () => {
    const schema = obj({ l: { type: 'array', items: {}, 'x-kubernetes-patch-strategy': 'merge' } });
    const lol = failure({ l: [['a']] }, { l: [['b']] }, schema);
    assert.equal(lol.code, 422);
    assert.equal(lol.cause, 'lists of lists are not supported');
    const mixed = failure({ l: ['a'] }, { l: [1] }, schema);
    assert.equal(mixed.code, 500);
    assert.equal(mixed.message, 'list element types are not identical: [[a] [1]]');
  });
});

describe('strategicMergePatch: $retainKeys (volumes)', () => {
  it('clears the old volume source when kubectl apply switches it', () => {
    const out = smp(livePod(), {
      spec: {
        '$setElementOrder/volumes': [{ name: 'data' }, { name: 'cfg' }],
        volumes: [{ $retainKeys: ['hostPath', 'name'], name: 'data', hostPath: { path: '/srv/data' }, emptyDir: null }],
      },
    });
    assert.deepEqual(out.spec.volumes, [
      { name: 'data', hostPath: { path: '/srv/data' } },
      { name: 'cfg', configMap: { name: 'cfg' } },
    ]);
  });

  it('rejects a patch key missing from $retainKeys with 400', () => {
    const err = failure(livePod(), { spec: { volumes: [{ $retainKeys: ['name'], name: 'data', hostPath: { path: '/x' } }] } });
    assert.equal(err.code, 400);
    assert.equal(err.message, 'invalid patch format of retainKeys');
    const notList = failure(livePod(), { spec: { volumes: [{ $retainKeys: 'name', name: 'data' }] } });
    assert.equal(notList.code, 400);
  });
});

describe('strategicMergePatch: lists without a merge strategy', () => {
  it('tolerations are replaced wholesale', () => {
    const out = smp(livePod(), { spec: { tolerations: [{ key: 'gpu', operator: 'Exists' }] } });
    assert.deepEqual(out.spec.tolerations, [{ key: 'gpu', operator: 'Exists' }]);
  });

  it('command/args are replaced, and a list-map without patch strategy is replaced too', () => {
    const out = smp(livePod(), {
      spec: { containers: [{ name: 'sidecar', command: ['sh'] }, { name: 'kubia', resources: { claims: [{ name: 'z' }] } }] },
    });
    const byName = Object.fromEntries(out.spec.containers.map((c: Any) => [c.name, c]));
    assert.deepEqual(byName.sidecar.command, ['sh']);
    assert.deepEqual(byName.kubia.resources, { limits: { cpu: '1' }, claims: [{ name: 'z' }] });
  });
});

describe('strategicMergePatch: lists of scalars with merge strategy (finalizers)', () => {
  it('takes the union', () => {
    const out = smp(livePod(), { metadata: { finalizers: ['b', 'c'] } });
    assert.deepEqual(out.metadata.finalizers, ['a', 'b', 'c']);
    const fresh = smp(livePod(), { metadata: { finalizers: ['z'] } });
    assert.deepEqual(fresh.metadata.finalizers, ['z', 'a', 'b']);
  });

  it('$deleteFromPrimitiveList removes values', () => {
    const out = smp(livePod(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a', 'x'] } });
    assert.deepEqual(out.metadata.finalizers, ['b']);
    const absent = smp({ metadata: {} }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } });
    assert.deepEqual(absent.metadata, {});
  });

  it('$setElementOrder on a scalar list', () => {
    const out = smp(livePod(), { metadata: { '$setElementOrder/finalizers': ['b', 'a'] } });
    assert.deepEqual(out.metadata.finalizers, ['b', 'a']);
  });

  it('malformed directive keys are 400', () => {
    assert.equal(failure(livePod(), { metadata: { $deleteFromPrimitiveList: ['a'] } }).message, 'invalid patch format of primitive list');
    assert.equal(failure(livePod(), { metadata: { '$setElementOrderX/finalizers': ['a'] } }).message, 'invalid patch format of setElementOrder list');
    assert.equal(failure(livePod(), { metadata: { '$setElementOrder/finalizers': 'a' } }).code, 400);
  });
});

describe('strategicMergePatch: where the schema is silent', () => {
  it('merges like a JSON merge patch and drops directives', () => {
    const live = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b' }], extra: { k: [1, 2], keep: true } } };
    const patch = {
      spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'a', image: 'y' }], extra: { k: [3], gone: null } },
    };
    const out = smp(live, patch, null);
    assert.deepEqual(out, { spec: { containers: [{ name: 'a', image: 'y' }], extra: { k: [3], keep: true } } });
  });

  it('free-form fields inside a known schema behave the same', () => {
    const out = smp({ spec: { containers: [{ name: 'c', unknownList: [1, 2] }] } }, { spec: { containers: [{ name: 'c', unknownList: [3] }] } });
    assert.deepEqual(out.spec.containers[0].unknownList, [3]);
  });
});

describe('strategicMergePatch with the real TypeBox Pod schema (src/api/pod.ts)', () => {
  it('reads merge keys and strategies from it', async () => {
    const { podSchema: realPodSchema } = await import('../api/pod.ts');
    const live = livePod();
    const out: Any = strategicMergePatch(
      live,
      {
        metadata: { labels: { env: 'prod' }, finalizers: ['c'] },
        spec: {
          '$setElementOrder/containers': [{ name: 'kubia' }, { name: 'sidecar' }],
          containers: [{ name: 'kubia', image: 'v2', env: [{ name: 'B', value: '3' }], ports: [{ containerPort: 8080, name: 'http' }] }],
          volumes: [{ $retainKeys: ['hostPath', 'name'], name: 'data', hostPath: { path: '/x' } }],
          tolerations: [{ key: 'gpu', operator: 'Exists' }],
        },
      },
      realPodSchema,
    );
    assert.deepEqual(out.metadata.finalizers, ['c', 'a', 'b']);
    assert.equal(out.spec.containers.length, 2);
    assert.deepEqual(out.spec.containers[0].env, [
      { name: 'A', value: '1' },
      { name: 'B', value: '3' },
    ]);
    assert.deepEqual(out.spec.containers[0].ports, [{ containerPort: 8080, protocol: 'TCP', name: 'http' }]);
    assert.deepEqual(out.spec.volumes[0], { name: 'data', hostPath: { path: '/x' } });
    assert.deepEqual(out.spec.tolerations, [{ key: 'gpu', operator: 'Exists' }]);
    assertNoDirectives(out);
  });
});
