import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaForKind } from '../../api/schemas.ts';
import type { KubeObject } from '../../api/object.ts';
import { updateManagedFields } from './managed-fields.ts';
import { fieldManagerName } from './field-manager-name.ts';

const podSchema = schemaForKind('', 'Pod');
const nsSchema = schemaForKind('', 'Namespace');
const T0 = '2026-05-18T14:15:13Z';
const T1 = '2026-05-18T14:20:00Z';

const LAST_APPLIED =
  '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"name":"priv","namespace":"e2e-testadmissiondeny-apiserver"},"spec":{"containers":[{"image":"nginx","name":"app","securityContext":{"privileged":true}}]}}\n';

/** The `kubectl apply` create body after core/v1 defaulting: what kube-apiserver's field manager sees. */
const appliedPod = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'priv',
    namespace: 'e2e-testadmissiondeny-apiserver',
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': LAST_APPLIED },
  },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'nginx',
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'Always',
        securityContext: { privileged: true },
      },
    ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
  },
  status: {},
});

// Captured from kube-apiserver for this pod (a public test fixture of a Kubernetes admission controller).
const REAL_POD_ENTRY =
  '{"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"v1","time":"2026-05-18T14:15:13Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:annotations":{".":{},"f:kubectl.kubernetes.io/last-applied-configuration":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"app\\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:resources":{},"f:securityContext":{".":{},"f:privileged":{}},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},"f:enableServiceLinks":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}}';

test('create: the managedFields entry matches kube-apiserver byte for byte (pod)', () => {
  const mf = updateManagedFields(undefined, appliedPod(), { manager: 'kubectl-client-side-apply', time: T0, schema: podSchema });
  assert.equal(mf.length, 1);
  assert.equal(JSON.stringify(mf[0]), REAL_POD_ENTRY);
});

test('create: namespace from `kubectl create ns` (status is not owned through the main resource)', () => {
  const ns: KubeObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'prom', creationTimestamp: null, labels: { 'kubernetes.io/metadata.name': 'prom' } },
    spec: {},
    status: { phase: 'Active' },
  };
  const mf = updateManagedFields(undefined, ns, { manager: 'kubectl-create', time: '2022-02-14T04:40:26Z', schema: nsSchema });
  assert.equal(
    JSON.stringify(mf),
    '[{"manager":"kubectl-create","operation":"Update","apiVersion":"v1","time":"2022-02-14T04:40:26Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:kubernetes.io/metadata.name":{}}}}}]',
  );
});

test('update: changed fields move to the writer; unchanged writes do not touch time', () => {
  const created = appliedPod();
  created.metadata.managedFields = updateManagedFields(undefined, created, { manager: 'kubectl-client-side-apply', time: T0, schema: podSchema });

  const labelled = structuredClone(created);
  labelled.metadata.labels = { env: 'prod' };
  labelled.spec.containers[0].image = 'nginx:1.27';
  const mf = updateManagedFields(created, labelled, { manager: 'kubectl-label', time: T1, schema: podSchema });
  assert.deepEqual(
    mf.map((e) => [e.manager, e.time]),
    [
      ['kubectl-client-side-apply', T0],
      ['kubectl-label', T1],
    ],
  );
  assert.deepEqual(mf[1].fieldsV1, {
    'f:metadata': { 'f:labels': { '.': {}, 'f:env': {} } },
    'f:spec': { 'f:containers': { 'k:{"name":"app"}': { 'f:image': {} } } },
  });
  const csa = mf[0].fieldsV1 as any;
  assert.equal(csa['f:spec']['f:containers']['k:{"name":"app"}']['f:image'], undefined, 'image taken away');

  // A no-op write by the same manager keeps the entry and its time.
  labelled.metadata.managedFields = mf;
  const again = updateManagedFields(labelled, structuredClone(labelled), { manager: 'kubectl-label', time: '2026-05-18T15:00:00Z', schema: podSchema });
  assert.deepEqual(again, mf);
});

test('update: removed fields leave every entry; empty entries disappear', () => {
  const a: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { x: '1' } }, spec: {} };
  a.metadata.managedFields = updateManagedFields(undefined, a, { manager: 'one', time: T0, schema: podSchema });
  assert.equal(a.metadata.managedFields.length, 1);
  const b = structuredClone(a);
  delete b.metadata.labels;
  assert.deepEqual(updateManagedFields(a, b, { manager: 'two', time: T1, schema: podSchema }), []);
});

test('update: managedFields sent by the client replace the stored ones; [{}] wipes them; subresources ignore them', () => {
  const a: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { x: '1' } }, spec: {}, status: {} };
  a.metadata.managedFields = updateManagedFields(undefined, a, { manager: 'one', time: T0, schema: podSchema });
  const wiped = structuredClone(a);
  wiped.metadata.managedFields = [{}];
  assert.deepEqual(updateManagedFields(a, wiped, { manager: 'two', time: T1, schema: podSchema }), []);

  const status = structuredClone(a);
  status.metadata.managedFields = [{}];
  status.status = { phase: 'Running' };
  const mf = updateManagedFields(a, status, { manager: 'kubelet', subresource: 'status', time: T1, schema: podSchema });
  assert.deepEqual(
    mf.map((e) => [e.manager, e.subresource, e.fieldsV1]),
    [
      ['one', undefined, { 'f:metadata': { 'f:labels': { '.': {}, 'f:x': {} } } }],
      ['kubelet', 'status', { 'f:status': { 'f:phase': {} } }],
    ],
  );
});

test('fieldManagerName: explicit name, else the User-Agent product', () => {
  assert.equal(fieldManagerName('kubectl-create', 'kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07'), 'kubectl-create');
  assert.equal(fieldManagerName(undefined, 'kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07'), 'kubectl');
  assert.equal(fieldManagerName(undefined, 'kubelet/v1.32.0 (linux/amd64)'), 'kubelet');
  assert.equal(fieldManagerName(undefined, undefined), '');
  assert.equal(fieldManagerName(undefined, 'x'.repeat(200)).length, 128);
});

test('more than 10 Update managers: the oldest fold into ancient-changes', () => {
  let obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: {} }, spec: {}, status: {} };
  for (let i = 0; i < 12; i++) {
    const next = structuredClone(obj);
    next.metadata.labels![`l${i}`] = 'x';
    next.metadata.managedFields = updateManagedFields(obj, next, {
      manager: `m${i}`,
      time: `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`,
      schema: podSchema,
    });
    obj = next;
  }
  const mf = obj.metadata.managedFields!;
  assert.equal(mf.length, 10);
  assert.deepEqual(
    mf.map((e) => e.manager),
    ['ancient-changes', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10', 'm11'],
  );
  assert.equal(mf[0].time, '2026-01-01T00:00:02Z');
  assert.deepEqual(Object.keys((mf[0].fieldsV1 as any)['f:metadata']['f:labels']), ['f:l0', 'f:l1', 'f:l2']);
});
