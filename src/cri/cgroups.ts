// Removes pod-level parent cgroups, which containerd leaves behind (it deletes only the
// container cgroups it created). Works on cgroup v1, v2 and the v1+v2 hybrid these VMs run:
// the same path is removed under every mounted hierarchy.
//
//   await removeCgroup('/k8ts/pod1234');   // rmdir …/k8ts/pod1234 (and empty children) everywhere
import { readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Mount points of every cgroup (v1) and cgroup2 hierarchy, from /proc/self/mountinfo. */
export function cgroupMountPoints(): string[] {
  const out = new Set<string>();
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const fsType = line.slice(sep + 3).split(' ')[0];
    if (fsType === 'cgroup' || fsType === 'cgroup2') out.add(unescapeMount(line.split(' ')[4]!));
  }
  return [...out];
}

function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** rmdir dir after its child cgroups (deepest first). Cgroup dirs hold only control files, which rmdir ignores. */
function rmdirTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) rmdirTree(join(dir, entry.name));
  }
  rmdirSync(dir);
}

/**
 * Removes the cgroup at `path` (cgroupfs syntax, e.g. "/k8ts/pod<uid>") and its child cgroups
 * in every hierarchy. Retries EBUSY for up to timeoutMs (a just-killed task can linger for a
 * moment). Missing paths are fine. Throws naming the path if something still holds it.
 */
export async function removeCgroup(path: string, timeoutMs = 2000): Promise<void> {
  const rel = path.replace(/^\/+/, '');
  if (!rel || rel.split('/').includes('..')) throw new Error(`cgroup path ${JSON.stringify(path)}: want a non-root absolute path`);
  const until = Date.now() + timeoutMs;
  for (const mount of cgroupMountPoints()) {
    const dir = join(mount, rel);
    for (;;) {
      if (!isDir(dir)) break;
      try {
        rmdirTree(dir);
        break;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') break;
        if (code !== 'EBUSY' || Date.now() > until) {
          throw new Error(`remove cgroup ${dir}: ${(err as Error).message}`, { cause: err });
        }
        await sleep(20);
      }
    }
  }
}
