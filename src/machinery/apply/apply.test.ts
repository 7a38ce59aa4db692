import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaForKind } from '../../api/schemas.ts';
import type { KubeObject } from '../../api/object.ts';
import { ApiError } from '../api-error.ts';
import { serverSideApply } from './apply.ts';
import { updateManagedFields } from './managed-fields.ts';
import { LAST_APPLIED, lastAppliedFor } from './last-applied.ts';

const schema = schemaForKind('', 'Pod');
const T0 = '2026-11-25T20:00:00Z';
const T1 = '2026-11-25T20:05:00Z';
const T2 = '2026-11-25T20:10:00Z';

const config = (labels: Record<string, string>, containers: Array<Record<string, unknown>>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', labels },
  spec: { containers },
});

const entries = (o: KubeObject) => (o.metadata.managedFields ?? []).map((e) => [e.manager, e.operation, e.time]);
const fieldsOf = (o: KubeObject, manager: string) => o.metadata.managedFields?.find((e) => e.manager === manager)?.fieldsV1;

/** Catches the ApiError `fn` throws. */
function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  assert.fail('expected an ApiError');
}

/** A pod created by client-side apply (`kubectl apply` without --server-side), with its annotation. */
function clientSideApplied(): KubeObject {
  const pod = config({ app: 'web' }, [{ name: 'web', image: 'nginx:1.26' }]);
  pod.metadata.annotations = { [LAST_APPLIED]: lastAppliedFor(pod) };
  pod.metadata.managedFields = updateManagedFields(undefined, pod, { manager: 'kubectl-client-side-apply', time: T0, schema });
  return pod;
}

test('apply creates, and a re-apply with a changed label keeps one Apply owner', () => {
  const { object: created } = serverSideApply(undefined, config({ app: 'web' }, [{ name: 'web', image: 'nginx' }]), {
    manager: 'kubectl',
    schema,
    time: T0,
  });
  assert.deepEqual(created.metadata.labels, { app: 'web' });
  assert.equal(
    JSON.stringify(created.metadata.managedFields),
    '[{"manager":"kubectl","operation":"Apply","apiVersion":"v1","time":"2026-11-25T20:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"web\\"}":{".":{},"f:image":{},"f:name":{}}}}}}]',
  );

  const { object: again } = serverSideApply(created, config({ app: 'web2' }, [{ name: 'web', image: 'nginx' }]), {
    manager: 'kubectl',
    schema,
    time: T1,
  });
  assert.deepEqual(again.metadata.labels, { app: 'web2' });
  assert.deepEqual(entries(again), [['kubectl', 'Apply', T1]]);

  // Nothing changes, yet the entry is stamped again (as kube-apiserver does).
  const { object: same } = serverSideApply(again, config({ app: 'web2' }, [{ name: 'web', image: 'nginx' }]), {
    manager: 'kubectl',
    schema,
    time: T2,
  });
  assert.deepEqual(entries(same), [['kubectl', 'Apply', T2]]);
  assert.deepEqual({ ...same, metadata: { ...same.metadata, managedFields: [] } }, { ...again, metadata: { ...again.metadata, managedFields: [] } });
});

test('changing a field client-side apply set is a conflict, worded as Kubernetes words it', () => {
  const live = clientSideApplied();
  const err = apiError(() =>
    serverSideApply(live, config({ app: 'web' }, [{ name: 'web', image: 'nginx:1.27' }]), { manager: 'deployer', schema, time: T1 }),
  );
  assert.equal(err.code, 409);
  assert.equal(err.reason, 'Conflict');
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.containers[name="web"].image');
  assert.deepEqual(err.details, {
    causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using v1', field: '.spec.containers[name="web"].image' }],
  });
  assert.deepEqual(err.toStatus().code, 409);
});

