// ContainerConfig for one container of a pod, as kubelet's generateContainerConfig builds it: command/args and env
// with `$(VAR)` expansion, downward-API env (fieldRef, resourceFieldRef), mounts (volumes, subPath, the
// termination-message file), resources → linux resources, the merged pod/container security context, log path,
// labels and annotations (restartCount).
//
//   const cfg = buildContainerConfig(deps, pod, container, { restartCount: 0, podIPs: ['10.42.0.7'], volumes, ... });
//   // throws ContainerConfigError (→ waiting CreateContainerConfigError) for what cannot be resolved
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { posix } from 'node:path';
import type { KubeObject } from '../../api/object.ts';
import { computeQosClass } from '../../api/pod-defaults.ts';
import { parseQuantity, parseQuantityExact } from '../../api/quantity.ts';
import type { ContainerConfig, KeyValue, LinuxContainerResources, LinuxContainerSecurityContext, Mount } from '../../cri/cri-types.ts';
import {
  ANNOTATION_GRACE_PERIOD, ANNOTATION_RESTART_COUNT, ANNOTATION_SPEC_IMAGE, ANNOTATION_TERMINATION_MESSAGE_PATH, ANNOTATION_TERMINATION_MESSAGE_POLICY,
  LABEL_CONTAINER_NAME, LABEL_CONTAINER_TYPE, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID, podDir, type PodSyncDeps,
} from './deps.ts';
import { expandVars } from './expand-vars.ts';
import { namespaceModes } from './sandbox-config.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** A container config that cannot be built (kubelet: waiting reason CreateContainerConfigError). */
export class ContainerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

export interface ContainerContext {
  restartCount: number;
  podIPs: string[];
  hostIPs: string[];
  /** Volume name → host path (volumes.ts). */
  volumes: Map<string, string>;
  /** The image to run (the name as pulled). */
  image: string;
  /** The image's configured uid, when known (runAsNonRoot checks). */
  imageUid?: number;
  init: boolean;
}

/** Kubernetes' default masked / read-only /proc and /sys paths (pkg/securitycontext). */
export const DEFAULT_MASKED_PATHS = [
  '/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap',
];
export const DEFAULT_READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

function fieldRefValue(pod: KubeObject, path: string, ctx: ContainerContext): string {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return (pod.metadata[m[1] as 'labels' | 'annotations'] ?? {})[m[2]!] ?? '';
  switch (path) {
    case 'metadata.name': return pod.metadata.name ?? '';
    case 'metadata.namespace': return pod.metadata.namespace ?? '';
    case 'metadata.uid': return pod.metadata.uid ?? '';
    case 'metadata.labels': return Object.entries(pod.metadata.labels ?? {}).map(([k, v]) => `${k}="${v}"`).sort().join('\n');
    case 'metadata.annotations': return Object.entries(pod.metadata.annotations ?? {}).map(([k, v]) => `${k}="${v}"`).sort().join('\n');
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP': return ctx.podIPs[0] ?? '';
    case 'status.podIPs': return ctx.podIPs.join(',');
    case 'status.hostIP': return ctx.hostIPs[0] ?? '';
    case 'status.hostIPs': return ctx.hostIPs.join(',');
    default: throw new ContainerConfigError(`unsupported fieldRef path ${JSON.stringify(path)}`);
  }
}

/** resourceFieldRef: limits/requests of cpu/memory/ephemeral-storage, divided by divisor and rounded up. */
export function resourceFieldValue(pod: KubeObject, defaultContainer: string, ref: Any): string {
  const cname = ref.containerName || defaultContainer;
  const c: Any = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x: Any) => x.name === cname);
  if (!c) throw new ContainerConfigError(`resourceFieldRef: no container ${JSON.stringify(cname)}`);
  const [kind, resource] = String(ref.resource).split('.') as [string, string];
  const list: Any = kind === 'limits' ? c.resources?.limits ?? {} : c.resources?.requests ?? {};
  let value = list[resource];
  if (value === undefined && kind === 'limits') {
    // no limit: the node's allocatable, as kubelet's MergeContainerResourceLimits
    if (resource === 'cpu') value = String(cpus().length);
    else if (resource === 'memory') value = String(totalmem());
  }
  if (value === undefined) value = '0';
  const divisor = ref.divisor ?? (resource === 'cpu' ? '1' : '1');
  if (resource === 'cpu') {
    const milli = Number(parseQuantityExact(value).nanos / 1_000_000n);
    const dmilli = Math.max(1, Number(parseQuantityExact(divisor).nanos / 1_000_000n));
    return String(Math.ceil(milli / dmilli));
  }
  return String(Math.ceil(parseQuantity(value) / Math.max(1, parseQuantity(divisor))));
}

