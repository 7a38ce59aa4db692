import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invalidError } from '../machinery/api-error.ts';
import { renderFieldError } from '../machinery/field-error.ts';
import type { KubeObject } from './object.ts';
import { defaultPod } from './pod-defaults.ts';
import { podDecodeError, UPDATABLE_POD_SPEC_FIELDS, validatePod, validatePodStatusUpdate, validatePodUpdate } from './pod-validation.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** A defaulted pod; `mutate` edits the raw spec before defaulting. */
function mkPod(mutate: (spec: Any) => void = () => {}, name = 'x'): KubeObject {
  const p: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
  };
  mutate(p.spec);
  defaultPod(p);
  return p;
}

const message = (p: KubeObject) => invalidError('Pod', p.metadata.name ?? '', validatePod(p)).message;
const rendered = (p: KubeObject) => validatePod(p).map(renderFieldError);

const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

test('a defaulted valid pod has no errors', () => {
  assert.deepEqual(validatePod(mkPod()), []);
  const full = mkPod((s) => {
    s.volumes = [{ name: 'data' }, { name: 'cfg', configMap: { name: 'c' } }];
    s.containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }];
    s.containers[0].ports = [{ name: 'http', containerPort: 80 }];
    s.containers[0].env = [{ name: 'A', value: '1' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];
    s.containers[0].readinessProbe = { httpGet: { port: 'http' } };
    s.containers[0].resources = { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } };
    s.initContainers = [{ name: 'init', image: 'busybox' }, { name: 'side', image: 'envoy', restartPolicy: 'Always', readinessProbe: { tcpSocket: { port: 9901 } } }];
    s.nodeSelector = { 'kubernetes.io/os': 'linux' };
    s.schedulingGates = [{ name: 'example.com/gate' }];
  });
  assert.deepEqual(validatePod(full), []);
});

test('bad container name and missing image: the aggregate message', () => {
  const p = mkPod((s) => {
    s.containers = [{ name: 'Web' }];
  });
  assert.equal(
    message(p),
    `Pod "x" is invalid: [spec.containers[0].name: Invalid value: "Web": ${LABEL_MSG}, spec.containers[0].image: Required value]`,
  );
  assert.deepEqual(
    invalidError('Pod', 'x', validatePod(p)).details?.causes?.map((c) => c.reason),
    ['FieldValueInvalid', 'FieldValueRequired'],
  );
});

test('container name with dots; no containers', () => {
  assert.equal(message(mkPod((s) => (s.containers[0].name = 'a.b'))), 'Pod "x" is invalid: spec.containers[0].name: Invalid value: "a.b": must not contain dots');
  assert.equal(message(mkPod((s) => (s.containers = []))), 'Pod "x" is invalid: spec.containers: Required value');
});

test('volume mount naming a missing volume', () => {
  const p = mkPod((s) => (s.containers[0].volumeMounts = [{ name: 'data', mountPath: '/d' }, { name: 'data', mountPath: '/d' }]));
  assert.deepEqual(rendered(p), [
    'spec.containers[0].volumeMounts[0].name: Not found: "data"',
    'spec.containers[0].volumeMounts[1].name: Not found: "data"',
    'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/d": must be unique',
  ]);
});

test('volumes: duplicates, two sources, bad names', () => {
  const p = mkPod((s) => {
    s.volumes = [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {}, hostPath: { path: '/x' } }, { name: 'V_1', emptyDir: {} }];
  });
  assert.deepEqual(rendered(p), [
    'spec.volumes[1].hostPath: Forbidden: may not specify more than 1 volume type',
    'spec.volumes[1].name: Duplicate value: "v"',
    `spec.volumes[2].name: Invalid value: "V_1": ${LABEL_MSG}`,
  ]);
});

test('ports: range, names (each rule), duplicates, protocol', () => {
  const p = mkPod((s) => {
    s.containers[0].ports = [
      { containerPort: 70000 },
      { name: 'http', containerPort: 80 },
      { name: 'http', containerPort: 81 },
      { name: '-Bad--Name-', containerPort: 82 },
      { containerPort: 83, protocol: 'HTTP' },
    ];
  });
  assert.deepEqual(rendered(p), [
    'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.containers[0].ports[2].name: Duplicate value: "http"',
    'spec.containers[0].ports[3].name: Invalid value: "-Bad--Name-": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'spec.containers[0].ports[3].name: Invalid value: "-Bad--Name-": must not contain consecutive hyphens',
    'spec.containers[0].ports[3].name: Invalid value: "-Bad--Name-": must not begin or end with a hyphen',
    'spec.containers[0].ports[4].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
  ]);
});

