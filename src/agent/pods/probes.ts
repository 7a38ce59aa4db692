// Liveness, readiness and startup probes (kubelet's prober workers): one timer loop per running container and
// probe type, honouring initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold and
// failureThreshold. Every failed try records `Unhealthy` (`Liveness probe failed: <output>`); a liveness or
// startup probe that reaches its failure threshold records `Killing` (`Container <c> failed liveness probe, will
// be restarted`) and stops the container, so the pod sync restarts it by its restartPolicy. Readiness and
// startup results feed the status (`ready`, `started`).
//
//   const probes = new ProbeManager(deps, (uid) => workers.wake(uid));
//   probes.ensure(pod, container, false, containerId, podIP);   // idempotent; starts the loops once
import type { KubeObject } from '../../api/object.ts';
import { containerRef, errMsg, podKey, type PodSyncDeps } from './deps.ts';
import type { ProbeResults } from './pod-status.ts';
import { execAction, httpGetAction, tcpAction, type ActionResult } from './probe-actions.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

type ProbeType = 'liveness' | 'readiness' | 'startup';
const TITLE: Record<ProbeType, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

interface Worker {
  uid: string;
  containerId: string;
  type: ProbeType;
  timer?: NodeJS.Timeout;
  stopped: boolean;
}

/** Runs one probe once (exec / httpGet / tcpSocket / grpc not supported → error). */
export async function runProbe(deps: PodSyncDeps, probe: Any, containerId: string, podIP: string, container: Any): Promise<ActionResult> {
  const timeout = probe.timeoutSeconds ?? 1;
  if (probe.exec) return execAction(deps.cri, containerId, probe.exec.command ?? [], timeout);
  if (probe.httpGet) return httpGetAction(probe.httpGet, podIP, timeout, container);
  if (probe.tcpSocket) return tcpAction(probe.tcpSocket, podIP, timeout, container);
  if (probe.grpc) return { result: 'error', output: 'grpc probes are not supported by this node yet' };
  return { result: 'error', output: 'missing probe handler' };
}

export class ProbeManager {
  readonly results: ProbeResults = { ready: new Map(), started: new Map() };
  readonly #deps: PodSyncDeps;
  readonly #onChange: (uid: string) => void;
  readonly #workers = new Map<string, { uid: string; list: Worker[] }>();
  #closed = false;

  constructor(deps: PodSyncDeps, onChange: (uid: string) => void) {
    this.#deps = deps;
    this.#onChange = onChange;
  }

  /** Starts the probe loops of a running container (no-op when running already or no probes). */
  ensure(pod: KubeObject, c: Any, init: boolean, containerId: string, podIP: string, startedAt: number): void {
    if (this.#closed || this.#workers.has(containerId)) return;
    const uid = pod.metadata.uid!;
    const list: Worker[] = [];
    this.#workers.set(containerId, { uid, list });
    for (const type of ['startup', 'liveness', 'readiness'] as ProbeType[]) {
      const probe = c[`${type}Probe`];
      if (!probe) continue;
      const w: Worker = { uid, containerId, type, stopped: false };
      list.push(w);
      this.#loop(w, pod, c, init, podIP, probe, startedAt);
    }
  }

  #loop(w: Worker, pod: KubeObject, c: Any, init: boolean, podIP: string, probe: Any, startedAt: number): void {
    const period = (probe.periodSeconds ?? 10) * 1000;
    const successThreshold = probe.successThreshold ?? 1;
    const failureThreshold = probe.failureThreshold ?? 3;
    const initialDelay = Math.max(0, startedAt + (probe.initialDelaySeconds ?? 0) * 1000 - Date.now());
    let successes = 0;
    let failures = 0;
    const ref = containerRef(pod, c.name, init);
    const tick = async (): Promise<void> => {
      if (w.stopped) return;
      // liveness and readiness wait for the startup probe
      if (w.type !== 'startup' && c.startupProbe && this.results.started.get(w.containerId) !== true) {
        w.timer = setTimeout(tick, Math.min(period, 1000));
        return;
      }
      let r: ActionResult;
      try {
        r = await runProbe(this.#deps, probe, w.containerId, podIP, c);
      } catch (err) {
        r = { result: 'error', output: errMsg(err) };
      }
      if (w.stopped) return;
      if (r.result === 'success') {
        failures = 0;
        successes++;
        if (successes >= (w.type === 'readiness' ? successThreshold : 1)) this.#set(w, true);
      } else {
        successes = 0;
        failures++;
        const verb = r.result === 'error' ? 'errored' : 'failed';
        this.#deps.recorder.event(ref, 'Warning', 'Unhealthy', `${TITLE[w.type]} probe ${verb}: ${r.output}`);
        if (failures >= failureThreshold) {
          if (w.type === 'readiness') this.#set(w, false);
          else if (w.type === 'liveness' || this.results.started.get(w.containerId) !== true) {
            this.#deps.recorder.event(ref, 'Normal', 'Killing', `Container ${c.name} failed ${w.type} probe, will be restarted`);
            this.#deps.log?.info('probe failed, restarting container', { pod: podKey(pod), uid: w.uid, container: c.name, probe: w.type });
            this.stopContainer(w.containerId);
            const grace = probe.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
            await this.#deps.cri.stopContainer(w.containerId, Math.max(2, grace)).catch(() => {});
            this.#onChange(w.uid);
            return;
          }
        }
      }
      if (!w.stopped) w.timer = setTimeout(tick, period);
    };
    w.timer = setTimeout(tick, initialDelay);
  }

  #set(w: Worker, value: boolean): void {
    const map = w.type === 'startup' ? this.results.started : w.type === 'readiness' ? this.results.ready : undefined;
    if (!map || map.get(w.containerId) === value) return;
    map.set(w.containerId, value);
    this.#onChange(w.uid);
  }

  stopContainer(containerId: string): void {
    if (!this.#workers.has(containerId) && !this.results.ready.has(containerId) && !this.results.started.has(containerId)) return;
    for (const w of this.#workers.get(containerId)?.list ?? []) {
      w.stopped = true;
      clearTimeout(w.timer);
    }
    this.#workers.delete(containerId);
    this.results.ready.delete(containerId);
    this.results.started.delete(containerId);
  }

  stopPod(uid: string): void {
    for (const [id, e] of this.#workers) if (e.uid === uid) this.stopContainer(id);
  }

  /** Containers with probe loops (for tests). */
  running(): string[] {
    return [...this.#workers.keys()];
  }

  close(): void {
    this.#closed = true;
    for (const id of [...this.#workers.keys()]) this.stopContainer(id);
  }
}
