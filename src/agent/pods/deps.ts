// What the pod sync needs from its surroundings (one object, passed down to every step), plus the small
// naming helpers every step shares: the labels we put on CRI objects, kubelet's `format.Pod`, event refs.
import type { KubeObject } from '../../api/object.ts';
import type { Logger } from '../../apiserver/log.ts';
import type { CriClient } from '../../cri/cri-client.ts';
import type { AgentApi, EventObjectRef, EventRecorder } from '../agent-api.ts';

export interface PodSyncDeps {
  cri: CriClient;
  nodeName: string;
  /** The agent's data dir: pod volumes live under `<dataDir>/pods/<uid>/volumes`. */
  dataDir: string;
  podCidr: string;
  client: AgentApi;
  recorder: EventRecorder;
  /** Container logs: `<logDir>/<ns>_<name>_<uid>/<container>/<restartCount>.log`. */
  logDir: string;
  /** cgroupfs parent of all pod cgroups (each pod gets `<cgroupParent>/pod<uid>`); default `/k8ts`. */
  cgroupParent?: string;
  hostIP?: string;
  /** Optional structured log; silent when absent. */
  log?: Logger;
  /** Deadline of one PullImage call (default 2 min): a pull that cannot reach its registry fails as ErrImagePull. */
  pullTimeoutMs?: number;
  /** ListContainers poll period for exit detection (default 1000 ms). */
  pollIntervalMs?: number;
}

export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
export const ANNOTATION_RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const ANNOTATION_TERMINATION_MESSAGE_PATH = 'io.kubernetes.container.terminationMessagePath';
export const ANNOTATION_TERMINATION_MESSAGE_POLICY = 'io.kubernetes.container.terminationMessagePolicy';
export const ANNOTATION_GRACE_PERIOD = 'io.kubernetes.pod.terminationGracePeriod';
/** The image the container spec asked for (a changed image restarts the container, as kubelet's hash does). */
export const ANNOTATION_SPEC_IMAGE = 'io.k8ts.container.image';
/** Marks an init container as a restartable sidecar (restartPolicy Always). */
export const LABEL_CONTAINER_TYPE = 'io.k8ts.container.type';

/** kubelet's format.Pod: `<name>_<namespace>(<uid>)`. */
export function formatPod(pod: KubeObject): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

/** `ns/name` for log lines. */
export function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

/** The event object for the pod, or for one of its containers (fieldPath `spec.containers{c}`). */
export function podRef(pod: KubeObject, fieldPath?: string): EventObjectRef {
  const ref: EventObjectRef = { kind: 'Pod', apiVersion: 'v1', namespace: pod.metadata.namespace, name: pod.metadata.name ?? '', uid: pod.metadata.uid };
  if (fieldPath) ref.fieldPath = fieldPath;
  return ref;
}

export function containerRef(pod: KubeObject, containerName: string, init: boolean): EventObjectRef {
  return podRef(pod, `${init ? 'spec.initContainers' : 'spec.containers'}{${containerName}}`);
}

export function podCgroupParent(deps: Pick<PodSyncDeps, 'cgroupParent'>, uid: string): string {
  const parent = (deps.cgroupParent ?? '/k8ts').replace(/\/+$/, '');
  return `${parent}/pod${uid}`;
}

export function podLogDir(deps: Pick<PodSyncDeps, 'logDir'>, pod: KubeObject): string {
  return `${deps.logDir}/${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`;
}

export function podDir(deps: Pick<PodSyncDeps, 'dataDir'>, uid: string): string {
  return `${deps.dataDir}/pods/${uid}`;
}

/** Milliseconds since `t0` (performance.now()), rounded, for timing log fields. */
export const msSince = (t0: number): number => Math.round(performance.now() - t0);

/** Error message of anything thrown. */
export const errMsg = (err: unknown): string => (err instanceof Error ? err.message : String(err));
