import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from './object.ts';
import { computeQosClass, defaultPod, defaultPullPolicy, podPriorityAdmissionError } from './pod-defaults.ts';

const pod = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec });

test('a minimal pod gets every default Kubernetes writes', () => {
  const p = pod({ containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] });
  defaultPod(p);
  assert.deepEqual(p.spec, {
    containers: [
      {
        name: 'web',
        image: 'nginx',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        imagePullPolicy: 'Always',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        resources: {},
      },
    ],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    serviceAccountName: 'default',
    serviceAccount: 'default',
    priority: 0,
    preemptionPolicy: 'PreemptLowerPriority',
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  });
});

test('defaulting is idempotent', () => {
  const p = pod({ containers: [{ name: 'web', image: 'nginx' }] });
  defaultPod(p);
  const once = structuredClone(p);
  defaultPod(p);
  assert.deepEqual(p, once);
});

test('imagePullPolicy by tag and digest', () => {
  assert.equal(defaultPullPolicy('nginx'), 'Always');
  assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
  assert.equal(defaultPullPolicy('nginx:1.25'), 'IfNotPresent');
  assert.equal(defaultPullPolicy('localhost:5000/nginx'), 'Always');
  assert.equal(defaultPullPolicy('localhost:5000/nginx:1'), 'IfNotPresent');
  const digest = `sha256:${'a'.repeat(64)}`;
  assert.equal(defaultPullPolicy(`nginx@${digest}`), 'IfNotPresent');
  assert.equal(defaultPullPolicy(`nginx:latest@${digest}`), 'Always');
  assert.equal(defaultPullPolicy('NGINX'), 'IfNotPresent');
});

test('tolerations already covering the taints are not duplicated', () => {
  const p = pod({ containers: [{ name: 'a', image: 'x' }], tolerations: [{ operator: 'Exists' }] });
  defaultPod(p);
  assert.deepEqual(p.spec.tolerations, [{ operator: 'Exists' }]);
  const q = pod({
    containers: [{ name: 'a', image: 'x' }],
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }],
  });
  defaultPod(q);
  assert.equal(q.spec.tolerations.length, 2);
  assert.equal(q.spec.tolerations[0].tolerationSeconds, 10);
  assert.equal(q.spec.tolerations[1].key, 'node.kubernetes.io/unreachable');
});

test('requests default from limits; quantities canonicalised; hostNetwork host ports', () => {
  const p = pod({
    hostNetwork: true,
    containers: [
      {
        name: 'a',
        image: 'x:1',
        ports: [{ containerPort: 8080 }],
        resources: { limits: { cpu: 0.5, memory: '1024Mi' }, requests: { cpu: '100m' } },
      },
    ],
  });
  defaultPod(p);
  const c = p.spec.containers[0];
  assert.deepEqual(c.resources, { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '100m', memory: '1Gi' } });
  assert.deepEqual(c.ports, [{ containerPort: 8080, protocol: 'TCP', hostPort: 8080 }]);
});

test('probes, volumes, fieldRefs', () => {
  const p = pod({
    containers: [
      {
        name: 'a',
        image: 'x',
        livenessProbe: { httpGet: { port: 80 } },
        env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
      },
    ],
    volumes: [{ name: 'v' }, { name: 's', secret: { secretName: 's' } }, { name: 'h', hostPath: { path: '/tmp' } }],
  });
  defaultPod(p);
  const c = p.spec.containers[0];
  assert.deepEqual(c.livenessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.equal(c.env[0].valueFrom.fieldRef.apiVersion, 'v1');
  assert.deepEqual(p.spec.volumes, [
    { name: 'v', emptyDir: {} },
    { name: 's', secret: { secretName: 's', defaultMode: 420 } },
    { name: 'h', hostPath: { path: '/tmp', type: '' } },
  ]);
});

test('priority admission', () => {
  const p = pod({ containers: [], priorityClassName: 'system-node-critical' });
  assert.equal(podPriorityAdmissionError(p), undefined);
  defaultPod(p);
  assert.equal(p.spec.priority, 2000001000);
  assert.equal(podPriorityAdmissionError(pod({ priorityClassName: 'gold' })), 'no PriorityClass with name gold was found');
  assert.equal(
    podPriorityAdmissionError(pod({ priority: 5 })),
    'the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
  );
});

test('QoS classes', () => {
  const c = (resources: unknown) => ({ name: 'c', image: 'x', resources });
  assert.equal(computeQosClass(pod({ containers: [c({})] })), 'BestEffort');
  assert.equal(computeQosClass(pod({ containers: [c({ requests: { cpu: '100m' } })] })), 'Burstable');
  const g = pod({ containers: [c({ limits: { cpu: '1', memory: '1Gi' } })] });
  defaultPod(g);
  assert.equal(computeQosClass(g), 'Guaranteed');
  assert.equal(
    computeQosClass(pod({ containers: [c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } })] })),
    'Burstable',
  );
  assert.equal(
    computeQosClass(pod({ containers: [c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1024Mi' } })] })),
    'Guaranteed',
  );
  // an init container without limits breaks Guaranteed
  assert.equal(
    computeQosClass(pod({ containers: [c({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } })], initContainers: [c({})] })),
    'Burstable',
  );
});

test('podIP and podIPs are kept in step', async () => {
  const { syncPodStatusIPs } = await import('./pod-defaults.ts');
  const a: Record<string, unknown> = { podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }], hostIP: '192.168.1.2' };
  syncPodStatusIPs(a);
  assert.deepEqual(a, { podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }], podIP: '10.0.0.5', hostIP: '192.168.1.2', hostIPs: [{ ip: '192.168.1.2' }] });
  const b: Record<string, unknown> = { podIP: '10.0.0.6', podIPs: [{ ip: '10.0.0.5' }] };
  syncPodStatusIPs(b);
  assert.deepEqual(b, { podIP: '10.0.0.6', podIPs: [{ ip: '10.0.0.6' }] });
});