test('host ports collide across containers', () => {
  const p = mkPod((s) => {
    s.containers = [
      { name: 'a', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] },
      { name: 'b', image: 'x', ports: [{ containerPort: 81, hostPort: 8080 }] },
    ];
  });
  assert.equal(message(p), 'Pod "x" is invalid: spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"');
});

test('hostNetwork: hostPort must match containerPort', () => {
  const p = mkPod((s) => {
    s.hostNetwork = true;
    s.containers[0].ports = [{ containerPort: 80, hostPort: 81 }];
  });
  assert.equal(message(p), 'Pod "x" is invalid: spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true');
});

test('duplicate names across init and regular containers; sidecar rules', () => {
  const p = mkPod((s) => {
    s.initContainers = [
      { name: 'app', image: 'x' },
      { name: 'probe', image: 'x', livenessProbe: { exec: { command: ['true'] } } },
      { name: 'side', image: 'x', restartPolicy: 'OnFailure' },
    ];
    s.containers[0].restartPolicy = 'Always';
  });
  assert.deepEqual(rendered(p), [
    'spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
    'spec.initContainers[0].name: Duplicate value: "app"',
    'spec.initContainers[1].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    'spec.initContainers[2].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
  ]);
});

test('probes: exactly one handler', () => {
  const p = mkPod((s) => {
    s.containers[0].livenessProbe = {};
    s.containers[0].readinessProbe = { exec: { command: ['x'] }, httpGet: { port: 80 } };
  });
  assert.deepEqual(rendered(p), [
    'spec.containers[0].livenessProbe: Required value: must specify a handler type',
    'spec.containers[0].readinessProbe.httpGet: Forbidden: may not specify more than 1 handler type',
  ]);
});

test('image: required on create, no surrounding whitespace; pull policy', () => {
  assert.equal(
    message(mkPod((s) => (s.containers[0].image = ' nginx'))),
    'Pod "x" is invalid: spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace',
  );
  assert.equal(
    message(mkPod((s) => (s.containers[0].imagePullPolicy = 'Sometimes'))),
    'Pod "x" is invalid: spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
  );
});

test('env names (relaxed rule) and valueFrom', () => {
  const p = mkPod((s) => {
    s.containers[0].env = [
      { name: '1X' },
      { name: 'A=B' },
      { name: '' },
      { name: 'F', valueFrom: { fieldRef: { fieldPath: 'spec.restartPolicy' } } },
      { name: 'G', valueFrom: {} },
    ];
  });
  assert.deepEqual(rendered(p), [
    "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
    'spec.containers[0].env[2].name: Required value',
    'spec.containers[0].env[3].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.restartPolicy": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    'spec.containers[0].env[4].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
  ]);
});

test('pod-level enums and ranges', () => {
  const p = mkPod((s) => {
    s.restartPolicy = 'Sometimes';
    s.dnsPolicy = 'Cluster';
    s.activeDeadlineSeconds = 0;
    s.nodeSelector = { 'bad key': 'v' };
  });
  assert.deepEqual(rendered(p), [
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    'spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    "spec.nodeSelector: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
  ]);
});

test('tolerations', () => {
  const p = mkPod((s) => {
    s.tolerations = [
      { operator: 'Equal', value: 'v' },
      { key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 },
      { key: 'k', operator: 'In', effect: 'Sometimes' },
    ];
  });
  assert.deepEqual(rendered(p), [
    'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    "spec.tolerations[1].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
    'spec.tolerations[2].operator: Unsupported value: "In": supported values: "Equal", "Exists"',
    'spec.tolerations[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
  ]);
});

test('resources: requests above limits, negative, non-standard names', () => {
  const p = mkPod((s) => {
    s.containers[0].resources = { limits: { cpu: '1' }, requests: { cpu: '2', memory: '-1', gpu: '1' } };
  });
  assert.deepEqual(rendered(p), [
    'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    'spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0',
    'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
  ]);
});

