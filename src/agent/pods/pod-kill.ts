// Stopping a pod, as kubelet's killPod + pod cleanup: `Killing` events, preStop hooks, StopContainer with the
// grace period (the runtime sends SIGTERM, then SIGKILL when it runs out) — app containers together, then
// sidecars in reverse order — and then the pod's node resources: sandboxes (StopPodSandbox releases the CNI
// lease, RemovePodSandbox the rest), the pod dir (volumes, tmpfs mounts), the log dir and the pod cgroup.
//
//   await killContainers(ctx, pod, runtime, gracePeriodSeconds(pod));
//   await cleanUpPod(deps, uid);
import { rmSync } from 'node:fs';
import type { KubeObject } from '../../api/object.ts';
import { removeCgroup } from '../../cri/cgroups.ts';
import { isCriNotFound } from '../../cri/cri-client.ts';
import { containerRef, errMsg, LABEL_POD_UID, msSince, podCgroupParent, type PodSyncDeps } from './deps.ts';
import { runHook } from './hooks.ts';
import type { ProbeManager } from './probes.ts';
import type { RuntimeContainer, RuntimePod } from './runtime-pod.ts';
import { isSidecar } from './pod-status.ts';
import { cleanUpPodDir } from './volumes.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** kubelet never gives a container less than this (killContainer's minimumGracePeriodInSeconds). */
export const MIN_GRACE_SECONDS = 2;

/**
 * Grace for a pod being deleted: deletionGracePeriodSeconds (else terminationGracePeriodSeconds), cut to what is
 * left until deletionTimestamp when the agent learns of the deletion late (e.g. after a restart).
 */
export function gracePeriodSeconds(pod: KubeObject, now = Date.now()): number {
  const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  const ts = pod.metadata.deletionTimestamp ? Date.parse(pod.metadata.deletionTimestamp) : NaN;
  if (Number.isFinite(ts)) {
    const remaining = Math.ceil((ts - now) / 1000);
    // deletionTimestamp has second precision: only trust it when clearly late
    if (remaining < grace - 1) return Math.max(0, remaining);
  }
  return grace;
}

export interface KillContext {
  deps: PodSyncDeps;
  probes?: ProbeManager;
}

async function killOne(ctx: KillContext, pod: KubeObject, spec: Any, init: boolean, c: RuntimeContainer, grace: number, podIP: string, message?: string): Promise<void> {
  const { deps } = ctx;
  const t0 = performance.now();
  ctx.probes?.stopContainer(c.id);
  if (spec) deps.recorder.event(containerRef(pod, spec.name, init), 'Normal', 'Killing', message ?? `Stopping container ${spec.name}`);
  let left = grace;
  const preStop = spec?.lifecycle?.preStop;
  if (preStop && c.state === 'CONTAINER_RUNNING' && grace > 0) {
    const err = await Promise.race([
      runHook(deps, preStop, c.id, podIP, grace, { pod, container: spec }),
      new Promise<string>((r) => setTimeout(() => r(`PreStopHook timed out after ${grace}s`), grace * 1000).unref()),
    ]);
    if (err) deps.recorder.event(containerRef(pod, spec.name, init), 'Warning', 'FailedPreStopHook', err);
    left = grace - Math.floor((performance.now() - t0) / 1000);
  }
  const timeout = grace <= 0 ? 0 : Math.max(MIN_GRACE_SECONDS, left);
  try {
    await deps.cri.stopContainer(c.id, timeout);
  } catch (err) {
    if (!isCriNotFound(err)) throw new Error(`stop container ${c.name} (${c.id}) of pod ${pod.metadata.namespace}/${pod.metadata.name}: ${errMsg(err)}`, { cause: err });
  }
  deps.log?.debug('container stopped', { pod: `${pod.metadata.namespace}/${pod.metadata.name}`, uid: pod.metadata.uid, container: c.name, id: c.id, grace: timeout, ms: msSince(t0) });
}

/**
 * Stops every running (or created) container of the pod: app containers and regular init containers together,
 * then sidecars one by one in reverse order.
 */
export async function killContainers(ctx: KillContext, pod: KubeObject, rt: RuntimePod, grace: number, podIP = '', message?: (name: string) => string | undefined): Promise<void> {
  const spec: Any = pod.spec ?? {};
  const live = rt.containers.filter((c) => c.state === 'CONTAINER_RUNNING' || c.state === 'CONTAINER_CREATED' || c.state === 'CONTAINER_UNKNOWN');
  const specOf = (name: string): { s: Any; init: boolean } => {
    const app = (spec.containers ?? []).find((x: Any) => x.name === name);
    if (app) return { s: app, init: false };
    return { s: (spec.initContainers ?? []).find((x: Any) => x.name === name), init: true };
  };
  const sidecarOrder: string[] = (spec.initContainers ?? []).filter(isSidecar).map((x: Any) => x.name).reverse();
  const first = live.filter((c) => !sidecarOrder.includes(c.name));
  await Promise.all(first.map((c) => {
    const { s, init } = specOf(c.name);
    return killOne(ctx, pod, s, init, c, grace, podIP, message?.(c.name));
  }));
  for (const name of sidecarOrder) {
    for (const c of live.filter((x) => x.name === name)) {
      const { s } = specOf(c.name);
      await killOne(ctx, pod, s, true, c, grace, podIP, message?.(c.name));
    }
  }
}

/**
 * Removes what the pod holds on the node: sandboxes (and with them containers, netns, CNI lease), the pod
 * dir (volumes; tmpfs unmounted first), the log dir and the pod cgroup. Idempotent.
 */
export async function cleanUpPod(deps: PodSyncDeps, uid: string): Promise<void> {
  const problems: string[] = [];
  const sandboxes = await deps.cri.listPodSandbox({ label_selector: { [LABEL_POD_UID]: uid } });
  const logDirs = new Set<string>();
  for (const sb of sandboxes) {
    if (sb.metadata) logDirs.add(`${deps.logDir}/${sb.metadata.namespace}_${sb.metadata.name}_${uid}`);
    try {
      await deps.cri.stopPodSandbox(sb.id);
      await deps.cri.removePodSandbox(sb.id);
    } catch (err) {
      if (!isCriNotFound(err)) problems.push(`sandbox ${sb.id}: ${errMsg(err)}`);
    }
  }
  try {
    cleanUpPodDir(deps, uid);
  } catch (err) {
    problems.push(`pod dir: ${errMsg(err)}`);
  }
  for (const dir of logDirs) rmSync(dir, { recursive: true, force: true });
  try {
    await removeCgroup(podCgroupParent(deps, uid), 5000);
  } catch (err) {
    problems.push(`cgroup: ${errMsg(err)}`);
  }
  if (problems.length) throw new Error(`clean up pod ${uid}: ${problems.join('; ')}`);
}

/**
 * Stops (does not remove) sandboxes of a pod: a finished pod keeps its containers for logs but frees its IP.
 * Dead (NOTREADY) sandboxes are stopped too — that is what tears down their network (CNI DEL) — once each,
 * remembered in `done`.
 */
export async function stopSandboxes(deps: PodSyncDeps, rt: RuntimePod, done?: Set<string>): Promise<void> {
  for (const sb of rt.sandboxes) {
    if (sb.state !== 'SANDBOX_READY' && done?.has(sb.id)) continue;
    await deps.cri.stopPodSandbox(sb.id).catch((err) => {
      if (!isCriNotFound(err)) throw err;
    });
    done?.add(sb.id);
  }
}
