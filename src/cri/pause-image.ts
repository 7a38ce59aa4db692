// The sandbox ("pause") image every pod's network namespace hangs on, built locally, offline.
//
//   await ensurePauseImage({ cri: ctrd.cri, ctr: ctrd.binaries.ctr, socket: ctrd.socket });
//
// Choice of pause process:
// 1. Preferred: a ~10-line C program compiled with `gcc -static` (needs gcc + libc6-dev).
//    It is what a pause must be: one process per pod, no shell, sleeps in pause(2), reaps
//    zombies on SIGCHLD (relevant with shareProcessNamespace), exits 0 on SIGTERM/SIGINT
//    (as PID 1 of its namespace it would otherwise ignore them). ~700 KB, compiles in ~0.2 s,
//    once per data dir (the image persists in containerd).
// 2. Fallback when no compiler is installed: Debian's busybox-static running
//    `sh -c 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait; done'` — correct
//    (the shell reaps and exits on TERM/INT) but costs a shell plus a sleep per pod.
// Either way the image is named k8ts.local/pause:1, the sandbox_image in containerd's config.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CriClient } from './cri-client.ts';
import { buildOciImage, type BuiltOciImage } from './oci-image.ts';
import { importImageBuffer } from './image-import.ts';
import { findExecutable } from './prerequisites.ts';
import type { TarEntry } from './tar-writer.ts';

export const PAUSE_IMAGE = 'k8ts.local/pause:1';

const PAUSE_C = `
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_stop(int sig) { (void)sig; _exit(0); }

static void on_child(int sig) {
  (void)sig;
  while (waitpid(-1, 0, WNOHANG) > 0) {}
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_handler = on_stop;
  sigaction(SIGTERM, &sa, 0);
  sigaction(SIGINT, &sa, 0);
  sa.sa_handler = on_child;
  sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
  sigaction(SIGCHLD, &sa, 0);
  for (;;) pause();
}
`;

export const BUSYBOX_STATIC = '/bin/busybox';

export type PauseFlavor = 'c' | 'busybox';

/** Which pause the machine can build: 'c' with gcc + static libc, else 'busybox', else throws. */
export function pauseFlavor(): PauseFlavor {
  const gcc = findExecutable('gcc');
  if (gcc && hasStaticLibc()) return 'c';
  if (isStaticElf(BUSYBOX_STATIC)) return 'busybox';
  throw new Error('cannot build the pause image: need either gcc with a static libc (apt-get install -y gcc libc6-dev) ' +
    'or a static busybox (apt-get install -y busybox-static)');
}

function hasStaticLibc(): boolean {
  for (const dir of ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib']) {
    if (existsSync(join(dir, 'libc.a'))) return true;
  }
  return false;
}

/** True if file exists and is a statically linked 64-bit ELF (no PT_INTERP program header). */
export function isStaticElf(file: string): boolean {
  let elf: Buffer;
  try {
    elf = readFileSync(file);
  } catch {
    return false;
  }
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2) return false; // ELF64 only
  const phoff = Number(elf.readBigUInt64LE(32));
  const phentsize = elf.readUInt16LE(54);
  const phnum = elf.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) {
    if (elf.readUInt32LE(phoff + i * phentsize) === 3) return false; // PT_INTERP: dynamically linked
  }
  return true;
}

/** Compiles the C pause with gcc -static; returns the binary. */
export function compilePause(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-pause-'));
  try {
    writeFileSync(join(dir, 'pause.c'), PAUSE_C);
    execFileSync('gcc', ['-static', '-Os', '-s', '-o', join(dir, 'pause'), join(dir, 'pause.c')], { stdio: ['ignore', 'ignore', 'pipe'] });
    return readFileSync(join(dir, 'pause'));
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`compile pause with gcc -static: ${stderr.trim() || (err as Error).message}`, { cause: err });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function buildPauseImage(flavor: PauseFlavor = pauseFlavor(), name = PAUSE_IMAGE): BuiltOciImage {
  if (flavor === 'c') {
    const files: TarEntry[] = [{ path: 'pause', type: 'file', mode: 0o755, data: compilePause() }];
    return buildOciImage({ name, files, entrypoint: ['/pause'] });
  }
  const files: TarEntry[] = [
    { path: 'bin', type: 'dir' },
    { path: 'bin/busybox', type: 'file', mode: 0o755, data: readFileSync(BUSYBOX_STATIC) },
    { path: 'bin/sh', type: 'symlink', linkname: 'busybox' },
    { path: 'bin/sleep', type: 'symlink', linkname: 'busybox' },
  ];
  return buildOciImage({
    name,
    files,
    entrypoint: ['/bin/sh', '-c', 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait; done'],
  });
}

export interface EnsurePauseImageOptions {
  cri: CriClient;
  ctr: string;
  socket: string;
  name?: string;
}

/** Builds and imports the pause image unless containerd already has it. Resolves to true if it imported. */
export async function ensurePauseImage(opts: EnsurePauseImageOptions): Promise<boolean> {
  const name = opts.name ?? PAUSE_IMAGE;
  if (await opts.cri.imageStatus(name)) return false;
  const image = buildPauseImage(pauseFlavor(), name);
  await importImageBuffer({ ctr: opts.ctr, socket: opts.socket, tarball: image.tarball });
  if (!(await opts.cri.imageStatus(name))) {
    throw new Error(`pause image ${name}: imported with ctr but CRI ImageStatus does not see it`);
  }
  return true;
}
