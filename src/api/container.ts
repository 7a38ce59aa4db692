/**
 * core/v1 Container, EphemeralContainer and their parts: ports, env, resources, mounts, probes, lifecycle hooks.
 * Names, types and list/patch metadata follow Kubernetes 1.32 (plus later alpha fields); descriptions are ours.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  named, field, opt, str, int32, int64, bool, enumOf, mapOf, list, atomic, mergeList, strings,
} from './schema-kit.ts';
import { quantitySchema, intOrStringSchema } from './meta.ts';
import { objectFieldSelectorSchema, resourceFieldSelectorSchema } from './volume.ts';
import { securityContextSchema } from './security-context.ts';

const CORE = 'io.k8s.api.core.v1';

export const protocolEnum = ['SCTP', 'TCP', 'UDP'] as const;
export const pullPolicyEnum = ['Always', 'IfNotPresent', 'Never'] as const;

export const containerPortSchema = named(`${CORE}.ContainerPort`, 'A network port of a container.', {
  name: opt(str('Name of the port, an IANA service name unique within the pod; services can refer to it.')),
  hostPort: opt(int32('Port to open on the host (1-65535); most containers do not need one.')),
  containerPort: int32("Port number on the pod's IP address (1-65535)."),
  protocol: opt(enumOf(protocolEnum, 'Protocol of the port. Defaults to TCP.')),
  hostIP: opt(str('Host address to bind the host port to.')),
});

export const configMapKeySelectorSchema = named(
  `${CORE}.ConfigMapKeySelector`,
  'Selects one key of a ConfigMap.',
  {
    name: opt(str("Name of the ConfigMap in the pod's namespace.", { default: '' })),
    key: str('Key to select.'),
    optional: opt(bool('When true, a missing ConfigMap or key is not an error.')),
  },
  { 'x-kubernetes-map-type': 'atomic' },
);

export const secretKeySelectorSchema = named(
  `${CORE}.SecretKeySelector`,
  'Selects one key of a Secret.',
  {
    name: opt(str("Name of the Secret in the pod's namespace.", { default: '' })),
    key: str('Key to select.'),
    optional: opt(bool('When true, a missing Secret or key is not an error.')),
  },
  { 'x-kubernetes-map-type': 'atomic' },
);

export const fileKeySelectorSchema = named(
  `${CORE}.FileKeySelector`,
  'Selects one key of an env file on a volume (alpha).',
  {
    volumeName: str('Volume mount holding the env file.'),
    path: str('Relative path of the env file within the volume.'),
    key: str('Key to select within the file.'),
    optional: opt(bool('When true, a missing file or key is not an error.')),
  },
  { 'x-kubernetes-map-type': 'atomic' },
);

export const envVarSourceSchema = named(`${CORE}.EnvVarSource`, 'Where the value of an environment variable comes from.', {
  fieldRef: opt(field(objectFieldSelectorSchema, 'A pod field, such as metadata.name or status.podIP.')),
  resourceFieldRef: opt(field(resourceFieldSelectorSchema, 'A resource limit or request of the container.')),
  configMapKeyRef: opt(field(configMapKeySelectorSchema, 'A key of a ConfigMap.')),
  secretKeyRef: opt(field(secretKeySelectorSchema, "A key of a Secret in the pod's namespace.")),
  fileKeyRef: opt(field(fileKeySelectorSchema, 'A key of an env file on a volume (alpha).')),
});

export const envVarSchema = named(`${CORE}.EnvVar`, 'An environment variable of a container.', {
  name: str('Name of the variable.'),
  value: opt(str('Value; $(VAR) references to earlier variables are expanded, $$ escapes. Defaults to "".')),
  valueFrom: opt(field(envVarSourceSchema, 'Source of the value; cannot be combined with a non-empty value.')),
});

export const configMapEnvSourceSchema = named(`${CORE}.ConfigMapEnvSource`, 'A ConfigMap whose keys become environment variables.', {
  name: opt(str("Name of the ConfigMap in the pod's namespace.", { default: '' })),
  optional: opt(bool('When true, a missing ConfigMap is not an error.')),
});

export const secretEnvSourceSchema = named(`${CORE}.SecretEnvSource`, 'A Secret whose keys become environment variables.', {
  name: opt(str("Name of the Secret in the pod's namespace.", { default: '' })),
  optional: opt(bool('When true, a missing Secret is not an error.')),
});

export const envFromSourceSchema = named(`${CORE}.EnvFromSource`, 'A set of environment variables taken from a ConfigMap or Secret.', {
  prefix: opt(str('Text prepended to every variable name.')),
  configMapRef: opt(field(configMapEnvSourceSchema, 'The ConfigMap to read.')),
  secretRef: opt(field(secretEnvSourceSchema, 'The Secret to read.')),
});

export const resourceClaimSchema = named(`${CORE}.ResourceClaim`, 'Names one entry of pod.spec.resourceClaims that a container uses.', {
  name: str('Name of an entry in pod.spec.resourceClaims.'),
  request: opt(str('Request within that claim to use; empty means all of it.')),
});

export const resourceRequirementsSchema = named(`${CORE}.ResourceRequirements`, 'Compute resources requested and allowed.', {
  limits: opt(mapOf(quantitySchema, 'Most of each resource that may be used.')),
  requests: opt(mapOf(quantitySchema, 'Least of each resource that is needed; defaults to the limits when those are set.')),
  claims: opt(
    list(resourceClaimSchema, 'Entries of spec.resourceClaims this container uses (dynamic resource allocation).', {
      type: 'map',
      keys: ['name'],
    }),
  ),
});
export type ResourceRequirements = Static<typeof resourceRequirementsSchema>;

export const containerResizePolicySchema = named(`${CORE}.ContainerResizePolicy`, 'How a container reacts when one resource is resized.', {
  resourceName: str('Resource the policy is for: cpu or memory.'),
  restartPolicy: str('NotRequired (resize in place) or RestartContainer.'),
});

export const containerRestartRuleOnExitCodesSchema = named(
  `${CORE}.ContainerRestartRuleOnExitCodes`,
  'Matches a container exit by its exit code.',
  {
    operator: str('In or NotIn: whether the exit code must be among the values.'),
    values: opt(list(Type.Integer({ format: 'int32' }), 'Exit codes to compare with.', { type: 'set' })),
  },
);

export const containerRestartRuleSchema = named(`${CORE}.ContainerRestartRule`, 'What to do when a container exits in a matching way.', {
  action: str('Action to take; Restart restarts the container.'),
  exitCodes: opt(field(containerRestartRuleOnExitCodesSchema, 'Exit codes this rule matches.')),
});

export const volumeMountSchema = named(`${CORE}.VolumeMount`, 'Mounts a pod volume into a container.', {
  name: str('Name of the pod volume.'),
  readOnly: opt(bool('Mount read-only when true. Defaults to false.')),
  recursiveReadOnly: opt(str('Whether a read-only mount is read-only recursively: Disabled, IfPossible or Enabled.')),
  mountPath: str('Path in the container to mount at; must not contain ":".'),
  subPath: opt(str("Path within the volume to mount instead of its root.")),
  mountPropagation: opt(
    enumOf(['Bidirectional', 'HostToContainer', 'None'], 'How mounts propagate between host and container. Defaults to None.'),
  ),
  subPathExpr: opt(str('Like subPath, with $(VAR) references expanded from the environment.')),
});

export const volumeDeviceSchema = named(`${CORE}.VolumeDevice`, 'Maps a raw block volume into a container.', {
  name: str('Name of a persistentVolumeClaim volume of the pod.'),
  devicePath: str('Path of the device in the container.'),
});

export const execActionSchema = named(`${CORE}.ExecAction`, 'Runs a command in the container.', {
  command: opt(atomic(strings(), 'Command and arguments, run without a shell in /; exit status 0 means success.')),
});

export const httpHeaderSchema = named(`${CORE}.HTTPHeader`, 'A header sent with an HTTP probe.', {
  name: str('Header name.'),
  value: str('Header value.'),
});

export const httpGetActionSchema = named(`${CORE}.HTTPGetAction`, 'Sends an HTTP GET request.', {
  path: opt(str('Path to request.')),
  port: field(intOrStringSchema, 'Port number (1-65535) or port name to connect to.'),
  host: opt(str('Host to connect to; defaults to the pod IP.')),
  scheme: opt(enumOf(['HTTP', 'HTTPS'], 'Scheme to use. Defaults to HTTP.')),
  httpHeaders: opt(atomic(httpHeaderSchema, 'Extra request headers.')),
});

export const tcpSocketActionSchema = named(`${CORE}.TCPSocketAction`, 'Opens a TCP connection.', {
  port: field(intOrStringSchema, 'Port number (1-65535) or port name to connect to.'),
  host: opt(str('Host to connect to; defaults to the pod IP.')),
});

export const grpcActionSchema = named(`${CORE}.GRPCAction`, 'Calls the gRPC health checking service.', {
  port: int32('Port of the gRPC service (1-65535).'),
  service: opt(str('Service name sent in the health check request.', { default: '' })),
});

export const sleepActionSchema = named(`${CORE}.SleepAction`, 'Waits for a while.', {
  seconds: int64('Seconds to sleep.'),
});

export const probeSchema = named(`${CORE}.Probe`, 'A periodic health check of a container. Set exactly one action.', {
  exec: opt(field(execActionSchema, 'Command to run in the container.')),
  httpGet: opt(field(httpGetActionSchema, 'HTTP GET request to send.')),
  tcpSocket: opt(field(tcpSocketActionSchema, 'TCP port to connect to.')),
  grpc: opt(field(grpcActionSchema, 'gRPC health check to call.')),
  initialDelaySeconds: opt(int32('Seconds after container start before the first probe.')),
  timeoutSeconds: opt(int32('Seconds before a probe attempt times out. Defaults to 1.')),
  periodSeconds: opt(int32('Seconds between probes. Defaults to 10.')),
  successThreshold: opt(int32('Consecutive successes that count as passing after a failure. Defaults to 1.')),
  failureThreshold: opt(int32('Consecutive failures that count as failing. Defaults to 3.')),
  terminationGracePeriodSeconds: opt(
    int64("Grace period used when a failed probe kills the container; overrides the pod's value."),
  ),
});
export type Probe = Static<typeof probeSchema>;

export const lifecycleHandlerSchema = named(`${CORE}.LifecycleHandler`, 'An action run at a container lifecycle event. Set exactly one.', {
  exec: opt(field(execActionSchema, 'Command to run in the container.')),
  httpGet: opt(field(httpGetActionSchema, 'HTTP GET request to send.')),
  tcpSocket: opt(field(tcpSocketActionSchema, 'Deprecated and not supported; kept for compatibility.')),
  sleep: opt(field(sleepActionSchema, 'Time to wait.')),
});

const signals = [
  'SIGABRT', 'SIGALRM', 'SIGBUS', 'SIGCHLD', 'SIGCLD', 'SIGCONT', 'SIGFPE', 'SIGHUP', 'SIGILL', 'SIGINT', 'SIGIO',
  'SIGIOT', 'SIGKILL', 'SIGPIPE', 'SIGPOLL', 'SIGPROF', 'SIGPWR', 'SIGQUIT', 'SIGRTMAX', 'SIGRTMIN', 'SIGSEGV',
  'SIGSTKFLT', 'SIGSTOP', 'SIGSYS', 'SIGTERM', 'SIGTRAP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGUSR1',
  'SIGUSR2', 'SIGVTALRM', 'SIGWINCH', 'SIGXCPU', 'SIGXFSZ',
  ...Array.from({ length: 15 }, (_, i) => `SIGRTMIN+${i + 1}`),
  ...Array.from({ length: 14 }, (_, i) => `SIGRTMAX-${14 - i}`),
];
/** Stop signal names (an enum in Kubernetes 1.33+). */
export const signalSchema = (description: string) =>
  Type.Unsafe<string>({ type: 'string', enum: [...signals].sort(), description });

