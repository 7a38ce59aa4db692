/**
 * The scheduler loop (kube-scheduler's scheduleOne, in one process, over the same client interface as everything
 * else): informers over nodes and all pods feed the cache (bound pods per node) and the queue (pods with no
 * nodeName, schedulerName default-scheduler, not being deleted, not gated). For each queued pod it runs the
 * framework (filters, scores), assumes the pod on the chosen node and binds it through pods/binding without
 * waiting; a pod that fits nowhere gets a FailedScheduling event, PodScheduled=False/Unschedulable, and is retried
 * after its backoff or as soon as a node changes or a pod goes away.
 *
 *   const scheduler = startScheduler(client);   // LocalClient or RestClient
 *   await scheduler.synced;
 *   scheduler.stop();
 */
import os from 'node:os';
import type { KubeObject } from '../api/object.ts';
import { log as defaultLog, type Logger } from '../apiserver/log.ts';
import type { ClusterApi } from '../client/client.ts';
import { startInformer } from '../controllers/informer.ts';
import { ApiError } from '../machinery/api-error.ts';
import { SCHEDULER_NAME, SchedulerEventRecorder } from './event-recorder.ts';
import { Framework } from './framework.ts';
import { podInfo, podKey, type PodInfo } from './pod-info.ts';
import { SchedulerCache } from './scheduler-cache.ts';
import { SchedulingQueue } from './scheduling-queue.ts';

export { SCHEDULER_NAME } from './event-recorder.ts';

export interface SchedulerOptions {
  log?: Logger;
  /** Bindings in flight at once (default 64). */
  parallelBinds?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Series counts of repeated events are written this often (default 30 s). */
  eventFlushMs?: number;
  /** For tie-breaking between equal scores (tests pass a fixed sequence). */
  random?: () => number;
}

export interface Scheduler {
  /** Resolves once nodes and pods have been listed. */
  readonly synced: Promise<void>;
  /** Counters for benchmarks and tests. */
  stats(): { scheduled: number; failed: number; bindErrors: number; queued: number };
  stop(): void;
}