test('quantities that do not parse: 400 from decode, and still Invalid in validation', () => {
  const p = mkPod((s) => (s.containers[0].resources = { limits: { memory: '1KB' } }));
  assert.equal(
    podDecodeError(p),
    "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  );
  assert.equal(validatePod(p)[0].field, 'spec.containers[0].resources.limits[memory]');
  assert.equal(podDecodeError(mkPod()), undefined);
});

test('create-only rules', () => {
  const p = mkPod((s) => {
    s.ephemeralContainers = [{ name: 'debug', image: 'busybox' }];
    s.nodeName = 'n1';
    s.schedulingGates = [{ name: 'g' }];
  });
  assert.deepEqual(rendered(p), [
    'spec.ephemeralContainers: Forbidden: cannot be set on create',
    'spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared',
  ]);
});

test('metadata errors come first', () => {
  const p = mkPod(() => {}, 'My_Pod');
  assert.match(message(p), /^Pod "My_Pod" is invalid: metadata\.name: Invalid value: "My_Pod": a lowercase RFC 1123 subdomain/);
});

// --- update -----------------------------------------------------------------------------------

const withRV = (p: KubeObject) => {
  p.metadata.uid = 'u1';
  p.metadata.resourceVersion = '5';
  p.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
  p.status = { phase: 'Pending', qosClass: 'BestEffort' };
  return p;
};

test('update: image, labels, added tolerations and lowered deadline are allowed', () => {
  const old = withRV(mkPod((s) => (s.activeDeadlineSeconds = 100)));
  const next = structuredClone(old);
  next.spec.containers[0].image = 'nginx:1.26';
  next.metadata.labels = { app: 'web' };
  next.spec.tolerations.push({ key: 'k', operator: 'Exists' });
  next.spec.activeDeadlineSeconds = 50;
  assert.deepEqual(validatePodUpdate(next, old), []);
});

test('update: adding a container', () => {
  const old = withRV(mkPod());
  const next = structuredClone(old);
  next.spec.containers.push({ ...next.spec.containers[0], name: 'two' });
  assert.equal(
    invalidError('Pod', 'x', validatePodUpdate(next, old)).message,
    'Pod "x" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers',
  );
});

test('update: any other spec change gives the five-item Forbidden message and a diff', () => {
  const old = withRV(mkPod());
  const next = structuredClone(old);
  next.spec.containers[0].command = ['sleep', '1'];
  const errs = validatePodUpdate(next, old);
  assert.equal(errs.length, 1);
  assert.equal(errs[0].field, 'spec');
  const [head, ...diff] = errs[0].message.split('\n');
  assert.equal(
    head,
    'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
  );
  assert.equal(UPDATABLE_POD_SPEC_FIELDS.length, 5);
  assert.ok(diff.some((l) => l.startsWith('+') && l.includes('command:')), diff.join('\n'));
});

test('update: deadline, tolerations, scheduling gates', () => {
  const old = withRV(mkPod((s) => {
    s.activeDeadlineSeconds = 10;
    s.schedulingGates = [{ name: 'a' }];
  }));
  const next = structuredClone(old);
  next.spec.activeDeadlineSeconds = 20;
  assert.deepEqual(validatePodUpdate(next, old).map(renderFieldError), [
    'spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value',
  ]);
  const n2 = structuredClone(old);
  delete n2.spec.activeDeadlineSeconds;
  n2.spec.tolerations[0].key = 'example.com/other';
  n2.spec.schedulingGates = [{ name: 'a' }, { name: 'b' }];
  const r = validatePodUpdate(n2, old).map(renderFieldError);
  assert.deepEqual(r.slice(0, 3), [
    'spec.activeDeadlineSeconds: Invalid value: "null": must not update from a positive integer to nil value',
    'spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds',
    "spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'b'",
  ]);
});

test('update: changing resources changes QoS', () => {
  const old = withRV(mkPod());
  const next = structuredClone(old);
  next.spec.containers[0].resources = { requests: { memory: '400Mi' } };
  const r = validatePodUpdate(next, old).map(renderFieldError);
  assert.equal(r[0], 'metadata: Invalid value: "BestEffort": Pod QoS is immutable');
  assert.match(r[1], /^spec: Forbidden: pod updates may not change fields other than/);
});

test('update: removing a scheduling gate and adding a nodeSelector on a gated pod is allowed', () => {
  const old = withRV(mkPod((s) => (s.schedulingGates = [{ name: 'a' }])));
  const next = structuredClone(old);
  next.spec.schedulingGates = [];
  next.spec.nodeSelector = { zone: 'a' };
  assert.deepEqual(validatePodUpdate(next, old), []);
});

test('status update: nodeName may not change, terminated containers stay terminated', () => {
  const old = withRV(mkPod((s) => (s.restartPolicy = 'Never')));
  old.status.containerStatuses = [{ name: 'app', state: { terminated: { exitCode: 0 } } }];
  const next = structuredClone(old);
  next.spec.nodeName = 'n1';
  next.status.containerStatuses = [{ name: 'app', state: { running: {} } }];
  assert.deepEqual(validatePodStatusUpdate(next, old).map(renderFieldError), [
    'status.nodeName: Forbidden: may not be changed directly',
    'status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state',
  ]);
});

test('warning for pod names that are not DNS labels', async () => {
  const { podWarnings } = await import('./pod-validation.ts');
  assert.deepEqual(podWarnings(mkPod(() => {}, 'web.v1')), [
    "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
  ]);
  assert.deepEqual(podWarnings(mkPod()), []);
});

test('affinity and topology spread constraints', () => {
  const p = mkPod((s) => {
    s.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }, { key: 'zone', operator: 'Near', values: ['a'] }] }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }],
      },
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] },
    };
    s.topologySpreadConstraints = [
      { maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
      { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
    ];
  });
  assert.deepEqual(rendered(p), [
    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].operator: Invalid value: "Near": not a valid selector operator',
    'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100',
    'spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero',
    'spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, DoNotSchedule}"',
  ]);
});

