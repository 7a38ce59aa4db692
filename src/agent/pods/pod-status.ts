// The pod status kubelet would write (generateAPIPodStatus + status/generate.go, K8S-FACTS §9): container
// statuses from the runtime (state, lastState, ready, started, restartCount, image, imageID, containerID),
// phase (getPhase), the five kubelet conditions with lastTransitionTime kept unless the status flips, IPs,
// startTime and qosClass. Pure: the caller passes what it knows, gets a status object back.
//
//   const status = generatePodStatus({ pod, runtime, sandboxReady: true, podIPs, hostIPs, waiting, probes, oldStatus, startTime });
import type { KubeObject } from '../../api/object.ts';
import { computeQosClass } from '../../api/pod-defaults.ts';
import type { RuntimeContainer, RuntimePod } from './runtime-pod.ts';
import { containerInstances } from './runtime-pod.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export interface WaitingReason {
  reason: string;
  message?: string;
}

export interface ProbeResults {
  /** Readiness result by container id (absent = no result yet). */
  ready: Map<string, boolean>;
  /** Startup result by container id. */
  started: Map<string, boolean>;
}

export interface StatusInput {
  pod: KubeObject;
  runtime: RuntimePod;
  /** The newest sandbox is ready and has its network. */
  sandboxReady: boolean;
  podIPs: string[];
  hostIPs: string[];
  /** Why a container is waiting (ErrImagePull, CrashLoopBackOff, …), by name; overrides an exited state. */
  waiting: Map<string, WaitingReason>;
  probes: ProbeResults;
  /** The status last written (or the API's), for lastTransitionTime and terminal phases. */
  oldStatus: Any;
  startTime: string;
  /** The pod is being torn down: stopped containers will not restart. */
  terminal?: boolean;
  now?: Date;
}

/** metav1.Time: RFC 3339, seconds. */
export const kubeTime = (ms: number | Date): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** Go's %s of a []string: `[a b]`. */
const goList = (xs: string[]): string => `[${xs.join(' ')}]`;

export const isSidecar = (c: Any): boolean => c?.restartPolicy === 'Always';

function terminatedState(c: RuntimeContainer): Any {
  const t: Any = {
    exitCode: c.exitCode,
    reason: c.reason || (c.exitCode === 0 ? 'Completed' : 'Error'),
    startedAt: c.startedAt ? kubeTime(c.startedAt) : null,
    finishedAt: c.finishedAt ? kubeTime(c.finishedAt) : null,
    containerID: `containerd://${c.id}`,
  };
  if (c.terminationMessage) t.message = c.terminationMessage;
  return t;
}

function containerStatus(spec: Any, instances: RuntimeContainer[], input: StatusInput, defaultReason: string, init: boolean): Any {
  const cur = instances[0];
  const prev = instances[1];
  const status: Any = {
    name: spec.name,
    state: {},
    lastState: {},
    ready: false,
    restartCount: cur?.restartCount ?? 0,
    image: spec.image,
    imageID: cur?.imageRef ?? '',
    started: false,
  };
  if (cur) status.containerID = `containerd://${cur.id}`;
  const waiting = input.waiting.get(spec.name);
  if (!cur) {
    status.state = { waiting: waiting ? { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } : { reason: defaultReason } };
    return status;
  }
  if (prev && prev.state === 'CONTAINER_EXITED') status.lastState = { terminated: terminatedState(prev) };
  switch (cur.state) {
    case 'CONTAINER_RUNNING': {
      status.state = { running: { startedAt: kubeTime(cur.startedAt || Date.now()) } };
      const hasStartup = !!spec.startupProbe;
      const started = hasStartup ? input.probes.started.get(cur.id) === true : true;
      status.started = started;
      if (init && !isSidecar(spec)) status.ready = false;
      else status.ready = started && (spec.readinessProbe ? input.probes.ready.get(cur.id) === true : true);
      break;
    }
    case 'CONTAINER_EXITED':
      if (waiting) {
        status.lastState = { terminated: terminatedState(cur) };
        status.state = { waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } };
      } else {
        status.state = { terminated: terminatedState(cur) };
        if (init && !isSidecar(spec)) status.ready = cur.exitCode === 0;
      }
      break;
    default:
      status.state = { waiting: waiting ? { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } : { reason: defaultReason } };
  }
  return status;
}

const find = (list: Any[], name: string): Any => list.find((s) => s.name === name);

function anyRegularStarted(spec: Any, statuses: Any[]): boolean {
  return (spec.containers ?? []).some((c: Any) => {
    const s = find(statuses, c.name);
    return s && (s.state.running || s.state.terminated || s.lastState?.terminated);
  });
}