test('several conflicts: one line per field, grouped by manager', () => {
  const live = clientSideApplied();
  live.metadata.managedFields = updateManagedFields(
    live,
    { ...structuredClone(live), metadata: { ...structuredClone(live.metadata), labels: { app: 'web', tier: 'x' } } },
    { manager: 'kubectl-label', time: T1, schema },
  );
  live.metadata.labels = { app: 'web', tier: 'x' };
  const err = apiError(() =>
    serverSideApply(live, config({ app: 'other', tier: 'y' }, [{ name: 'web', image: 'nginx:1.27' }]), { manager: 'deployer', schema, time: T2 }),
  );
  assert.equal(
    err.message,
    'Apply failed with 3 conflicts: conflicts with "kubectl-client-side-apply" using v1:\n' +
      '- .metadata.labels.app\n' +
      '- .spec.containers[name="web"].image\n' +
      'conflicts with "kubectl-label" using v1:\n' +
      '- .metadata.labels.tier',
  );
  assert.equal(err.details?.causes?.length, 3);
});

test('force moves ownership of the conflicting fields', () => {
  const live = clientSideApplied();
  const { object } = serverSideApply(live, config({ app: 'web' }, [{ name: 'web', image: 'nginx:1.27' }]), {
    manager: 'deployer',
    force: true,
    schema,
    time: T1,
  });
  assert.equal(object.spec.containers[0].image, 'nginx:1.27');
  const csa = fieldsOf(object, 'kubectl-client-side-apply') as any;
  assert.equal(csa['f:spec']['f:containers']['k:{"name":"web"}']['f:image'], undefined, 'taken away');
  assert.deepEqual(csa['f:spec']['f:containers']['k:{"name":"web"}']['f:name'], {}, 'name is shared (same value)');
  assert.deepEqual(fieldsOf(object, 'deployer'), {
    'f:metadata': { 'f:labels': { 'f:app': {} } },
    'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
  });
  assert.deepEqual(entries(object), [
    ['deployer', 'Apply', T1],
    ['kubectl-client-side-apply', 'Update', T0],
  ]);
});

test('`kubectl apply --server-side` over client-side apply takes the fields the annotation set, and rewrites it', () => {
  const live = clientSideApplied();
  const next = config({ app: 'web' }, [{ name: 'web', image: 'nginx:1.27' }]);
  const { object } = serverSideApply(live, next, { manager: 'kubectl', schema, time: T1 });
  assert.equal(object.spec.containers[0].image, 'nginx:1.27');
  assert.equal(object.metadata.annotations?.[LAST_APPLIED], lastAppliedFor(next));
  assert.equal(
    object.metadata.annotations?.[LAST_APPLIED],
    '{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"containers":[{"image":"nginx:1.27","name":"web"}]}}\n',
  );
  // A field the annotation does not set (changed by someone else) still conflicts.
  const edited = structuredClone(object);
  edited.spec.containers[0].image = 'nginx:edit';
  edited.metadata.managedFields = updateManagedFields(object, edited, { manager: 'kubectl-edit', time: T2, schema });
  const err = apiError(() => serverSideApply(edited, config({ app: 'web' }, [{ name: 'web', image: 'nginx:1.28' }]), { manager: 'kubectl', schema, time: T2 }));
  assert.match(err.message, /conflict with "kubectl-edit" using v1: \.spec\.containers\[name="web"\]\.image$/);
});

test('a field left out of the next apply is removed, unless another manager owns it', () => {
  const { object: first } = serverSideApply(undefined, config({ app: 'web', tier: 'fe' }, [{ name: 'web', image: 'nginx' }, { name: 'log', image: 'busybox' }]), {
    manager: 'kubectl',
    schema,
    time: T0,
  });
  // Someone else also sets `tier` (same value: shared ownership).
  const shared = structuredClone(first);
  shared.metadata.labels!.team = 'a';
  shared.metadata.managedFields = updateManagedFields(first, shared, { manager: 'kubectl-label', time: T0, schema });

  const { object } = serverSideApply(shared, config({ app: 'web' }, [{ name: 'web', image: 'nginx' }]), { manager: 'kubectl', schema, time: T1 });
  assert.deepEqual(object.metadata.labels, { app: 'web', team: 'a' }, 'tier pruned, the other manager’s label kept');
  assert.deepEqual(object.spec.containers.map((c: any) => c.name), ['web'], 'the dropped container is gone');
  assert.deepEqual(fieldsOf(object, 'kubectl'), {
    'f:metadata': { 'f:labels': { 'f:app': {} } },
    'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
  });
});

