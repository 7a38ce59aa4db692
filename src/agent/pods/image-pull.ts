// kubelet's image manager (EnsureImageExists): pull policy Always / IfNotPresent / Never, Pulling / Pulled /
// Failed / BackOff events with kubelet's messages, and a per (pod, image) back-off of 10 s doubling to 5 min
// (waiting reason ErrImagePull on a failure, ImagePullBackOff while backing off).
// imagePullSecrets are not resolved yet (the agent cannot read Secrets): pulls are anonymous.
//
//   const r = await puller.ensure(pod, container, false, sandboxConfig);
//   if (r.ok) createContainer(r.imageId); else if (r.pending) waitForWake(); else waiting(r.reason, r.message)
import type { KubeObject } from '../../api/object.ts';
import { CriError } from '../../cri/cri-client.ts';
import type { PodSandboxConfig } from '../../cri/cri-types.ts';
import * as grpc from '@grpc/grpc-js';
import { Backoff } from './backoff.ts';
import type { EventObjectRef } from '../agent-api.ts';
import { containerRef, errMsg, msSince, podKey, type PodSyncDeps } from './deps.ts';
import { goDuration } from './go-duration.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const PRESENT_TTL_MS = 30_000;

export type EnsureImageResult =
  | { ok: true; imageId: string; uid?: number }
  | { ok: false; reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName'; message: string; retryInMs?: number; pending?: undefined }
  /** Pulling in the background: the container waits (ContainerCreating); onPulled wakes the pod. */
  | { ok: false; pending: true };

/** The runtime error as kubelet prints gRPC errors: `rpc error: code = Unknown desc = …`. */
export function grpcErrorText(err: unknown): string {
  if (err instanceof CriError) return `rpc error: code = ${grpcCodeName(err.code)} desc = ${err.details}`;
  return errMsg(err);
}

function grpcCodeName(code: number): string {
  const name = grpc.status[code] ?? String(code);
  // Go spells the codes in CamelCase (DeadlineExceeded, Unknown, NotFound)
  return String(name).toLowerCase().replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

export class ImagePuller {
  readonly #deps: PodSyncDeps;
  readonly backoff: Backoff;
  /** Images seen present recently (name → id, uid, when): saves an ImageStatus per container start. */
  readonly #present = new Map<string, { id: string; uid?: number; at: number }>();

  /** Pulls in flight or finished and not yet consumed, by `<pod uid>_<image>`. */
  readonly #pulls = new Map<string, { result?: EnsureImageResult }>();
  readonly #onPulled?: (uid: string) => void;

  /** onPulled(uid): a pull a pod waits for has finished (wake its worker). */
  constructor(deps: PodSyncDeps, onPulled?: (uid: string) => void, backoff = new Backoff(10_000, 300_000)) {
    this.#deps = deps;
    this.backoff = backoff;
    this.#onPulled = onPulled;
  }

  async ensure(pod: KubeObject, c: Any, init: boolean, sandboxConfig: PodSandboxConfig): Promise<EnsureImageResult> {
    const { cri, recorder } = this.#deps;
    const image: string = c.image ?? '';
    const ref = containerRef(pod, c.name, init);
    if (!image) return { ok: false, reason: 'InvalidImageName', message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format` };
    const policy: string = c.imagePullPolicy ?? 'IfNotPresent';
    const key = `${pod.metadata.uid}_${image}`;
    const pull = this.#pulls.get(key);
    if (pull?.result) {
      this.#pulls.delete(key);
      return pull.result;
    }
    if (pull) return { ok: false, pending: true };
    if (policy !== 'Always') {
      const cached = this.#present.get(image);
      if (cached && Date.now() - cached.at < PRESENT_TTL_MS) {
        recorder.event(ref, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
        return { ok: true, imageId: cached.id, uid: cached.uid };
      }
    }
    const present = await cri.imageStatus(image).catch(() => null);
    if (present) this.#present.set(image, { id: present.id, uid: present.uid?.value, at: Date.now() });
    if (present && policy !== 'Always') {
      recorder.event(ref, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return { ok: true, imageId: present.id, uid: present.uid?.value };
    }
    if (policy === 'Never') {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      recorder.event(ref, 'Warning', 'ErrImageNeverPull', message);
      recorder.event(ref, 'Warning', 'Failed', 'Error: ErrImageNeverPull');
      return { ok: false, reason: 'ErrImageNeverPull', message };
    }
    if (this.backoff.isInBackOffSinceUpdate(key)) {
      const message = `Back-off pulling image "${image}"`;
      recorder.event(ref, 'Normal', 'BackOff', message);
      recorder.event(ref, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      return { ok: false, reason: 'ImagePullBackOff', message, retryInMs: this.backoff.remainingSinceUpdate(key) };
    }
    // a pull runs in the background: the pod's worker stays free (a delete need not wait for a slow registry)
    recorder.event(ref, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const entry: { result?: EnsureImageResult } = {};
    this.#pulls.set(key, entry);
    const uid = pod.metadata.uid ?? '';
    void this.#pull(pod, image, ref, key, sandboxConfig).then((result) => {
      if (this.#pulls.get(key) !== entry) return; // the pod was forgotten meanwhile
      entry.result = result;
      this.#onPulled?.(uid);
    });
    return { ok: false, pending: true };
  }

  async #pull(pod: KubeObject, image: string, ref: EventObjectRef, key: string, sandboxConfig: PodSandboxConfig): Promise<EnsureImageResult> {
    const { cri, recorder } = this.#deps;
    const t0 = performance.now();
    try {
      const imageRef = await cri.pullImage(image, undefined, sandboxConfig, { timeoutMs: this.#deps.pullTimeoutMs ?? 120_000 });
      const took = goDuration(msSince(t0));
      const present = await cri.imageStatus(image).catch(() => null);
      if (present) this.#present.set(image, { id: present.id, uid: present.uid?.value, at: Date.now() });
      recorder.event(ref, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${present?.size ?? 0} bytes.`);
      this.backoff.reset(key);
      return { ok: true, imageId: present?.id || imageRef, uid: present?.uid?.value };
    } catch (err) {
      const message = grpcErrorText(err);
      this.#deps.log?.warn('image pull failed', { pod: podKey(pod), uid: pod.metadata.uid, image, error: message });
      recorder.event(ref, 'Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
      recorder.event(ref, 'Warning', 'Failed', 'Error: ErrImagePull');
      this.backoff.next(key);
      // the next pass (in 1 s) shows ImagePullBackOff, as kubelet's next sync does; the pull is retried after the back-off
      return { ok: false, reason: 'ErrImagePull', message, retryInMs: 1000 };
    }
  }

  /** Forgets the back-off entries and pull results of a pod. */
  forget(uid: string): void {
    this.backoff.resetPrefix(`${uid}_`);
    for (const k of this.#pulls.keys()) if (k.startsWith(`${uid}_`)) this.#pulls.delete(k);
  }
}
