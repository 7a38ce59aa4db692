// Small images for tests and e2e scenarios, built offline from Debian's busybox-static.
//
//   await ensureTestImages({ cri: ctrd.cri, ctr: ctrd.binaries.ctr, socket: ctrd.socket });
//   // or, for `k8ts image import FILE`:
//   writeTestImageTarballs('/tmp/images'); // → busybox.tar, web.tar
//
// - k8ts.local/busybox:1 — busybox with a symlink for every applet (sh, httpd, nc, wget, …),
//   /etc/passwd and /etc/group (root, nobody), /tmp; default command `sh`.
// - k8ts.local/web:1 — the same plus /web.sh: writes the pod's hostname to /www/index.html,
//   "ok" to /www/healthz, then runs `httpd -f -p ${PORT:-8080} -h /www` in the foreground.
//   GET / answers "<hostname>\n": enough to tell which pod a Service routed to.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CriClient } from './cri-client.ts';
import { buildOciImage, type BuiltOciImage } from './oci-image.ts';
import { importImageBuffer } from './image-import.ts';
import { BUSYBOX_STATIC, isStaticElf } from './pause-image.ts';
import type { TarEntry } from './tar-writer.ts';

export const BUSYBOX_IMAGE = 'k8ts.local/busybox:1';
export const WEB_IMAGE = 'k8ts.local/web:1';
export const WEB_PORT = 8080;

const WEB_SH = `#!/bin/sh
# k8ts test web server: GET / answers this pod's hostname.
mkdir -p /www
hostname > /www/index.html
echo ok > /www/healthz
echo "web: serving $(hostname) on :\${PORT:-${WEB_PORT}}"
exec httpd -f -v -p "\${PORT:-${WEB_PORT}}" -h /www
`;

function requireBusybox(): Buffer {
  if (!isStaticElf(BUSYBOX_STATIC)) {
    throw new Error(`test images need a static busybox at ${BUSYBOX_STATIC}: apt-get install -y busybox-static`);
  }
  return readFileSync(BUSYBOX_STATIC);
}

/** Root filesystem entries of the busybox image: dirs, /bin/busybox, one symlink per applet. */
export function busyboxRootfs(): TarEntry[] {
  const busybox = requireBusybox();
  // "usr/bin/wget", "sbin/ip", … (the install path of every applet)
  const applets = execFileSync(BUSYBOX_STATIC, ['--list-full'], { encoding: 'utf8' })
    .split('\n').map((l) => l.trim()).filter((l) => l && l !== 'bin/busybox').sort();
  const dirs = new Set(['bin', 'sbin', 'usr', 'usr/bin', 'usr/sbin', 'etc', 'root', 'var', 'var/www']);
  for (const a of applets) {
    const parts = a.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const entries: TarEntry[] = [...dirs].sort().map((d) => ({ path: d, type: 'dir' as const, mode: d === 'root' ? 0o700 : 0o755 }));
  entries.push({ path: 'tmp', type: 'dir', mode: 0o1777 });
  entries.push({ path: 'bin/busybox', type: 'file', mode: 0o755, data: busybox });
  for (const a of applets) entries.push({ path: a, type: 'symlink', linkname: '/bin/busybox' });
  entries.push(
    { path: 'etc/passwd', type: 'file', data: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' },
    { path: 'etc/group', type: 'file', data: 'root:x:0:\nnogroup:x:65534:\n' },
  );
  return entries;
}

export function buildBusyboxImage(name = BUSYBOX_IMAGE): BuiltOciImage {
  return buildOciImage({ name, files: busyboxRootfs(), cmd: ['sh'] });
}

export function buildWebImage(name = WEB_IMAGE): BuiltOciImage {
  return buildOciImage({
    name,
    files: [...busyboxRootfs(), { path: 'web.sh', type: 'file', mode: 0o755, data: WEB_SH }],
    entrypoint: ['/web.sh'],
    exposedPorts: [`${WEB_PORT}/tcp`],
  });
}

export interface EnsureTestImagesOptions {
  cri: CriClient;
  ctr: string;
  socket: string;
}

/** Builds and imports the test images containerd does not have yet; resolves to the names imported. */
export async function ensureTestImages(opts: EnsureTestImagesOptions): Promise<string[]> {
  const imported: string[] = [];
  for (const [name, build] of [[BUSYBOX_IMAGE, buildBusyboxImage], [WEB_IMAGE, buildWebImage]] as const) {
    if (await opts.cri.imageStatus(name)) continue;
    await importImageBuffer({ ctr: opts.ctr, socket: opts.socket, tarball: build(name).tarball });
    imported.push(name);
  }
  return imported;
}

/** Writes busybox.tar and web.tar (OCI layout) into dir; returns their paths. */
export function writeTestImageTarballs(dir: string): { busybox: string; web: string } {
  mkdirSync(dir, { recursive: true });
  const busybox = join(dir, 'busybox.tar');
  const web = join(dir, 'web.tar');
  writeFileSync(busybox, buildBusyboxImage().tarball);
  writeFileSync(web, buildWebImage().tarball);
  return { busybox, web };
}
