// Pod volumes on the node: emptyDir (a dir under `<dataDir>/pods/<uid>/volumes/empty-dir/<name>`, tmpfs when
// medium is Memory) and hostPath (with kubelet's type checks). Other volume sources are not served yet:
// they fail like a mount failure (FailedMount), so the pod waits in ContainerCreating instead of running
// without its data.
//
//   const { paths, failures } = setUpVolumes(deps, pod);   // paths: volume name → host path
//   cleanUpVolumes(deps, uid);                             // unmount tmpfs, rm -r the pod dir
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import type { KubeObject } from '../../api/object.ts';
import { parseQuantity } from '../../api/quantity.ts';
import { mountsUnder, unmountUnder } from '../../cri/mounts.ts';
import { podDir, type PodSyncDeps } from './deps.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export interface VolumeFailure {
  volume: string;
  /** kubelet's message, e.g. `MountVolume.SetUp failed for volume "data" : hostPath type check failed: /x is not a directory`. */
  message: string;
}

export interface PodVolumes {
  paths: Map<string, string>;
  failures: VolumeFailure[];
}

export function emptyDirPath(deps: Pick<PodSyncDeps, 'dataDir'>, uid: string, name: string): string {
  return `${podDir(deps, uid)}/volumes/empty-dir/${name}`;
}

function isMountPoint(dir: string): boolean {
  return mountsUnder(dir).includes(dir);
}

function setUpEmptyDir(deps: Pick<PodSyncDeps, 'dataDir'>, uid: string, name: string, src: Any): string {
  const dir = emptyDirPath(deps, uid, name);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
  }
  if (src?.medium === 'Memory' && !isMountPoint(dir)) {
    const opts = ['mode=1777'];
    if (src.sizeLimit) opts.push(`size=${Math.max(4096, Math.floor(parseQuantity(src.sizeLimit)))}`);
    execFileSync('mount', ['-t', 'tmpfs', '-o', opts.join(','), 'tmpfs', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  }
  return dir;
}

/** kubelet's hostPath type check; creates the path for the *OrCreate types. Throws with kubelet's message. */
export function checkHostPath(path: string, type: string): void {
  const st = (() => {
    try {
      return statSync(path);
    } catch {
      return undefined;
    }
  })();
  const fail = (what: string) => {
    throw new Error(`hostPath type check failed: ${path} is not a ${what}`);
  };
  switch (type ?? '') {
    case '':
      return;
    case 'DirectoryOrCreate':
      if (!st) {
        mkdirSync(path, { recursive: true, mode: 0o755 });
        return;
      }
      if (!st.isDirectory()) fail('directory');
      return;
    case 'Directory':
      if (!st?.isDirectory()) fail('directory');
      return;
    case 'FileOrCreate':
      if (!st) {
        closeSync(openSync(path, 'a', 0o644));
        return;
      }
      if (!st.isFile()) fail('file');
      return;
    case 'File':
      if (!st?.isFile()) fail('file');
      return;
    case 'Socket':
      if (!st?.isSocket()) fail('socket file');
      return;
    case 'CharDevice':
      if (!st?.isCharacterDevice()) fail('character device');
      return;
    case 'BlockDevice':
      if (!st?.isBlockDevice()) fail('block device');
      return;
    default:
      throw new Error(`hostPath type check failed: unknown type ${JSON.stringify(type)}`);
  }
}

/** Sets up every volume of the pod; idempotent (called on every sync before containers are created). */
export function setUpVolumes(deps: Pick<PodSyncDeps, 'dataDir'>, pod: KubeObject): PodVolumes {
  const uid = pod.metadata.uid!;
  const paths = new Map<string, string>();
  const failures: VolumeFailure[] = [];
  for (const v of (pod.spec?.volumes ?? []) as Any[]) {
    try {
      if (v.emptyDir) paths.set(v.name, setUpEmptyDir(deps, uid, v.name, v.emptyDir));
      else if (v.hostPath) {
        checkHostPath(v.hostPath.path, v.hostPath.type);
        paths.set(v.name, v.hostPath.path);
      } else {
        const kind = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
        throw new Error(`volume type ${kind} is not supported by this node yet`);
      }
    } catch (err) {
      failures.push({ volume: v.name, message: `MountVolume.SetUp failed for volume "${v.name}" : ${(err as Error).message}` });
    }
  }
  return { paths, failures };
}

/** Unmounts whatever is mounted under the pod dir and removes it (volumes, termination-message files). */
export function cleanUpPodDir(deps: Pick<PodSyncDeps, 'dataDir'>, uid: string): void {
  const dir = podDir(deps, uid);
  if (!existsSync(dir)) return;
  unmountUnder(dir);
  rmSync(dir, { recursive: true, force: true });
}
