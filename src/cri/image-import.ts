// Imports image tarballs (OCI layout or docker-archive) into containerd's `k8s.io` namespace,
// where the CRI plugin sees them, using the `ctr` tool that ships with containerd.
//
//   const names = await importImage({ ctr: bins.ctr, socket: ctrd.socket, file: 'busybox.tar' });
//   // → ['k8ts.local/busybox:1']
//
// Why ctr: it already handles both archive formats, unpacks into the overlayfs snapshotter
// and emits the image events the CRI plugin listens to; an import takes ~50 ms.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CRI_NAMESPACE = 'k8s.io';

export interface ImportImageOptions {
  /** Path of the ctr binary. */
  ctr: string;
  /** containerd's socket. */
  socket: string;
  /** The tarball (OCI layout or docker-archive). */
  file: string;
  /** Also tag the imported image with this name (e.g. when the archive names it differently). */
  tag?: string;
  /** Default 120 s. */
  timeoutMs?: number;
}

function run(bin: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin} ${args.join(' ')}: ${(stderr || err.message).trim()}`, { cause: err }));
      else resolve(stdout + stderr);
    });
  });
}

/** Imports the tarball; resolves to the image names it created (plus `tag` when given). */
export async function importImage(opts: ImportImageOptions): Promise<string[]> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const base = ['--address', opts.socket, '--namespace', CRI_NAMESPACE];
  let out: string;
  try {
    out = await run(opts.ctr, [...base, 'images', 'import', opts.file], timeoutMs);
  } catch (err) {
    throw new Error(`import image archive ${opts.file}: ${(err as Error).message}`, { cause: err });
  }
  // ctr prints "unpacking NAME (sha256:…)...done" for every image it imported.
  const names = [...out.matchAll(/^unpacking (\S+) \(sha256:[0-9a-f]+\)/gm)].map((m) => m[1]!);
  if (opts.tag && !names.includes(opts.tag)) {
    if (names.length !== 1) {
      throw new Error(`import image archive ${opts.file}: cannot tag it ${opts.tag}: it held ${names.length} images (${names.join(', ') || 'none'})`);
    }
    await run(opts.ctr, [...base, 'images', 'tag', '--force', names[0]!, opts.tag], timeoutMs);
    names.push(opts.tag);
  }
  return names;
}

/** Writes an in-memory tarball to a temp file, imports it, removes the file. */
export async function importImageBuffer(opts: Omit<ImportImageOptions, 'file'> & { tarball: Buffer }): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-image-'));
  try {
    const file = join(dir, 'image.tar');
    writeFileSync(file, opts.tarball);
    return await importImage({ ...opts, file });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