/** The container's env, in order, each value expanded against the ones before it. */
export function containerEnv(pod: KubeObject, c: Any, ctx: ContainerContext): KeyValue[] {
  const vars = new Map<string, string>();
  for (const src of c.envFrom ?? []) {
    if (src.configMapRef || src.secretRef) {
      const ref = src.configMapRef ?? src.secretRef;
      if (ref.optional) continue;
      throw new ContainerConfigError(`${src.configMapRef ? 'configmap' : 'secret'} "${ref.name}" not found`);
    }
  }
  for (const e of c.env ?? []) {
    let value: string;
    if (e.valueFrom) {
      const vf = e.valueFrom;
      if (vf.fieldRef) value = fieldRefValue(pod, vf.fieldRef.fieldPath, ctx);
      else if (vf.resourceFieldRef) value = resourceFieldValue(pod, c.name, vf.resourceFieldRef);
      else if (vf.configMapKeyRef || vf.secretKeyRef) {
        const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
        if (ref.optional) continue;
        throw new ContainerConfigError(`${vf.configMapKeyRef ? 'configmap' : 'secret'} "${ref.name}" not found`);
      } else continue;
    } else {
      value = expandVars(e.value ?? '', vars);
    }
    vars.set(e.name, value);
  }
  return [...vars].map(([key, value]) => ({ key, value }));
}

const milli = (q: string | number | undefined): number => (q === undefined ? 0 : Number(parseQuantityExact(q).nanos / 1_000_000n));

/** cpu shares / quota / period, memory limit and oom_score_adj (kubelet's generateLinuxContainerResources). */
export function linuxResources(pod: KubeObject, c: Any): LinuxContainerResources {
  const req: Any = c.resources?.requests ?? {};
  const lim: Any = c.resources?.limits ?? {};
  const cpuReq = milli(req.cpu ?? lim.cpu);
  const out: LinuxContainerResources = { cpu_shares: Math.max(2, Math.floor((cpuReq * 1024) / 1000)) };
  if (lim.cpu !== undefined) {
    out.cpu_period = 100_000;
    out.cpu_quota = Math.max(1000, Math.floor((milli(lim.cpu) * 100_000) / 1000));
  }
  if (lim.memory !== undefined) out.memory_limit_in_bytes = Math.floor(parseQuantity(lim.memory));
  const qos = computeQosClass(pod);
  if (qos === 'Guaranteed') out.oom_score_adj = -997;
  else if (qos === 'BestEffort') out.oom_score_adj = 1000;
  else {
    const memReq = req.memory !== undefined ? parseQuantity(req.memory) : 0;
    out.oom_score_adj = Math.min(999, Math.max(2, Math.floor(1000 - (1000 * memReq) / totalmem())));
  }
  return out;
}

/** The container security context with the pod-level defaults merged in. */
export function securityContext(pod: KubeObject, c: Any, ctx: Pick<ContainerContext, 'imageUid'>): LinuxContainerSecurityContext {
  const psc: Any = pod.spec?.securityContext ?? {};
  const csc: Any = c.securityContext ?? {};
  const runAsUser: number | undefined = csc.runAsUser ?? psc.runAsUser;
  const runAsGroup: number | undefined = csc.runAsGroup ?? psc.runAsGroup;
  const runAsNonRoot: boolean | undefined = csc.runAsNonRoot ?? psc.runAsNonRoot;
  if (runAsNonRoot) {
    const uid = runAsUser ?? ctx.imageUid;
    if (uid === 0) throw new ContainerConfigError(`container has runAsNonRoot and image will run as root (pod: "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})", container: ${c.name})`);
    if (uid === undefined) throw new ContainerConfigError('container has runAsNonRoot and image has non-numeric user, cannot verify user is non-root');
  }
  const privileged = csc.privileged === true;
  const modes = namespaceModes(pod.spec ?? {});
  const sc: LinuxContainerSecurityContext = {
    privileged,
    namespace_options: modes,
    readonly_rootfs: csc.readOnlyRootFilesystem === true,
    no_new_privs: csc.allowPrivilegeEscalation === false,
    supplemental_groups: [...(typeof psc.fsGroup === 'number' ? [psc.fsGroup] : []), ...(psc.supplementalGroups ?? [])],
    seccomp: { profile_type: (csc.seccompProfile?.type ?? psc.seccompProfile?.type) === 'RuntimeDefault' ? 'RuntimeDefault' : 'Unconfined' },
  };
  if (runAsUser !== undefined) sc.run_as_user = { value: runAsUser };
  if (runAsGroup !== undefined) sc.run_as_group = { value: runAsGroup };
  if (csc.capabilities) sc.capabilities = { add_capabilities: csc.capabilities.add ?? [], drop_capabilities: csc.capabilities.drop ?? [] };
  if (!privileged && csc.procMount !== 'Unmasked') {
    sc.masked_paths = DEFAULT_MASKED_PATHS;
    sc.readonly_paths = DEFAULT_READONLY_PATHS;
  }
  return sc;
}

