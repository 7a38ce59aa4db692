import type { KubeObject } from '../api/object.ts';
import { humanDuration } from '../machinery/human-duration.ts';
import { ageOf, column, nameColumn, type Printer, type RowCondition } from './printer.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Pod columns and cells, computed the way kubectl's pod printer does (READY, STATUS, RESTARTS, AGE | IP, NODE, …). */
export const podPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Ready', 'How many of the containers that count toward readiness are ready.'),
    column('Status', 'A short summary of where the pod is in its lifecycle.'),
    column('Restarts', 'Total container restarts, and how long ago the latest one was.'),
    column('Age', 'Time since the pod was created.'),
    column('IP', 'The first IP address given to the pod.', 1),
    column('Node', 'The node the pod is bound to.', 1),
    column('Nominated Node', 'The node the scheduler nominated for this pod while preempting.', 1),
    column('Readiness Gates', 'How many of the readiness gates report True.', 1),
  ],
  cells: (pod, now) => {
    const { ready, total } = readyCount(pod);
    const { status, restarts, lastRestart } = podStatusSummary(pod);
    const restartCell = restarts > 0 && lastRestart !== undefined ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
    const age = ageOf(pod.metadata.creationTimestamp, now);
    return [
      pod.metadata.name,
      `${ready}/${total}`,
      status,
      restartCell,
      age === undefined ? '<unknown>' : humanDuration(age),
      pod.status?.podIPs?.[0]?.ip ?? pod.status?.podIP ?? '<none>',
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates(pod),
    ];
  },
  conditions: (pod): RowCondition[] | undefined => {
    if (pod.status?.phase === 'Succeeded')
      return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
    if (pod.status?.phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    return undefined;
  },
};

const isSidecar = (pod: KubeObject, name: string) =>
  (pod.spec?.initContainers ?? []).some((c: any) => c.name === name && c.restartPolicy === 'Always');

function readyCount(pod: KubeObject): { ready: number; total: number } {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always');
  let ready = 0;
  for (const s of pod.status?.containerStatuses ?? []) if (s.ready && s.state?.running) ready++;
  for (const s of pod.status?.initContainerStatuses ?? []) if (isSidecar(pod, s.name) && s.started && s.ready) ready++;
  return { ready, total: (pod.spec?.containers?.length ?? 0) + sidecars.length };
}

const hasCondition = (pod: KubeObject, type: string, status = 'True') =>
  (pod.status?.conditions ?? []).some((c: any) => c.type === type && c.status === status);

/** Latest `lastState.terminated.finishedAt` and total restarts over some container statuses. */
function restartsOf(statuses: any[]): { restarts: number; last?: number } {
  let restarts = 0;
  let last: number | undefined;
  for (const s of statuses) {
    restarts += s.restartCount ?? 0;
    const finished = s.lastState?.terminated?.finishedAt ? Date.parse(s.lastState.terminated.finishedAt) : NaN;
    if (!Number.isNaN(finished) && (last === undefined || finished > last)) last = finished;
  }
  return { restarts, last };
}

/** The STATUS cell and the restart figures, in the order kubectl's printer evaluates them. */
export function podStatusSummary(pod: KubeObject): { status: string; restarts: number; lastRestart?: number } {
  const status = pod.status ?? {};
  const initSpecs: any[] = pod.spec?.initContainers ?? [];
  let reason: string = status.reason || status.phase || 'Pending';
  if ((status.conditions ?? []).some((c: any) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const initStatuses: any[] = status.initContainerStatuses ?? [];
  let { restarts, last } = restartsOf(initStatuses);
  let initializing = false;
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (isSidecar(pod, c.name) && c.started) continue;
    initializing = true;
    if (terminated) {
      reason = terminated.reason
        ? `Init:${terminated.reason}`
        : terminated.signal
          ? `Init:Signal:${terminated.signal}`
          : `Init:ExitCode:${terminated.exitCode}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    break;
  }

  if (!initializing || hasCondition(pod, 'Initialized')) {
    // Once initialized, completed init containers no longer count; sidecars and regular containers do.
    const counted = [...initStatuses.filter((s) => isSidecar(pod, s.name)), ...(status.containerStatuses ?? [])];
    ({ restarts, last } = restartsOf(counted));
    let hasRunning = false;
    const statuses: any[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      const { waiting, terminated, running } = c.state ?? {};
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (c.ready && running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';
  return { status: reason, restarts, lastRestart: last };
}

function readinessGates(pod: KubeObject): string {
  const gates: any[] = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const ok = gates.filter((g) => hasCondition(pod, g.conditionType)).length;
  return `${ok}/${gates.length}`;
}
