// One sync pass over one pod (kubelet's SyncPod / SyncTerminatingPod): read what the runtime has, then
//   deleted?      → kill containers with the grace period, final status, clean up, confirm the delete;
//   terminal?     → nothing restarts; the sandbox is stopped;
//   otherwise     → volumes → sandbox (re-created with attempt+1 when it died) → init containers in order
//                   (sidecars keep running) → app containers, each started, left alone, or restarted by
//                   restartPolicy with CrashLoopBackOff;
// and finally the status, written only when it changed. The pass returns when it wants to run again
// (back-off expiry, retries); container exits wake it through the runtime poller.
//
//   const outcome = await syncPod(ctx, state);   // → { wakeInMs: 10000 } | { done: true } | {}
import { rmSync } from 'node:fs';
import type { KubeObject } from '../../api/object.ts';
import type { PodSandboxConfig } from '../../cri/cri-types.ts';
import type { Backoff } from './backoff.ts';
import { createContainer } from './container-create.ts';
import { startContainer } from './container-start.ts';
import { containerRef, errMsg, formatPod, msSince, podKey, podLogDir, podRef, type PodSyncDeps } from './deps.ts';
import { goDuration } from './go-duration.ts';
import type { ImagePuller } from './image-pull.ts';
import { cleanUpPod, gracePeriodSeconds, killContainers, stopSandboxes } from './pod-kill.ts';
import { generatePodStatus, isSidecar, kubeTime, type WaitingReason } from './pod-status.ts';
import type { ProbeManager } from './probes.ts';
import { containerInstances, latestContainer, readRuntimePod, type ContainerStatusCache, type RuntimeContainer, type RuntimePod } from './runtime-pod.ts';
import { buildSandboxConfig } from './sandbox-config.ts';
import { runSandbox } from './sandbox-run.ts';
import { setUpVolumes } from './volumes.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** Node-wide helpers shared by every pod's sync. */
export interface SyncContext {
  deps: PodSyncDeps;
  puller: ImagePuller;
  crashBackoff: Backoff;
  statusCache: ContainerStatusCache;
  probes: ProbeManager;
}

export interface PodSandboxRef {
  id: string;
  config: PodSandboxConfig;
  ips: string[];
}

/** What a pod's worker remembers between passes. */
export interface PodState {
  uid: string;
  pod: KubeObject;
  sandbox?: PodSandboxRef;
  /** The status last written (JSON, for change detection). */
  lastStatus?: Any;
  lastStatusJson?: string;
  startTime?: string;
  /** The pod is gone from the API: kill and clean up without confirming a delete. */
  removed?: boolean;
  /** Timings of the last pass that started something (ms), for logs and benchmarks. */
  timings?: Record<string, number>;
  /** Sandboxes already stopped by us (so dead ones are stopped once). */
  stoppedSandboxes?: Set<string>;
  /** The runtime cannot have anything for this pod yet (new uid, not seen by the poller): skip the first read. */
  fresh?: boolean;
}

export interface SyncOutcome {
  /** Run again after this many ms (unless woken earlier). */
  wakeInMs?: number;
  /** The pod is gone and cleaned up: drop the worker. */
  done?: boolean;
}

const isTerminalPhase = (p: unknown) => p === 'Succeeded' || p === 'Failed';
const VOLUME_RETRY_MS = 10_000;
const CREATE_RETRY_MS = 10_000;

/** Restart an exited container? (restartPolicy Always, or OnFailure with a non-zero exit.) */
export function shouldRestart(policy: string, c: RuntimeContainer): boolean {
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return c.exitCode !== 0;
  return false;
}

class Pass {
  readonly ctx: SyncContext;
  readonly st: PodState;
  readonly pod: KubeObject;
  readonly waiting = new Map<string, WaitingReason>();
  wake = Infinity;
  /** Something other than starting containers happened (kills, a new sandbox): re-read the runtime. */
  acted = false;
  /** Containers started in this pass (their status is fetched alone, not with a full re-read). */
  readonly started: { id: string; sandboxId: string; name: string }[] = [];

