// Lifecycle hooks (postStart, preStop): exec, httpGet or sleep, with kubelet's failure messages.
//
//   const err = await runHook(deps, c.lifecycle.preStop, containerId, podIP, grace, { pod, container: c });
//   if (err) recorder.event(ref, 'Warning', 'FailedPreStopHook', err);
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../../api/object.ts';
import { formatPod, type PodSyncDeps } from './deps.ts';
import { execAction, httpGetAction } from './probe-actions.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** Runs a hook; resolves to undefined on success or kubelet's failure message. */
export async function runHook(deps: PodSyncDeps, handler: Any, containerId: string, podIP: string, timeoutSeconds: number, who?: { pod: KubeObject; container: Any }): Promise<string | undefined> {
  const forWhom = who ? ` for Container "${who.container.name}" in Pod "${formatPod(who.pod)}"` : '';
  if (handler.exec) {
    const cmd: string[] = handler.exec.command ?? [];
    const r = await execAction(deps.cri, containerId, cmd, timeoutSeconds);
    if (r.result === 'success') return undefined;
    return `Exec lifecycle hook ([${cmd.join(' ')}])${forWhom} failed - error: command '${cmd.join(' ')}' exited with non-zero status: ${r.output}, message: ${JSON.stringify(r.output)}`;
  }
  if (handler.httpGet) {
    const r = await httpGetAction(handler.httpGet, podIP, timeoutSeconds, who?.container);
    if (r.result === 'success') return undefined;
    return `HTTP lifecycle hook (${handler.httpGet.path ?? '/'})${forWhom} failed - error: ${r.output}, message: ""`;
  }
  if (handler.sleep) {
    await sleep(Math.min(timeoutSeconds, Number(handler.sleep.seconds ?? 0)) * 1000);
    return undefined;
  }
  return undefined;
}