/** kubelet's getPhase (K8S-FACTS §9.2). */
export function podPhase(spec: Any, initStatuses: Any[], statuses: Any[], podIsTerminal: boolean): string {
  let pendingInit = 0;
  let failedInit = 0;
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.initContainers ?? []) {
    if (isSidecar(c)) continue;
    const s = find(initStatuses, c.name);
    if (!s) pendingInit++;
    else if (s.state.running) pendingInit++;
    else if (s.state.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }
  for (const c of spec.initContainers ?? []) {
    if (!isSidecar(c)) continue;
    const s = find(initStatuses, c.name);
    if (!s) unknown++;
    else if (s.state.running) {
      if (!s.started) pendingInit++;
      running++;
    } else if (s.state.terminated) {
      // not counted
    } else if (s.state.waiting) {
      if (!s.lastState?.terminated) {
        pendingInit++;
        waiting++;
      }
    } else {
      pendingInit++;
      unknown++;
    }
  }
  for (const c of spec.containers ?? []) {
    const s = find(statuses, c.name);
    if (!s) unknown++;
    else if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInit > 0 && spec.restartPolicy === 'Never') return 'Failed';
  if ((pendingInit > 0 && !anyRegularStarted(spec, statuses)) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (spec.restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (spec.restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

interface Cond {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  message?: string;
}

function initializedCondition(spec: Any, initStatuses: Any[], statuses: Any[], phase: string): Cond {
  const inits: Any[] = spec.initContainers ?? [];
  if (inits.length === 0) return { type: 'Initialized', status: 'True' };
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = find(initStatuses, c.name);
    if (!s) unknown.push(c.name);
    else if (isSidecar(c) ? !s.started : !s.ready) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  if (anyRegularStarted(spec, statuses)) return { type: 'Initialized', status: 'True' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (msgs.length) return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: msgs.join(', ') };
  return { type: 'Initialized', status: 'True' };
}

function containersReadyCondition(type: string, spec: Any, initStatuses: Any[], statuses: Any[], phase: string): Cond {
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const c of spec.initContainers ?? []) {
    if (!isSidecar(c)) continue;
    const s = find(initStatuses, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  for (const c of spec.containers ?? []) {
    const s = find(statuses, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type, status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { type, status: 'False', reason: 'PodFailed' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${goList(unready)}`);
  if (msgs.length) return { type, status: 'False', reason: 'ContainersNotReady', message: msgs.join(', ') };
  return { type, status: 'True' };
}

function readyCondition(pod: KubeObject, containersReady: Cond, oldConditions: Any[]): Cond {
  if (containersReady.status !== 'True') return { ...containersReady, type: 'Ready' };
  const msgs: string[] = [];
  for (const g of pod.spec?.readinessGates ?? []) {
    const c = oldConditions.find((x: Any) => x.type === g.conditionType);
    if (!c) msgs.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') msgs.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (msgs.length) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: msgs.join(', ') };
  return { type: 'Ready', status: 'True' };
}

const KUBELET_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);

export function generatePodStatus(input: StatusInput): Any {
  const { pod, runtime } = input;
  const spec: Any = pod.spec ?? {};
  const now = input.now ?? new Date();
  const old: Any = input.oldStatus ?? {};
  const hasInit = (spec.initContainers ?? []).length > 0;
  const defaultReason = hasInit ? 'PodInitializing' : 'ContainerCreating';
  const initStatuses = (spec.initContainers ?? []).map((c: Any) => containerStatus(c, containerInstances(runtime, c.name), input, defaultReason, true));
  const statuses = (spec.containers ?? []).map((c: Any) => containerStatus(c, containerInstances(runtime, c.name), input, defaultReason, false));

  let phase = podPhase(spec, initStatuses, statuses, !!input.terminal);
  if (old.phase === 'Succeeded' || old.phase === 'Failed') phase = old.phase;

  const oldConditions: Any[] = Array.isArray(old.conditions) ? old.conditions : [];
  const conds: Cond[] = [];
  conds.push({ type: 'PodReadyToStartContainers', status: input.sandboxReady ? 'True' : 'False' });
  conds.push(initializedCondition(spec, initStatuses, statuses, phase));
  const containersReady = containersReadyCondition('ContainersReady', spec, initStatuses, statuses, phase);
  conds.push(readyCondition(pod, containersReady, oldConditions));
  conds.push(containersReady);
  conds.push({ type: 'PodScheduled', status: 'True' });
  const nowTime = kubeTime(now);
  const conditions: Any[] = oldConditions.filter((c) => !KUBELET_CONDITIONS.has(c.type));
  for (const c of conds) {
    const prev = oldConditions.find((x: Any) => x.type === c.type);
    conditions.push({
      type: c.type,
      status: c.status,
      lastProbeTime: null,
      lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : nowTime,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    });
  }

  const status: Any = { phase, conditions };
  if (old.phase === phase) {
    if (old.reason) status.reason = old.reason;
    if (old.message) status.message = old.message;
  }
  if (input.hostIPs.length) {
    status.hostIP = input.hostIPs[0];
    status.hostIPs = input.hostIPs.map((ip) => ({ ip }));
  }
  if (input.podIPs.length) {
    status.podIP = input.podIPs[0];
    status.podIPs = input.podIPs.map((ip) => ({ ip }));
  }
  status.startTime = input.startTime;
  if (initStatuses.length) status.initContainerStatuses = initStatuses;
  status.containerStatuses = statuses;
  status.qosClass = computeQosClass(pod);
  return status;
}