  constructor(ctx: SyncContext, st: PodState) {
    this.ctx = ctx;
    this.st = st;
    this.pod = st.pod;
  }

  get deps(): PodSyncDeps {
    return this.ctx.deps;
  }

  wakeIn(ms: number): void {
    this.wake = Math.min(this.wake, Math.max(100, ms));
  }

  /** Starts (or restarts) container c unless it is in CrashLoopBackOff; resolves to the new id when running. */
  async startOrBackoff(c: Any, init: boolean, cur: RuntimeContainer | undefined, rt: RuntimePod, sb: PodSandboxRef, sameSandbox = true): Promise<string | undefined> {
    const { deps, pod } = this;
    if (cur && cur.state !== 'CONTAINER_RUNNING' && sameSandbox) {
      const key = `${pod.metadata.uid}/${c.name}`;
      const ts = cur.finishedAt || cur.createdAt || Date.now();
      if (this.ctx.crashBackoff.isInBackOffSince(key, ts)) {
        const delay = goDuration(this.ctx.crashBackoff.get(key));
        deps.recorder.event(containerRef(pod, c.name, init), 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${formatPod(pod)}`);
        this.waiting.set(c.name, { reason: 'CrashLoopBackOff', message: `back-off ${delay} restarting failed container=${c.name} pod=${formatPod(pod)}` });
        this.wakeIn(this.ctx.crashBackoff.remaining(key, ts));
        return undefined;
      }
      this.ctx.crashBackoff.next(key, ts);
    }
    const restartCount = cur ? cur.restartCount + 1 : 0;
    const t0 = performance.now();
    const img = await this.ctx.puller.ensure(pod, c, init, sb.config);
    if (!img.ok && img.pending) return undefined; // pulling: the puller wakes the pod when done
    if (!img.ok) {
      this.waiting.set(c.name, { reason: img.reason, message: img.message });
      this.wakeIn(img.retryInMs ?? CREATE_RETRY_MS);
      return undefined;
    }
    const volumes = setUpVolumes(deps, pod).paths;
    const created = await createContainer(deps, pod, c, {
      init, restartCount, sandboxId: sb.id, sandboxConfig: sb.config, podIPs: sb.ips, hostIPs: deps.hostIP ? [deps.hostIP] : [],
      image: img.imageId, imageUid: img.uid, volumes,
    });
    if (!created.ok) {
      this.waiting.set(c.name, { reason: created.reason, message: created.message });
      this.wakeIn(CREATE_RETRY_MS);
      return undefined;
    }
    const started = await startContainer(deps, pod, c, init, created.id, sb.ips[0] ?? '');
    if (!started.ok) {
      this.waiting.set(c.name, { reason: started.reason, message: started.message });
      return undefined;
    }
    this.started.push({ id: created.id, sandboxId: sb.id, name: c.name });
    this.ctx.probes.ensure(pod, c, init, created.id, sb.ips[0] ?? '', Date.now());
    (this.st.timings ??= {})[`start ${c.name}`] = msSince(t0);
    // keep the previous instance (logs --previous, lastState); older dead ones go
    if (cur) {
      for (const old of containerInstances(rt, c.name)) {
        if (old.id === cur.id || old.state === 'CONTAINER_RUNNING') continue;
        this.ctx.statusCache.forget([old.id]);
        deps.cri.removeContainer(old.id).catch(() => {});
      }
    }
    return created.id;
  }
}

async function ensureSandbox(pass: Pass, rt: RuntimePod): Promise<PodSandboxRef | undefined> {
  const { ctx, st, pod } = pass;
  const { deps } = ctx;
  const sb = rt.sandboxes[0];
  if (sb && sb.state === 'SANDBOX_READY') {
    if (st.sandbox?.id === sb.id) return st.sandbox;
    const status = await deps.cri.podSandboxStatus(sb.id);
    const net = status.status?.network;
    st.sandbox = { id: sb.id, config: buildSandboxConfig(deps, pod, sb.metadata?.attempt ?? 0), ips: net?.ip ? [net.ip, ...net.additional_ips.map((a) => a.ip)] : [] };
    return st.sandbox;
  }
  if (sb) {
    // the sandbox died: kubelet kills the pod's containers and makes a new sandbox (not for Never pods that ran)
    if (pod.spec?.restartPolicy === 'Never' && rt.containers.length > 0) return undefined;
    deps.recorder.event(podRef(pod), 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
    await killContainers(ctx, pod, rt, 2);
    await stopSandboxes(deps, rt, (st.stoppedSandboxes ??= new Set()));
  }
  const attempt = sb ? (sb.metadata?.attempt ?? 0) + 1 : 0;
  if (sb) pass.acted = true;
  try {
    const run = await runSandbox(deps, pod, attempt);
    st.sandbox = { id: run.id, config: run.config, ips: run.ips };
    const m = run.config.metadata;
    rt.sandboxes.unshift({ id: run.id, metadata: { name: m.name, uid: m.uid, namespace: m.namespace, attempt }, state: 'SANDBOX_READY', created_at: Date.now() * 1e6, labels: run.config.labels ?? {}, annotations: run.config.annotations ?? {}, runtime_handler: '' });
    (st.timings ??= {}).sandbox = run.ms;
    return st.sandbox;
  } catch (err) {
    deps.recorder.event(podRef(pod), 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${errMsg(err)}`);
    throw err;
  }
}

/** JSON with object keys sorted: equal for equal statuses whatever order their fields came in. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}

async function writeStatus(ctx: SyncContext, st: PodState, status: Any): Promise<boolean> {
  const json = canonicalJson(status);
  // a new worker (agent restart) compares with what the API has
  st.lastStatusJson ??= st.pod.status ? canonicalJson(st.pod.status) : undefined;
  if (json === st.lastStatusJson) {
    st.lastStatus ??= status;
    return true;
  }
  try {
    await ctx.deps.client.patchPodStatus(st.pod.metadata.namespace ?? 'default', st.pod.metadata.name ?? '', status);
    st.lastStatus = status;
    st.lastStatusJson = json;
    return true;
  } catch (err) {
    ctx.deps.log?.warn('pod status patch failed', { pod: podKey(st.pod), uid: st.uid, error: errMsg(err) });
    return false;
  }
}

function buildStatus(ctx: SyncContext, st: PodState, rt: RuntimePod, waiting: Map<string, WaitingReason>, terminal = false): Any {
  const sb = rt.sandboxes[0];
  const sandboxReady = !terminal && !!sb && sb.state === 'SANDBOX_READY' && st.sandbox?.id === sb.id && (st.pod.spec?.hostNetwork === true || (st.sandbox?.ips.length ?? 0) > 0);
  const podIPs = st.sandbox?.ips ?? [];
  return generatePodStatus({
    pod: st.pod,
    runtime: rt,
    sandboxReady,
    podIPs: st.pod.spec?.hostNetwork && ctx.deps.hostIP ? [ctx.deps.hostIP] : podIPs,
    hostIPs: ctx.deps.hostIP ? [ctx.deps.hostIP] : [],
    waiting,
    probes: ctx.probes.results,
    oldStatus: st.lastStatus ?? st.pod.status ?? {},
    startTime: st.startTime!,
    terminal,
  });
}

/** Kills the pod, writes its final status, frees its node resources and (unless removed) confirms the delete. */
async function terminatePod(ctx: SyncContext, st: PodState): Promise<void> {
  const { deps } = ctx;
  const pod = st.pod;
  const t0 = performance.now();
  const rt = await readRuntimePod(deps.cri, st.uid, ctx.statusCache);
  const grace = st.removed ? Math.min(2, gracePeriodSeconds(pod)) : gracePeriodSeconds(pod);
  await killContainers(ctx, pod, rt, grace, st.sandbox?.ips[0] ?? '');
  ctx.probes.stopPod(st.uid);
  if (!st.removed && pod.metadata.name) {
    const after = await readRuntimePod(deps.cri, st.uid, ctx.statusCache);
    st.startTime ??= pod.status?.startTime ?? kubeTime(Date.now());
    await writeStatus(ctx, st, buildStatus(ctx, st, after, new Map(), true));
  }
  await cleanUpPod(deps, st.uid);
  if (pod.metadata.name) rmSync(podLogDir(deps, pod), { recursive: true, force: true });
  ctx.puller.forget(st.uid);
  ctx.crashBackoff.resetPrefix(`${st.uid}/`);
  ctx.statusCache.forget(rt.containers.map((c) => c.id));
  if (!st.removed && pod.metadata.name) await deps.client.deletePod(pod.metadata.namespace ?? 'default', pod.metadata.name, st.uid);
  deps.log?.info('pod terminated', { pod: podKey(pod), uid: st.uid, grace, removed: !!st.removed, ms: msSince(t0) });
}

/** rt plus the containers just started (one ContainerStatus each instead of a full re-read). */
async function withStarted(ctx: SyncContext, uid: string, rt: RuntimePod, started: { id: string; sandboxId: string; name: string }[]): Promise<RuntimePod> {
  const fresh = await Promise.all(started.map((s) => ctx.statusCache.get(ctx.deps.cri, {
    id: s.id, pod_sandbox_id: s.sandboxId, metadata: null, image: null, image_ref: '', state: 'CONTAINER_RUNNING', created_at: 0, labels: {}, annotations: {}, image_id: '',
  }, uid)));
  const containers = [...fresh.filter((c): c is RuntimeContainer => !!c), ...rt.containers.filter((c) => !started.some((s) => s.id === c.id))];
  containers.sort((a, b) => b.restartCount - a.restartCount || b.createdAt - a.createdAt);
  return { sandboxes: rt.sandboxes, containers };
}

export async function syncPod(ctx: SyncContext, st: PodState): Promise<SyncOutcome> {
  const { deps } = ctx;
  const pod = st.pod;
  if (st.removed || pod.metadata.deletionTimestamp) {
    await terminatePod(ctx, st);
    return { done: true };
  }
  const pass = new Pass(ctx, st);
  const spec: Any = pod.spec ?? {};
  st.startTime ??= pod.status?.startTime ?? kubeTime(Date.now());
  let rt: RuntimePod = st.fresh ? { sandboxes: [], containers: [] } : await readRuntimePod(deps.cri, st.uid, ctx.statusCache);
  st.fresh = false;
  for (const c of rt.containers) if (c.state !== 'CONTAINER_RUNNING') ctx.probes.stopContainer(c.id); // no probes on dead containers
  const oldPhase = (st.lastStatus ?? pod.status ?? {}).phase;

  if (isTerminalPhase(oldPhase)) {
    // finished: nothing restarts; free the IP, keep containers (logs) until the pod is deleted
    if (rt.containers.some((c) => c.state === 'CONTAINER_RUNNING')) await killContainers(ctx, pod, rt, gracePeriodSeconds(pod));
    ctx.probes.stopPod(st.uid);
    await stopSandboxes(deps, rt, (st.stoppedSandboxes ??= new Set()));
    return {};
  }

  const vols = setUpVolumes(deps, pod);
  if (vols.failures.length) {
    for (const f of vols.failures) deps.recorder.event(podRef(pod), 'Warning', 'FailedMount', f.message);
    await writeStatus(ctx, st, buildStatus(ctx, st, rt, pass.waiting));
    return { wakeInMs: VOLUME_RETRY_MS };
  }

  const sb = await ensureSandbox(pass, rt);
  if (sb) {
    const policy: string = spec.restartPolicy ?? 'Always';
    const appStarted = (spec.containers ?? []).some((c: Any) => latestContainer(rt, c.name));
    // every app container exited for good (OnFailure/Never): sidecars are stopped, not restarted
    const appsDone = policy !== 'Always' && (spec.containers ?? []).every((c: Any) => {
      const cur = latestContainer(rt, c.name);
      return cur?.state === 'CONTAINER_EXITED' && !shouldRestart(policy, cur);
    });
    if (appsDone) {
      const sidecars = rt.containers.filter((x) => x.state === 'CONTAINER_RUNNING' && (spec.initContainers ?? []).some((c: Any) => c.name === x.name && isSidecar(c)));
      if (sidecars.length) {
        await killContainers(ctx, pod, { sandboxes: [], containers: sidecars }, gracePeriodSeconds(pod));
        pass.acted = true;
      }
    }
    let initDone = true;
    for (const c of appsDone ? [] : spec.initContainers ?? []) {
      const cur = latestContainer(rt, c.name);
      if (isSidecar(c)) {
        let id = cur?.state === 'CONTAINER_RUNNING' ? cur.id : undefined;
        if (id) ctx.probes.ensure(pod, c, true, id, sb.ips[0] ?? '', cur!.startedAt);
        else id = await pass.startOrBackoff(c, true, cur, rt, sb);
        const started = !!id && (!c.startupProbe || ctx.probes.results.started.get(id) === true);
        if (!appStarted && !started) {
          initDone = false;
          break;
        }
        continue;
      }
      if (appStarted) continue;
      const sameSandbox = cur?.sandboxId === sb.id;
      if (cur && sameSandbox && cur.state === 'CONTAINER_EXITED' && cur.exitCode === 0) continue;
      initDone = false;
      if (cur && sameSandbox && cur.state === 'CONTAINER_RUNNING') break;
      if (cur && sameSandbox && cur.state === 'CONTAINER_EXITED' && spec.restartPolicy === 'Never') break; // the pod failed
      await pass.startOrBackoff(c, true, cur, rt, sb, sameSandbox);
      break;
    }
    if (initDone && !appsDone) {
      await Promise.all((spec.containers ?? []).map(async (c: Any) => {
        const cur = latestContainer(rt, c.name);
        if (cur?.state === 'CONTAINER_RUNNING' && cur.specImage && cur.specImage !== c.image) {
          // the image changed: kubelet's container hash differs → kill and start the new spec now
          await killContainers(ctx, pod, { sandboxes: [], containers: [cur] }, gracePeriodSeconds({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: undefined } }), sb.ips[0] ?? '',
            () => `Container ${c.name} definition changed, will be restarted`);
          pass.acted = true;
          await pass.startOrBackoff(c, false, { ...cur, state: 'CONTAINER_EXITED' }, rt, sb, false);
          return;
        }
        if (cur?.state === 'CONTAINER_RUNNING') {
          if (cur.sandboxId === sb.id) {
            ctx.probes.ensure(pod, c, false, cur.id, sb.ips[0] ?? '', cur.startedAt);
            return;
          }
          await killContainers(ctx, { ...pod, spec: { ...spec, containers: [c], initContainers: [] } }, { sandboxes: [], containers: [cur] }, 2);
          pass.acted = true;
          return;
        }
        if (!cur) {
          await pass.startOrBackoff(c, false, undefined, rt, sb);
          return;
        }
        if (cur.state === 'CONTAINER_EXITED' && !shouldRestart(policy, cur)) return;
        await pass.startOrBackoff(c, false, cur, rt, sb, cur.sandboxId === sb.id);
      }));
    }
  }

  if (pass.acted) rt = await readRuntimePod(deps.cri, st.uid, ctx.statusCache);
  else if (pass.started.length) rt = await withStarted(ctx, st.uid, rt, pass.started);
  if (pass.started.length) deps.log?.info('pod containers started', { pod: podKey(pod), uid: st.uid, started: pass.started.map((s) => s.name), timings: st.timings });
  const status = buildStatus(ctx, st, rt, pass.waiting);
  const ok = await writeStatus(ctx, st, status);
  if (!ok) pass.wakeIn(5000);
  if (isTerminalPhase(status.phase)) {
    ctx.probes.stopPod(st.uid);
    await stopSandboxes(deps, rt, (st.stoppedSandboxes ??= new Set()));
  }
  return pass.wake === Infinity ? {} : { wakeInMs: pass.wake };
}

