// What the runtime has for one pod: its sandboxes and containers (newest first), with the details of each
// container (times, exit code, reason) from ContainerStatus — fetched once per container and state, then cached.
//
//   const rt = await readRuntimePod(cri, uid, cache);
//   const web = latestContainer(rt, 'web');   // { id, state: 'CONTAINER_RUNNING', restartCount: 2, ... }
import { readFileSync } from 'node:fs';
import type { CriClient } from '../../cri/cri-client.ts';
import { isCriNotFound } from '../../cri/cri-client.ts';
import type { Container, ContainerState, PodSandbox } from '../../cri/cri-types.ts';
import { ANNOTATION_RESTART_COUNT, ANNOTATION_SPEC_IMAGE, ANNOTATION_TERMINATION_MESSAGE_PATH, ANNOTATION_TERMINATION_MESSAGE_POLICY, LABEL_CONTAINER_NAME, LABEL_POD_UID } from './deps.ts';

export interface RuntimeContainer {
  id: string;
  sandboxId: string;
  name: string;
  restartCount: number;
  state: ContainerState;
  /** Milliseconds since the epoch; 0 = not set. */
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  message: string;
  imageRef: string;
  logPath: string;
  /** Termination message (file or log tail), read once the container exited. */
  terminationMessage: string;
  /** The spec image the container was created for. */
  specImage: string;
}

export interface RuntimePod {
  /** Newest first. */
  sandboxes: PodSandbox[];
  /** Newest first (by restartCount, then creation). */
  containers: RuntimeContainer[];
}

const nsToMs = (ns: number): number => (ns > 0 ? Math.floor(ns / 1e6) : 0);

/** Last lines of a CRI-format log file, without the timestamp/stream/tag prefix. */
export function logTail(path: string, maxLines = 80, maxBytes = 2048): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return '';
  }
  let out = '';
  const lines = text.split('\n').filter(Boolean).slice(-maxLines);
  for (const line of lines) {
    const parts = line.split(' ');
    const tag = parts[2];
    out += parts.slice(3).join(' ') + (tag === 'P' ? '' : '\n');
  }
  return out.length > maxBytes ? out.slice(out.length - maxBytes) : out;
}

/** Cache of ContainerStatus details by container id and state. */
export class ContainerStatusCache {
  readonly #byId = new Map<string, RuntimeContainer>();
  /** Host path of a container's termination-message file (set by the sync, which created it). */
  terminationFile?: (c: RuntimeContainer, uid: string) => string;

  async get(cri: CriClient, c: Container, uid: string): Promise<RuntimeContainer | undefined> {
    const cached = this.#byId.get(c.id);
    if (cached && cached.state === c.state) return cached;
    let res;
    try {
      res = await cri.containerStatus(c.id);
    } catch (err) {
      if (isCriNotFound(err)) return undefined;
      throw err;
    }
    const s = res.status;
    if (!s) return undefined;
    const rc: RuntimeContainer = {
      id: s.id,
      sandboxId: c.pod_sandbox_id,
      name: s.metadata?.name ?? c.labels[LABEL_CONTAINER_NAME] ?? '',
      restartCount: Number(s.annotations[ANNOTATION_RESTART_COUNT] ?? s.metadata?.attempt ?? 0) || 0,
      state: s.state,
      createdAt: nsToMs(s.created_at),
      startedAt: nsToMs(s.started_at),
      finishedAt: nsToMs(s.finished_at),
      exitCode: s.exit_code,
      reason: s.reason,
      message: s.message,
      imageRef: s.image_ref,
      logPath: s.log_path,
      terminationMessage: '',
      specImage: s.annotations[ANNOTATION_SPEC_IMAGE] ?? '',
    };
    if (rc.state === 'CONTAINER_EXITED') {
      const path = s.annotations[ANNOTATION_TERMINATION_MESSAGE_PATH];
      if (path && this.terminationFile) {
        try {
          rc.terminationMessage = readFileSync(this.terminationFile(rc, uid), 'utf8').slice(0, 4096);
        } catch {
          // no file
        }
      }
      if (!rc.terminationMessage && rc.exitCode !== 0 && s.annotations[ANNOTATION_TERMINATION_MESSAGE_POLICY] === 'FallbackToLogsOnError') {
        rc.terminationMessage = logTail(rc.logPath);
      }
    }
    this.#byId.set(c.id, rc);
    return rc;
  }

  forget(ids: Iterable<string>): void {
    for (const id of ids) this.#byId.delete(id);
  }

  /** Drops entries whose ids are not in `live`. */
  retain(live: Set<string>): void {
    for (const id of this.#byId.keys()) if (!live.has(id)) this.#byId.delete(id);
  }
}

export async function readRuntimePod(cri: CriClient, uid: string, cache: ContainerStatusCache): Promise<RuntimePod> {
  const [sandboxes, listed] = await Promise.all([
    cri.listPodSandbox({ label_selector: { [LABEL_POD_UID]: uid } }),
    cri.listContainers({ label_selector: { [LABEL_POD_UID]: uid } }),
  ]);
  sandboxes.sort((a, b) => (b.metadata?.attempt ?? 0) - (a.metadata?.attempt ?? 0) || b.created_at - a.created_at);
  const containers = (await Promise.all(listed.map((c) => cache.get(cri, c, uid)))).filter((c): c is RuntimeContainer => !!c);
  containers.sort((a, b) => b.restartCount - a.restartCount || b.createdAt - a.createdAt);
  return { sandboxes, containers };
}

/** The newest instance of a container by name. */
export function latestContainer(rt: RuntimePod, name: string): RuntimeContainer | undefined {
  return rt.containers.find((c) => c.name === name);
}

/** All instances of a container by name, newest first. */
export function containerInstances(rt: RuntimePod, name: string): RuntimeContainer[] {
  return rt.containers.filter((c) => c.name === name);
}