/** Volume mounts (with subPath, created on demand) plus the termination-message file. */
export function containerMounts(deps: Pick<PodSyncDeps, 'dataDir'>, pod: KubeObject, c: Any, ctx: ContainerContext, envVars: Map<string, string>): Mount[] {
  const mounts: Mount[] = [];
  for (const vm of c.volumeMounts ?? []) {
    const base = ctx.volumes.get(vm.name);
    if (base === undefined) throw new ContainerConfigError(`cannot find volume "${vm.name}" to mount into container "${c.name}"`);
    let hostPath = base;
    const sub: string = vm.subPathExpr ? expandVars(vm.subPathExpr, envVars) : vm.subPath ?? '';
    if (sub) {
      const norm = posix.normalize(sub);
      if (posix.isAbsolute(norm) || norm.split('/').includes('..')) throw new ContainerConfigError(`subPath ${JSON.stringify(sub)} must be a relative path inside the volume`);
      hostPath = posix.join(base, norm);
      if (!existsSync(hostPath)) {
        mkdirSync(hostPath, { recursive: true });
        chmodSync(hostPath, 0o777);
      }
    }
    const propagation = vm.mountPropagation === 'Bidirectional' ? 'PROPAGATION_BIDIRECTIONAL'
      : vm.mountPropagation === 'HostToContainer' ? 'PROPAGATION_HOST_TO_CONTAINER' : 'PROPAGATION_PRIVATE';
    mounts.push({ container_path: vm.mountPath, host_path: hostPath, readonly: vm.readOnly === true, propagation });
  }
  const tmp: string | undefined = c.terminationMessagePath;
  if (tmp && !mounts.some((m) => m.container_path === tmp)) {
    const dir = `${podDir(deps, pod.metadata.uid!)}/containers/${c.name}`;
    mkdirSync(dir, { recursive: true });
    const file = `${dir}/${ctx.restartCount}-termination-log`;
    closeSync(openSync(file, 'a', 0o666));
    chmodSync(file, 0o666);
    mounts.push({ container_path: tmp, host_path: file });
  }
  return mounts;
}

/** Host path of the termination-message file of one container instance. */
export function terminationMessageFile(deps: Pick<PodSyncDeps, 'dataDir'>, uid: string, name: string, restartCount: number): string {
  return `${podDir(deps, uid)}/containers/${name}/${restartCount}-termination-log`;
}

export function buildContainerConfig(deps: Pick<PodSyncDeps, 'dataDir'>, pod: KubeObject, c: Any, ctx: ContainerContext): ContainerConfig {
  const envs = containerEnv(pod, c, ctx);
  const vars = new Map(envs.map((e) => [e.key, e.value]));
  const labels: Record<string, string> = {
    [LABEL_POD_NAME]: pod.metadata.name ?? '',
    [LABEL_POD_NAMESPACE]: pod.metadata.namespace ?? '',
    [LABEL_POD_UID]: pod.metadata.uid ?? '',
    [LABEL_CONTAINER_NAME]: c.name,
  };
  if (ctx.init) labels[LABEL_CONTAINER_TYPE] = c.restartPolicy === 'Always' ? 'sidecar' : 'init';
  const config: ContainerConfig = {
    metadata: { name: c.name, attempt: ctx.restartCount },
    image: { image: ctx.image, user_specified_image: c.image },
    command: (c.command ?? []).map((s: string) => expandVars(s, vars)),
    args: (c.args ?? []).map((s: string) => expandVars(s, vars)),
    working_dir: c.workingDir ?? '',
    envs,
    mounts: containerMounts(deps, pod, c, ctx, vars),
    labels,
    annotations: {
      [ANNOTATION_RESTART_COUNT]: String(ctx.restartCount),
      [ANNOTATION_TERMINATION_MESSAGE_PATH]: c.terminationMessagePath ?? '',
      [ANNOTATION_TERMINATION_MESSAGE_POLICY]: c.terminationMessagePolicy ?? 'File',
      [ANNOTATION_GRACE_PERIOD]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
      [ANNOTATION_SPEC_IMAGE]: c.image ?? '',
    },
    log_path: `${c.name}/${ctx.restartCount}.log`,
    stdin: c.stdin === true,
    stdin_once: c.stdinOnce === true,
    tty: c.tty === true,
    linux: { resources: linuxResources(pod, c), security_context: securityContext(pod, c, ctx) },
  };
  return config;
}