export const lifecycleSchema = named(`${CORE}.Lifecycle`, 'Actions run when a container starts or is about to stop.', {
  postStart: opt(field(lifecycleHandlerSchema, 'Runs right after the container is created; on failure the container is restarted.')),
  preStop: opt(field(lifecycleHandlerSchema, 'Runs before the container is stopped by the API or the node; counts against the grace period.')),
  stopSignal: opt(signalSchema('Signal sent to stop the container; the runtime default when unset.')),
});

function containerProps(kind: 'regular' | 'ephemeral') {
  const eph = kind === 'ephemeral';
  return {
    name: str(eph ? 'Name of the ephemeral container, unique among all containers of the pod.' : 'Name of the container, a DNS label unique within the pod.'),
    image: opt(str('Container image reference.')),
    command: opt(atomic(strings(), "Entrypoint, not run in a shell; replaces the image's ENTRYPOINT. $(VAR) references are expanded.")),
    args: opt(atomic(strings(), "Arguments to the entrypoint; replace the image's CMD. $(VAR) references are expanded.")),
    workingDir: opt(str("Working directory; the image's default when unset.")),
    ports: opt(
      list(containerPortSchema, eph ? 'Not allowed for ephemeral containers.' : 'Ports the container exposes; informational.', {
        type: 'map',
        keys: ['containerPort', 'protocol'],
        strategy: 'merge',
        mergeKey: 'containerPort',
      }),
    ),
    envFrom: opt(atomic(envFromSourceSchema, 'Sources of environment variables; later sources and env win on duplicates.')),
    env: opt(mergeList(envVarSchema, 'Environment variables to set.', 'name')),
    resources: opt(
      field(resourceRequirementsSchema, eph ? 'Not allowed for ephemeral containers.' : 'Compute resources the container needs.'),
    ),
    resizePolicy: opt(atomic(containerResizePolicySchema, 'How the container reacts to in-place resource resizes.')),
    restartPolicy: opt(
      str(eph ? 'Not allowed for ephemeral containers.' : "Restart behaviour of this container, overriding the pod's; Always on an init container makes it a sidecar."),
    ),
    restartPolicyRules: opt(atomic(containerRestartRuleSchema, 'Rules checked in order when the container exits (alpha).')),
    volumeMounts: opt(mergeList(volumeMountSchema, 'Pod volumes to mount into the container.', 'mountPath')),
    volumeDevices: opt(mergeList(volumeDeviceSchema, 'Raw block volumes to map into the container.', 'devicePath')),
    livenessProbe: opt(field(probeSchema, eph ? 'Not allowed for ephemeral containers.' : 'Restarts the container when it fails.')),
    readinessProbe: opt(field(probeSchema, eph ? 'Not allowed for ephemeral containers.' : 'Marks the container unready while it fails.')),
    startupProbe: opt(field(probeSchema, eph ? 'Not allowed for ephemeral containers.' : 'Holds the other probes back until it succeeds.')),
    lifecycle: opt(field(lifecycleSchema, eph ? 'Not allowed for ephemeral containers.' : 'Hooks run after start and before stop.')),
    terminationMessagePath: opt(str('File whose contents become the termination message. Defaults to /dev/termination-log.')),
    terminationMessagePolicy: opt(
      enumOf(['FallbackToLogsOnError', 'File'], 'Where the termination message comes from. Defaults to File.'),
    ),
    imagePullPolicy: opt(enumOf(pullPolicyEnum, 'When to pull the image; Always for :latest, IfNotPresent otherwise.')),
    securityContext: opt(field(securityContextSchema, 'Security settings of the container.')),
    stdin: opt(bool('Allocate a stdin buffer for the container. Defaults to false.')),
    stdinOnce: opt(bool('Close stdin after the first attach session ends. Defaults to false.')),
    tty: opt(bool('Allocate a TTY; needs stdin. Defaults to false.')),
  };
}

export const containerSchema = named(`${CORE}.Container`, 'One application container of a pod.', containerProps('regular'));
export type Container = Static<typeof containerSchema>;

export const ephemeralContainerSchema = named(
  `${CORE}.EphemeralContainer`,
  'A temporary container added to a running pod, for example to debug it; never restarted.',
  {
    ...containerProps('ephemeral'),
    targetContainerName: opt(str('Container whose namespaces (PID, IPC, …) the ephemeral container joins.')),
  },
);
export type EphemeralContainer = Static<typeof ephemeralContainerSchema>;
