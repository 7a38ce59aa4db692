/**
 * A stand-in scheduler until the real one exists: binds every unbound pod (schedulerName default-scheduler, no
 * nodeName, not being deleted) to a Ready, schedulable node whose NoSchedule/NoExecute taints the pod tolerates,
 * round-robin, through pods/binding, and records the scheduler's `Scheduled` event. With no such node the pod gets
 * PodScheduled=False/Unschedulable and waits for the node set to change.
 *
 *   const binder = startSimpleBinder(client);   // LocalClient
 *   binder.stop();
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { KubeObject } from '../api/object.ts';
import { log as defaultLog, type Logger } from '../apiserver/log.ts';
import type { LocalClient } from '../client/local-client.ts';
import { startInformer } from '../controllers/informer.ts';
import { ApiError } from '../machinery/api-error.ts';

export const SCHEDULER_NAME = 'default-scheduler';

interface Taint {
  key: string;
  value?: string;
  effect: string;
}
interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

const tolerates = (tols: Toleration[], t: Taint) =>
  tols.some(
    (tol) =>
      (!tol.effect || tol.effect === t.effect) &&
      (tol.operator === 'Exists' ? !tol.key || tol.key === t.key : tol.key === t.key && (tol.value ?? '') === (t.value ?? '')),
  );

/** Why `node` cannot take `pod` (a FitError phrase), or undefined when it can. */
export function unfitReason(node: KubeObject, pod: KubeObject): string | undefined {
  const ready = (node.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
  if (node.spec?.unschedulable) return 'node(s) were unschedulable';
  const tols: Toleration[] = pod.spec?.tolerations ?? [];
  for (const t of (node.spec?.taints ?? []) as Taint[]) {
    if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tols, t)) return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
  }
  if (ready?.status !== 'True') return 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }';
  const sel: Record<string, string> = pod.spec?.nodeSelector ?? {};
  const labels = node.metadata.labels ?? {};
  if (Object.entries(sel).some(([k, v]) => labels[k] !== v)) return "node(s) didn't match Pod's node affinity/selector";
  return undefined;
}

/** `0/N nodes are available: <sorted histogram>.` (the scheduler's FitError text, without preemption). */
export function fitError(total: number, reasons: string[]): string {
  if (total === 0) return 'no nodes available to schedule pods';
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort();
  return `0/${total} nodes are available: ${parts.join(', ')}.`;
}

const microTime = () => new Date().toISOString().replace(/Z$/, '000Z');
const hexNanos = () => (BigInt(Date.now()) * 1_000_000n + BigInt(randomBytes(2).readUInt16BE() % 1_000_000)).toString(16);

export function startSimpleBinder(client: LocalClient, o: { log?: Logger } = {}): { stop(): void } {
  const log = o.log ?? defaultLog;
  const instance = `${SCHEDULER_NAME}-${os.hostname()}`;
  let next = 0;
  let stopped = false;
  const inflight = new Set<string>();
  /** pods that found no node: key → last message written (to write the condition once) */
  const waiting = new Map<string, string>();

  const wants = (p: KubeObject) =>
    !p.spec?.nodeName && !p.metadata.deletionTimestamp && (p.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME && !(p.spec?.schedulingGates?.length > 0);

  const event = async (pod: KubeObject, type: 'Normal' | 'Warning', reason: string, action: string, message: string) => {
    const ns = pod.metadata.namespace ?? 'default';
    await client.events.create(ns, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${pod.metadata.name}.${hexNanos()}`, namespace: ns },
      involvedObject: { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid, apiVersion: 'v1', resourceVersion: pod.metadata.resourceVersion },
      reason,
      message,
      type,
      action,
      eventTime: microTime(),
      reportingComponent: SCHEDULER_NAME,
      reportingInstance: instance,
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      count: 0,
    });
  };

  const schedule = async (pod: KubeObject) => {
    const ns = pod.metadata.namespace ?? 'default';
    const name = pod.metadata.name ?? '';
    const key = `${ns}/${name}`;
    const all = [...nodes.cache.values()].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    const reasons: string[] = [];
    const fit = all.filter((n) => {
      const why = unfitReason(n, pod);
      if (why) reasons.push(why);
      return !why;
    });
    if (fit.length === 0) {
      const message = fitError(all.length, reasons);
      if (waiting.get(key) === message) return;
      waiting.set(key, message);
      await client.pods.patchStatus(ns, name, 'strategic', {
        status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] },
      });
      await event(pod, 'Warning', 'FailedScheduling', 'Scheduling', message).catch(() => {});
      return;
    }
    const node = fit[next++ % fit.length].metadata.name ?? '';
    try {
      await client.pods.bind(ns, name, node, pod.metadata.uid);
    } catch (err) {
      if (err instanceof ApiError && (err.code === 404 || err.code === 409)) return; // gone, or bound meanwhile
      throw err;
    }
    waiting.delete(key);
    log.info('scheduled pod', { pod: key, uid: pod.metadata.uid, node });
    await event(pod, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${ns}/${name} to ${node}`).catch((err) =>
      log.warn('scheduled event failed', { pod: key, error: err instanceof Error ? err.message : String(err) }),
    );
  };

  const consider = (pod: KubeObject) => {
    if (stopped || !wants(pod)) return;
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (inflight.has(key)) return;
    inflight.add(key);
    nodes.synced
      .then(() => schedule(pod))
      .catch((err) => log.warn('scheduling failed', { pod: key, error: err instanceof Error ? err.message : String(err) }))
      .finally(() => inflight.delete(key));
  };

  const retryWaiting = () => {
    for (const pod of pods.cache.values()) if (waiting.has(`${pod.metadata.namespace}/${pod.metadata.name}`)) consider(pod);
  };

  const nodes = startInformer(client.nodes, undefined, {}, { onAdd: retryWaiting, onUpdate: retryWaiting });
  const pods = startInformer(client.pods, undefined, { fieldSelector: 'spec.nodeName=' }, {
    onAdd: consider,
    onUpdate: consider,
    onDelete: (p) => waiting.delete(`${p.metadata.namespace}/${p.metadata.name}`),
  });
  // a pod waiting on a node that is not Ready yet: re-check now and then too (conditions change without events here)
  const timer = setInterval(retryWaiting, 5000);
  timer.unref();

  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      pods.stop();
      nodes.stop();
    },
  };
}
