/**
 * Byte-for-byte checks against managedFields a real kube-apiserver (1.27, kind) returned for
 * `kubectl run nginx --image=nginx --restart=Never`, the kubelet's status updates, and then
 * `kubectl run … --dry-run=client -o yaml | kubectl apply --server-side -f -` (a public write-up's captured response).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaForKind } from '../../api/schemas.ts';
import type { KubeObject } from '../../api/object.ts';
import { updateManagedFields } from './managed-fields.ts';
import { serverSideApply } from './apply.ts';

const schema = schemaForKind('', 'Pod');

const KUBECTL_RUN =
  '{"manager":"kubectl-run","operation":"Update","apiVersion":"v1","time":"2023-10-26T03:22:48Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:run":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},"f:enableServiceLinks":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}}';
const KUBELET =
  '{"manager":"kubelet","operation":"Update","apiVersion":"v1","time":"2023-10-26T03:22:51Z","fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:conditions":{"k:{\\"type\\":\\"ContainersReady\\"}":{".":{},"f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}},"k:{\\"type\\":\\"Initialized\\"}":{".":{},"f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}},"k:{\\"type\\":\\"Ready\\"}":{".":{},"f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}}},"f:containerStatuses":{},"f:hostIP":{},"f:phase":{},"f:podIP":{},"f:podIPs":{".":{},"k:{\\"ip\\":\\"10.244.0.8\\"}":{".":{},"f:ip":{}}},"f:startTime":{}}},"subresource":"status"}';
const KUBECTL_APPLY =
  '{"manager":"kubectl","operation":"Apply","apiVersion":"v1","time":"2023-10-26T03:24:46Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{"f:run":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{},"f:resources":{}}},"f:dnsPolicy":{},"f:restartPolicy":{}}}}';

/** `kubectl run`'s body after core/v1 defaulting, which is what the field manager sees on create. */
const runBody = (): KubeObject => ({
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: { name: 'nginx', namespace: 'default', creationTimestamp: null, labels: { run: 'nginx' } },
  spec: {
    containers: [
      { name: 'nginx', image: 'nginx', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'Always' },
    ],
    restartPolicy: 'Never',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
  },
  status: {},
});

const cond = (type: string, at: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: at });

function runningPod(): KubeObject {
  const pod = runBody();
  pod.metadata.managedFields = updateManagedFields(undefined, pod, { manager: 'kubectl-run', time: '2023-10-26T03:22:48Z', schema });
  // What create, admission and binding leave before the kubelet reports (none of it tracked).
  pod.metadata.creationTimestamp = '2023-10-26T03:22:48Z';
  pod.spec.nodeName = 'playground-control-plane';
  pod.status = { phase: 'Pending', conditions: [cond('PodScheduled', '2023-10-26T03:22:48Z')], qosClass: 'BestEffort' };

  const reported = structuredClone(pod);
  reported.status = {
    phase: 'Running',
    conditions: [
      cond('Initialized', '2023-10-26T03:22:48Z'),
      cond('Ready', '2023-10-26T03:22:51Z'),
      cond('ContainersReady', '2023-10-26T03:22:51Z'),
      cond('PodScheduled', '2023-10-26T03:22:48Z'),
    ],
    hostIP: '172.20.0.2',
    podIP: '10.244.0.8',
    podIPs: [{ ip: '10.244.0.8' }],
    startTime: '2023-10-26T03:22:48Z',
    containerStatuses: [{ name: 'nginx', state: { running: { startedAt: '2023-10-26T03:22:50Z' } }, lastState: {}, ready: true, restartCount: 0, started: true }],
    qosClass: 'BestEffort',
  };
  reported.metadata.managedFields = updateManagedFields(pod, reported, {
    manager: 'kubelet',
    subresource: 'status',
    time: '2023-10-26T03:22:51Z',
    schema,
  });
  return reported;
}

test('kubectl run, then the kubelet: both Update entries match kube-apiserver', () => {
  const pod = runningPod();
  assert.deepEqual(pod.metadata.managedFields?.map((e) => JSON.stringify(e)), [KUBECTL_RUN, KUBELET]);
});

test('kubectl apply --server-side of the same manifest: Apply entry first, shared fields stay with kubectl-run', () => {
  const applied: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { creationTimestamp: null, labels: { run: 'nginx' }, name: 'nginx', namespace: 'default' },
    spec: { containers: [{ image: 'nginx', name: 'nginx', resources: {} }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Never' },
    status: {},
  };
  const live = runningPod();
  const { object } = serverSideApply(live, applied, { manager: 'kubectl', schema, time: '2023-10-26T03:24:46Z' });
  assert.deepEqual(object.metadata.managedFields?.map((e) => JSON.stringify(e)), [KUBECTL_APPLY, KUBECTL_RUN, KUBELET]);
  assert.equal(object.metadata.creationTimestamp, '2023-10-26T03:22:48Z', 'creationTimestamp: null does not erase it');
  const { managedFields: _a, ...liveMeta } = live.metadata;
  const { managedFields: _b, ...meta } = object.metadata;
  assert.deepEqual({ ...object, metadata: meta }, { ...live, metadata: liveMeta }, 'nothing else changed');
});

test('kubectl apply --server-side rewrites an existing last-applied annotation exactly as kube-apiserver did', () => {
  const live = runningPod();
  live.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}\n' };
  const applied: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { creationTimestamp: null, labels: { run: 'nginx' }, name: 'nginx', namespace: 'default' },
    spec: { containers: [{ image: 'nginx', name: 'nginx', resources: {} }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Never' },
    status: {},
  };
  const { object } = serverSideApply(live, applied, { manager: 'kubectl', schema, time: '2023-10-26T03:24:46Z' });
  assert.equal(
    object.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'],
    '{"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp":null,"labels":{"run":"nginx"},"name":"nginx","namespace":"default"},"spec":{"containers":[{"image":"nginx","name":"nginx","resources":{}}],"dnsPolicy":"ClusterFirst","restartPolicy":"Never"},"status":{}}\n',
  );
});
