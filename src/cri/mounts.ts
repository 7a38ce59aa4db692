// Finds and removes mounts left under a directory (netns bind mounts, container rootfs
// overlays) so an agent data dir can be deleted. Used by test teardown and data-dir purges.
//
//   unmountUnder('/tmp/k8ts-test-x');   // → the mount points it unmounted
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Mount points at or below dir in this process's mount namespace, deepest first. */
export function mountsUnder(dir: string): string[] {
  const base = resolve(dir);
  const points = readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => !!p)
    .map(unescapeMount)
    .filter((p) => p === base || p.startsWith(`${base}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Lazily unmounts everything under dir (deepest first); returns what it unmounted. */
export function unmountUnder(dir: string): string[] {
  const done: string[] = [];
  for (const point of mountsUnder(dir)) {
    try {
      execFileSync('umount', ['-l', point], { stdio: ['ignore', 'ignore', 'pipe'] });
      done.push(point);
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`umount ${point}: ${stderr || (err as Error).message}`, { cause: err });
    }
  }
  return done;
}
