// The agent's pod workers (kubelet's podWorkers): one serialized worker per pod uid. `sync` hands a worker the
// newest pod object and wakes it; a worker runs sync passes (pod-sync.ts) one at a time — a wake during a pass
// runs another pass right after it, with the latest spec — and sleeps until a timer (back-off, retry), a probe
// result or a runtime change (runtime-poller.ts) wakes it again.
//
//   const workers = new PodWorkers({ cri, nodeName, dataDir, podCidr, client, recorder, logDir, cgroupParent, hostIP });
//   await workers.adoptExisting(podsBoundHere);       // on agent start
//   watch → workers.sync(pod) on ADDED/MODIFIED, workers.remove(uid) on DELETED
//   await workers.stop();                            // containers keep running
import type { KubeObject } from '../../api/object.ts';
import { adoptExisting } from './adopt.ts';
import { Backoff } from './backoff.ts';
import { terminationMessageFile } from './container-config.ts';
import { errMsg, podKey, type PodSyncDeps } from './deps.ts';
import { ImagePuller } from './image-pull.ts';
import { cleanUpPod } from './pod-kill.ts';
import { syncPod, type PodState, type SyncContext } from './pod-sync.ts';
import { ProbeManager } from './probes.ts';
import { ContainerStatusCache } from './runtime-pod.ts';
import { RuntimePoller } from './runtime-poller.ts';

export type { PodSyncDeps } from './deps.ts';

interface Worker {
  st: PodState;
  running?: Promise<void>;
  again: boolean;
  timer?: NodeJS.Timeout;
  errors: number;
}

const MAX_DONE = 4096;

export class PodWorkers {
  readonly #deps: PodSyncDeps;
  readonly #ctx: SyncContext;
  readonly #workers = new Map<string, Worker>();
  /** uids whose pods were terminated and cleaned up: later events for them are ignored. */
  readonly #done = new Set<string>();
  readonly #poller: RuntimePoller;
  readonly #cleanups = new Set<Promise<void>>();
  #stopped = false;

  constructor(deps: PodSyncDeps) {
    this.#deps = deps;
    const statusCache = new ContainerStatusCache();
    statusCache.terminationFile = (c, uid) => terminationMessageFile(deps, uid, c.name, c.restartCount);
    this.#ctx = {
      deps,
      puller: new ImagePuller(deps, (uid) => this.wake(uid)),
      crashBackoff: new Backoff(10_000, 300_000),
      statusCache,
      probes: new ProbeManager(deps, (uid) => this.wake(uid)),
    };
    this.#poller = new RuntimePoller(deps.cri, deps.pollIntervalMs ?? 1000, (uids) => {
      for (const uid of uids) this.wake(uid);
    }, (err) => deps.log?.warn('runtime poll failed', { error: errMsg(err) }));
    this.#poller.start();
  }

  /** The shared sync context (tests, adoption). */
  get context(): SyncContext {
    return this.#ctx;
  }

  /** A pod bound to this node was added or changed: its worker syncs it (latest spec wins). */
  sync(pod: KubeObject): void {
    this.#sync(pod, true);
  }

  #sync(pod: KubeObject, mayBeFresh: boolean): void {
    const uid = pod.metadata.uid;
    if (!uid || this.#stopped || this.#done.has(uid)) return;
    let w = this.#workers.get(uid);
    if (!w) {
      // a uid the runtime has never had (the poller has run and not seen it): the first pass skips reading the runtime
      const fresh = mayBeFresh && this.#poller.polled && !this.#poller.known(uid) && !pod.status?.containerStatuses?.length;
      w = { st: { uid, pod, fresh }, again: false, errors: 0 };
      this.#workers.set(uid, w);
    }
    if (w.st.removed) return;
    w.st.pod = pod;
    this.#wake(w);
  }

  /** The pod is gone from the API: kill its containers and clean up (no delete call). */
  remove(uid: string): void {
    if (this.#stopped) return;
    const w = this.#workers.get(uid);
    if (w) {
      w.st.removed = true;
      this.#wake(w);
      return;
    }
    if (this.#done.has(uid)) return;
    // never synced (or already finished): remove whatever the runtime still has for it
    const p = cleanUpPod(this.#deps, uid)
      .catch((err) => this.#deps.log?.warn('pod cleanup failed', { uid, error: errMsg(err) }))
      .finally(() => this.#cleanups.delete(p));
    this.#cleanups.add(p);
  }

  /** Wakes the worker of uid (runtime change, probe result). */
  wake(uid: string): void {
    const w = this.#workers.get(uid);
    if (w) this.#wake(w);
  }

  /** On agent start: keep the pods in `pods` running as they are, remove every other pod sandbox. */
  async adoptExisting(pods: KubeObject[]): Promise<void> {
    await adoptExisting(this.#deps, pods, (pod) => this.#sync(pod, false));
    await this.idle();
  }

  /** Resolves when no worker is in a pass (tests). */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [...this.#workers.values()].map((w) => w.running).filter(Boolean);
      if (!busy.length && !this.#cleanups.size) return;
      await Promise.all([...busy, ...this.#cleanups]);
    }
  }

  /** The state of a pod's worker (tests, debugging). */
  state(uid: string): PodState | undefined {
    return this.#workers.get(uid)?.st;
  }

  /** Stops the loops (poller, timers, probes) and waits for running passes; containers keep running. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#poller.stop();
    this.#ctx.probes.close();
    for (const w of this.#workers.values()) clearTimeout(w.timer);
    await Promise.allSettled([...[...this.#workers.values()].map((w) => w.running), ...this.#cleanups]);
  }

  #wake(w: Worker): void {
    if (this.#stopped) return;
    if (w.running) {
      w.again = true;
      return;
    }
    clearTimeout(w.timer);
    w.timer = undefined;
    w.running = this.#run(w).finally(() => {
      w.running = undefined;
    });
  }

  async #run(w: Worker): Promise<void> {
    do {
      w.again = false;
      let wakeInMs: number | undefined;
      try {
        const out = await syncPod(this.#ctx, w.st);
        w.errors = 0;
        if (out.done) {
          this.#workers.delete(w.st.uid);
          this.#done.add(w.st.uid);
          if (this.#done.size > MAX_DONE) this.#done.delete(this.#done.values().next().value!);
          return;
        }
        wakeInMs = out.wakeInMs;
      } catch (err) {
        w.errors++;
        wakeInMs = Math.min(1000 * 2 ** Math.min(w.errors, 5), 30_000);
        this.#deps.log?.warn('pod sync failed', { pod: podKey(w.st.pod), uid: w.st.uid, error: errMsg(err), retryInMs: wakeInMs });
      }
      if (this.#stopped) return;
      if (!w.again && wakeInMs !== undefined) {
        clearTimeout(w.timer);
        w.timer = setTimeout(() => this.#wake(w), wakeInMs);
      }
    } while (w.again && !this.#stopped);
  }
}