test('list-map merge by name keeps a container another manager added', () => {
  const { object: first } = serverSideApply(undefined, config({}, [{ name: 'web', image: 'nginx' }]), { manager: 'kubectl', schema, time: T0 });
  const { object: withSidecar } = serverSideApply(first, config({}, [{ name: 'sidecar', image: 'envoy' }]), {
    manager: 'mesh-injector',
    schema,
    time: T1,
  });
  assert.deepEqual(withSidecar.spec.containers, [
    { name: 'web', image: 'nginx' },
    { name: 'sidecar', image: 'envoy' },
  ]);
  const { object } = serverSideApply(withSidecar, config({}, [{ name: 'web', image: 'nginx:1.27' }]), { manager: 'kubectl', schema, time: T2 });
  assert.deepEqual(object.spec.containers, [
    { name: 'web', image: 'nginx:1.27' },
    { name: 'sidecar', image: 'envoy' },
  ]);
  assert.deepEqual(entries(object), [
    ['mesh-injector', 'Apply', T1],
    ['kubectl', 'Apply', T2],
  ]);
});

test('atomic lists are replaced, maps merged granularly', () => {
  const pod = config({}, [{ name: 'web', image: 'nginx', args: ['a', 'b'], env: [{ name: 'X', value: '1' }] }]);
  const { object: first } = serverSideApply(undefined, pod, { manager: 'kubectl', schema, time: T0 });
  const { object } = serverSideApply(first, config({}, [{ name: 'web', args: ['c'], env: [{ name: 'Y', value: '2' }] }]), {
    manager: 'other',
    force: true,
    schema,
    time: T1,
  });
  assert.deepEqual(object.spec.containers[0].args, ['c']);
  assert.deepEqual(object.spec.containers[0].env, [
    { name: 'X', value: '1' },
    { name: 'Y', value: '2' },
  ]);
  assert.deepEqual((fieldsOf(first, 'kubectl') as any)['f:spec']['f:containers']['k:{"name":"web"}']['f:args'], {});
});

test('an untracked object is first attributed to before-first-apply', () => {
  const live = config({ app: 'web' }, [{ name: 'web', image: 'nginx' }]);
  (live as any).status = {};
  const err = apiError(() => serverSideApply(live, config({ app: 'x' }, []), { manager: 'kubectl', schema, time: T1 }));
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .metadata.labels.app');
});

test('the configuration must name its version, kind and object', () => {
  const bad = (mutate: (o: any) => void, opts: Record<string, string> = {}) => {
    const o: any = config({}, [{ name: 'web', image: 'nginx' }]);
    mutate(o);
    return apiError(() => serverSideApply(undefined, o, { manager: 'kubectl', schema, time: T0, ...opts }));
  };
  assert.equal(bad((o) => (o.apiVersion = 'v2')).message, 'Incorrect version specified in apply patch. Specified patch version: v2, expected: v1');
  assert.equal(bad((o) => delete o.apiVersion).code, 400);
  assert.match(bad((o) => delete o.kind).message, /^Object 'Kind' is missing in/);
  assert.equal(bad((o) => delete o.metadata.name).code, 400);
  assert.equal(bad(() => {}, { name: 'other' }).message, 'the name of the object (web) does not match the name on the URL (other)');
  assert.equal(bad((o) => (o.metadata.managedFields = [])).message, 'metadata.managedFields must be nil');
});
