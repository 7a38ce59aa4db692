// StartContainer and what follows it: the `Started` event and the postStart hook (hooks.ts). A failed start
// records `Failed` `Error: …` and leaves the container for the sync to restart (with back-off); a failed
// postStart hook kills the container as kubelet does (FailedPostStartHook).
//
//   const r = await startContainer(deps, pod, c, false, id, podIP);
import type { KubeObject } from '../../api/object.ts';
import { containerRef, msSince, podKey, type PodSyncDeps } from './deps.ts';
import { runHook } from './hooks.ts';
import { grpcErrorText } from './image-pull.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export type StartContainerResult = { ok: true } | { ok: false; reason: string; message: string };

export async function startContainer(deps: PodSyncDeps, pod: KubeObject, c: Any, init: boolean, id: string, podIP: string): Promise<StartContainerResult> {
  const t0 = performance.now();
  const ref = containerRef(pod, c.name, init);
  try {
    await deps.cri.startContainer(id);
  } catch (err) {
    const message = grpcErrorText(err);
    deps.log?.warn('start container failed', { pod: podKey(pod), uid: pod.metadata.uid, container: c.name, id, error: message });
    deps.recorder.event(ref, 'Warning', 'Failed', `Error: ${message}`);
    return { ok: false, reason: 'RunContainerError', message };
  }
  deps.recorder.event(ref, 'Normal', 'Started', `Started container ${c.name}`);
  deps.log?.debug('container started', { pod: podKey(pod), uid: pod.metadata.uid, container: c.name, id, ms: msSince(t0) });
  const postStart = c.lifecycle?.postStart;
  if (postStart) {
    const err = await runHook(deps, postStart, id, podIP, pod.spec?.terminationGracePeriodSeconds ?? 30, { pod, container: c });
    if (err) {
      deps.recorder.event(ref, 'Warning', 'FailedPostStartHook', err);
      deps.recorder.event(ref, 'Normal', 'Killing', `FailedPostStartHook`);
      await deps.cri.stopContainer(id, Math.max(2, pod.spec?.terminationGracePeriodSeconds ?? 30)).catch(() => {});
      return { ok: false, reason: 'PostStartHookError', message: err };
    }
  }
  return { ok: true };
}
