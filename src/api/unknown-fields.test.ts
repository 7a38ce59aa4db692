import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findUnknownFields } from './unknown-fields.ts';
import { podSchema } from './pod.ts';
import { nodeSchema } from './node.ts';
import { namespaceSchema } from './namespace.ts';
import { eventSchema } from './event.ts';
import { leaseSchema } from './lease.ts';

const realisticPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web',
    namespace: 'default',
    labels: { app: 'web', 'example.com/tier': 'front' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u', controller: true }],
    managedFields: [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:containers': {} } } }],
    creationTimestamp: null,
  },
  spec: {
    initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'true'] }],
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        imagePullPolicy: 'IfNotPresent',
        ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
        env: [
          { name: 'A', value: '1' },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        ],
        envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: 1, memory: '128Mi' } },
        volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'cfg', mountPath: '/etc/cfg', readOnly: true }],
        livenessProbe: { httpGet: { path: '/healthz', port: 'http', httpHeaders: [{ name: 'X', value: 'y' }] }, periodSeconds: 5 },
        readinessProbe: { tcpSocket: { port: 80 } },
        startupProbe: { exec: { command: ['cat', '/tmp/ok'] }, failureThreshold: 30 },
        lifecycle: { preStop: { sleep: { seconds: 5 } }, postStart: { exec: { command: ['true'] } } },
        securityContext: { runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    volumes: [
      { name: 'data', emptyDir: { sizeLimit: '1Gi' } },
      { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a', path: 'a.conf' }] } },
      { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }] } },
      { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
      { name: 'eph', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } },
    ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    serviceAccountName: 'default',
    securityContext: { fsGroup: 2000, sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] },
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } } }],
      },
    },
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } }],
    hostAliases: [{ ip: '10.0.0.1', hostnames: ['db'] }],
    dnsConfig: { options: [{ name: 'ndots', value: '2' }] },
    imagePullSecrets: [{ name: 'reg' }],
    priority: 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
  },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' }],
    hostIP: '10.0.0.2',
    hostIPs: [{ ip: '10.0.0.2' }],
    podIP: '10.1.0.5',
    podIPs: [{ ip: '10.1.0.5' }],
    startTime: '2026-01-01T00:00:00Z',
    qosClass: 'Burstable',
    containerStatuses: [{
      name: 'web', ready: true, restartCount: 0, image: 'nginx:1.27', imageID: 'sha256:abc', containerID: 'containerd://1', started: true,
      state: { running: { startedAt: '2026-01-01T00:00:01Z' } },
      lastState: { terminated: { exitCode: 137, reason: 'Error', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:01Z' } },
    }],
  },
};

test('a realistic pod has no unknown fields', () => {
  assert.deepEqual(findUnknownFields(realisticPod, podSchema), []);
});

test('unknown fields are reported with Kubernetes-style paths', () => {
  const pod = structuredClone(realisticPod) as any;
  pod.spec.containers[0].foo = 1;
  pod.spec.containers[0].ports[0].bar = 'x';
  pod.spec.volumes[1].configMap.extra = true;
  pod.metadata.bogus = 'x';
  pod.spce = {};
  pod.status.containerStatuses[0].state.running.nope = 1;
  assert.deepEqual(findUnknownFields(pod, podSchema).sort(), [
    'metadata.bogus',
    'spce',
    'spec.containers[0].foo',
    'spec.containers[0].ports[0].bar',
    'spec.volumes[1].configMap.extra',
    'status.containerStatuses[0].state.running.nope',
  ]);
});

test('maps, free-form objects and int-or-string accept anything; a prefix is honoured', () => {
  const pod = { metadata: { labels: { 'any.key/x': 'v' }, managedFields: [{ fieldsV1: { 'f:anything': { '.': {} } } }] },
    spec: { containers: [{ name: 'a', livenessProbe: { httpGet: { port: 'named' } }, resources: { limits: { 'nvidia.com/gpu': 1 } } }] } };
  assert.deepEqual(findUnknownFields(pod, podSchema), []);
  assert.deepEqual(findUnknownFields({ name: 'a', x: 1 }, podSchema.properties.spec.properties.containers.items, 'spec.containers[3]'), [
    'spec.containers[3].x',
  ]);
  // Wrong types are validation's business, not unknown fields.
  assert.deepEqual(findUnknownFields({ spec: { containers: 'nope' }, metadata: 5 }, podSchema), []);
});

test('other kinds accept realistic objects', () => {
  const node = {
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } },
    spec: { podCIDR: '10.1.0.0/24', podCIDRs: ['10.1.0.0/24'], taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] },
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'KubeletReady', message: 'ok' }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.2' }, { type: 'Hostname', address: 'n1' }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: '6.1', osImage: 'Debian', containerRuntimeVersion: 'containerd://2.0', kubeletVersion: 'v1.32.0', kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64' },
      images: [{ names: ['busybox:latest'], sizeBytes: 1000 }],
    },
  };
  assert.deepEqual(findUnknownFields(node, nodeSchema), []);
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
  assert.deepEqual(findUnknownFields(ns, namespaceSchema), []);
  const ev = {
    apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u', apiVersion: 'v1', fieldPath: 'spec.containers{web}' },
    reason: 'Pulled', message: 'ok', source: { component: 'kubelet', host: 'n1' }, firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:00Z', count: 1, type: 'Normal', eventTime: null, reportingComponent: 'kubelet', reportingInstance: 'n1',
  };
  assert.deepEqual(findUnknownFields(ev, eventSchema), []);
  const lease = {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', namespace: 'kube-node-lease' },
    spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.000000Z' },
  };
  assert.deepEqual(findUnknownFields(lease, leaseSchema), []);
  assert.deepEqual(findUnknownFields({ ...lease, spec: { ...lease.spec, holder: 'x' } }, leaseSchema), ['spec.holder']);
});
