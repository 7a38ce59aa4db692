// CreateContainer for one container of a pod: builds its config (container-config.ts), creates it in the sandbox
// and records `Created`. Failures come back as the waiting reason kubelet shows (CreateContainerConfigError,
// CreateContainerError) after a Warning `Failed` `Error: …` event.
//
//   const r = await createContainer(deps, pod, c, { init: false, restartCount: 0, sandbox, image, volumes });
//   if (r.ok) await startContainer(deps, pod, c, false, r.id);
import type { KubeObject } from '../../api/object.ts';
import type { PodSandboxConfig } from '../../cri/cri-types.ts';
import { buildContainerConfig } from './container-config.ts';
import { containerRef, msSince, podKey, type PodSyncDeps } from './deps.ts';
import { grpcErrorText } from './image-pull.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export interface CreateContainerInput {
  init: boolean;
  restartCount: number;
  sandboxId: string;
  sandboxConfig: PodSandboxConfig;
  podIPs: string[];
  hostIPs: string[];
  image: string;
  imageUid?: number;
  volumes: Map<string, string>;
}

export type CreateContainerResult = { ok: true; id: string } | { ok: false; reason: string; message: string };

export async function createContainer(deps: PodSyncDeps, pod: KubeObject, c: Any, input: CreateContainerInput): Promise<CreateContainerResult> {
  const t0 = performance.now();
  const ref = containerRef(pod, c.name, input.init);
  let config;
  try {
    config = buildContainerConfig(deps, pod, c, {
      restartCount: input.restartCount, podIPs: input.podIPs, hostIPs: input.hostIPs, volumes: input.volumes,
      image: input.image, imageUid: input.imageUid, init: input.init,
    });
  } catch (err) {
    const message = (err as Error).message;
    deps.recorder.event(ref, 'Warning', 'Failed', `Error: ${message}`);
    return { ok: false, reason: 'CreateContainerConfigError', message };
  }
  try {
    const id = await deps.cri.createContainer(input.sandboxId, config, input.sandboxConfig);
    deps.recorder.event(ref, 'Normal', 'Created', `Created container: ${c.name}`);
    deps.log?.debug('container created', { pod: podKey(pod), uid: pod.metadata.uid, container: c.name, id, restartCount: input.restartCount, ms: msSince(t0) });
    return { ok: true, id };
  } catch (err) {
    const message = grpcErrorText(err);
    deps.log?.warn('create container failed', { pod: podKey(pod), uid: pod.metadata.uid, container: c.name, error: message });
    deps.recorder.event(ref, 'Warning', 'Failed', `Error: ${message}`);
    return { ok: false, reason: 'CreateContainerError', message };
  }
}