test('ephemeral containers subresource: add allowed, change/remove forbidden', async () => {
  const { validatePodEphemeralContainersUpdate } = await import('./pod-validation.ts');
  const old = withRV(mkPod());
  const next = structuredClone(old);
  next.spec.ephemeralContainers = [
    { name: 'debug', image: 'busybox', imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File', targetContainerName: 'app' },
  ];
  assert.deepEqual(validatePodEphemeralContainersUpdate(next, old), []);
  const removed = structuredClone(old);
  assert.deepEqual(validatePodEphemeralContainersUpdate(removed, next).map(renderFieldError), [
    'spec.ephemeralContainers: Forbidden: existing ephemeral containers "debug" may not be removed\n',
  ]);
  const bad = structuredClone(next);
  bad.spec.ephemeralContainers[0].ports = [{ containerPort: 80, protocol: 'TCP' }];
  assert.deepEqual(validatePodEphemeralContainersUpdate(bad, old).map(renderFieldError), [
    'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
  ]);
});

test('a pod as a real cluster returns it validates, and round-trips through update', () => {
  const live: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-7d4b9c6f5-abcde',
      generateName: 'web-7d4b9c6f5-',
      namespace: 'default',
      uid: 'u1',
      resourceVersion: '12',
      creationTimestamp: '2024-05-01T10:00:00Z',
      labels: { app: 'web', 'pod-template-hash': '7d4b9c6f5' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c6f5', uid: 'rs1', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.25',
          imagePullPolicy: 'IfNotPresent',
          ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }],
          env: [{ name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
          envFrom: [{ configMapRef: { name: 'cfg' } }],
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } },
          livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 5'] } } },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          volumeMounts: [
            { name: 'kube-api-access-x2x9z', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
            { name: 'conf', mountPath: '/etc/nginx/conf.d', subPath: 'site' },
          ],
          securityContext: { runAsUser: 101, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
      volumes: [
        { name: 'conf', configMap: { name: 'nginx-conf', items: [{ key: 'site.conf', path: 'site/site.conf' }], defaultMode: 420 } },
        {
          name: 'kube-api-access-x2x9z',
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
            ],
          },
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      serviceAccount: 'default',
      nodeName: 'node-1',
      securityContext: { fsGroup: 101 },
      schedulerName: 'default-scheduler',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
    },
    status: { phase: 'Running', qosClass: 'Burstable', podIP: '10.244.0.7', podIPs: [{ ip: '10.244.0.7' }] },
  };
  const before = structuredClone(live);
  defaultPod(live);
  assert.deepEqual(live, before, 'defaulting a live pod changes nothing');
  assert.deepEqual(validatePod(live), []);
  const edited = structuredClone(live);
  edited.metadata.labels = { ...edited.metadata.labels, tier: 'front' };
  edited.spec.containers[0].image = 'nginx:1.26';
  assert.deepEqual(validatePodUpdate(edited, live), []);
});