const wants = (p: KubeObject) =>
  !p.spec?.nodeName &&
  !p.metadata.deletionTimestamp &&
  (p.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME &&
  !(Array.isArray(p.spec?.schedulingGates) && p.spec.schedulingGates.length > 0);

const terminal = (p: KubeObject) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const readyStatus = (n: KubeObject) => (n.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready')?.status;

/** A node change that can make a waiting pod fit (a heartbeat that only moves timestamps cannot). */
export const nodeChangeMatters = (n: KubeObject, old: KubeObject) =>
  !same(n.metadata.labels, old.metadata.labels) ||
  !same(n.spec?.taints, old.spec?.taints) ||
  !!n.spec?.unschedulable !== !!old.spec?.unschedulable ||
  !same(n.status?.allocatable, old.status?.allocatable) ||
  readyStatus(n) !== readyStatus(old);

export function startScheduler(client: ClusterApi, o: SchedulerOptions = {}): Scheduler {
  const log = o.log ?? defaultLog;
  const parallelBinds = o.parallelBinds ?? 64;
  const cache = new SchedulerCache();
  const queue = new SchedulingQueue({ initialBackoffMs: o.initialBackoffMs, maxBackoffMs: o.maxBackoffMs });
  const framework = new Framework(cache, o.random);
  const recorder = new SchedulerEventRecorder(client.events, `${SCHEDULER_NAME}-${os.hostname()}`, {
    flushMs: o.eventFlushMs,
    onError: (err) => log.warn('scheduler event failed', { error: err instanceof Error ? err.message : String(err) }),
  });
  /** pod key → the PodScheduled=False message last written, so a repeat is not patched again */
  const conditionWritten = new Map<string, string>();
  const counters = { scheduled: 0, failed: 0, bindErrors: 0 };
  let stopped = false;
  let ready = false;
  let running = false;
  let binding = 0;

  // ---- the loop ----
  const kick = () => {
    if (running || stopped || !ready) return;
    running = true;
    setImmediate(runLoop);
  };

  const runLoop = () => {
    const deadline = performance.now() + 20;
    while (!stopped && binding < parallelBinds) {
      const info = queue.pop();
      if (!info) break;
      try {
        scheduleOne(info);
      } catch (err) {
        log.error('scheduling failed', { pod: info.key, error: err instanceof Error ? err.message : String(err) });
        queue.unschedulable(info);
      }
      if (performance.now() > deadline) {
        setImmediate(runLoop);
        return;
      }
    }
    running = false;
  };

  const scheduleOne = (info: PodInfo) => {
    const r = framework.schedule(info);
    if (r.node === undefined) return unschedulable(info, r.message);
    const node = r.node;
    const pod = info.pod;
    const ns = pod.metadata.namespace ?? 'default';
    const name = pod.metadata.name ?? '';
    cache.assume(info, node);
    binding++;
    client.pods
      .bind(ns, name, node, pod.metadata.uid)
      .then(
        () => {
          counters.scheduled++;
          queue.done(info.key);
          conditionWritten.delete(info.key);
          log.debug('scheduled pod', { pod: info.key, uid: pod.metadata.uid, node });
          recorder.record(pod, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${ns}/${name} to ${node}`);
        },
        (err) => {
          cache.forget(info.key);
          if (err instanceof ApiError && (err.code === 404 || err.code === 409)) {
            // gone, bound by someone else, or being deleted: the informer brings the truth
            queue.done(info.key);
            return;
          }
          counters.bindErrors++;
          log.warn('binding failed', { pod: info.key, uid: pod.metadata.uid, node, error: err instanceof Error ? err.message : String(err) });
          if (queue.has(info.key)) queue.unschedulable(info);
        },
      )
      .finally(() => {
        binding--;
        kick();
      });
  };

  const unschedulable = (info: PodInfo, message: string) => {
    counters.failed++;
    queue.unschedulable(info);
    const pod = info.pod;
    const ns = pod.metadata.namespace ?? 'default';
    const name = pod.metadata.name ?? '';
    log.debug('pod unschedulable', { pod: info.key, uid: pod.metadata.uid, message });
    recorder.record(pod, 'Warning', 'FailedScheduling', 'Scheduling', message);
    const cond = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');
    const current = cond?.status === 'False' && cond.reason === 'Unschedulable' ? cond.message : undefined;
    if ((conditionWritten.get(info.key) ?? current) === message) return;
    conditionWritten.set(info.key, message);
    const lastTransitionTime = cond?.status === 'False' && cond.lastTransitionTime ? cond.lastTransitionTime : new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    client.pods
      .patchStatus(ns, name, 'strategic', {
        status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime }] },
      })
      .catch((err) => {
        conditionWritten.delete(info.key);
        if (!(err instanceof ApiError && err.code === 404)) log.warn('pod condition update failed', { pod: info.key, error: err instanceof Error ? err.message : String(err) });
      });
  };

  const retryWaiting = (which?: (p: PodInfo) => boolean) => {
    if (queue.moveAllToActive(which) > 0) kick();
  };

  // ---- informers ----
  const onPod = (p: KubeObject, old?: KubeObject) => {
    const key = podKey(p);
    const nodeName: string | undefined = p.spec?.nodeName || undefined;
    if (nodeName) {
      if (queue.has(key) && !cache.isAssumed(key)) queue.delete(key);
      if (terminal(p)) {
        if (cache.removePod(key)) retryWaiting();
        return;
      }
      const known = cache.nodeOf(key);
      if (known !== nodeName || cache.isAssumed(key) || !old || !same(p.metadata.labels, old.metadata.labels)) {
        const info = podInfo(p);
        cache.addPod(info, nodeName);
        // a new or relabelled pod can satisfy someone's required pod affinity
        if (known === undefined || !same(p.metadata.labels, old?.metadata.labels)) retryWaiting((w) => w.requiredAffinity.length > 0);
      }
      return;
    }
    if (!wants(p) || terminal(p)) {
      queue.delete(key);
      return;
    }
    const changed = !old || !same(p.spec, old.spec) || !same(p.metadata.labels, old.metadata.labels);
    queue.add(podInfo(p), changed);
    kick();
  };

  const onPodDelete = (p: KubeObject) => {
    const key = podKey(p);
    queue.delete(key);
    conditionWritten.delete(key);
    recorder.forgetPod(p.metadata.uid);
    if (cache.removePod(key)) retryWaiting();
  };

  const nodes = startInformer(client.nodes, undefined, {}, {
    onAdd: (n) => {
      cache.setNode(n);
      retryWaiting();
    },
    onUpdate: (n, old) => {
      cache.setNode(n);
      if (nodeChangeMatters(n, old)) retryWaiting();
    },
    onDelete: (n) => cache.removeNode(n.metadata.name ?? ''),
  });
  const pods = startInformer(client.pods, undefined, {}, { onAdd: (p) => onPod(p), onUpdate: onPod, onDelete: onPodDelete });

  const synced = Promise.all([nodes.synced, pods.synced]).then(() => {
    ready = true;
    kick();
  });

  const backoffTimer = setInterval(() => {
    if (queue.flushBackoff() > 0) kick();
  }, 250);
  backoffTimer.unref();

  return {
    synced,
    stats: () => ({ ...counters, queued: queue.size }),
    stop() {
      stopped = true;
      clearInterval(backoffTimer);
      recorder.stop();
      pods.stop();
      nodes.stop();
    },
  };
}
