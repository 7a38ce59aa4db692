import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { BUSYBOX_STATIC, isStaticElf } from './pause-image.ts';
import { listTar } from './tar-list.ts';
import { BUSYBOX_IMAGE, WEB_IMAGE, buildBusyboxImage, buildWebImage, busyboxRootfs } from './test-images.ts';

const skip = isStaticElf(BUSYBOX_STATIC) ? false : 'busybox-static not installed';

test('busyboxRootfs: applet symlinks (sh, httpd, wget, hostname) to /bin/busybox, parents first', { skip }, () => {
  const entries = busyboxRootfs();
  const byPath = new Map(entries.map((e) => [e.path, e]));
  for (const applet of ['bin/sh', 'usr/sbin/httpd', 'usr/bin/wget', 'bin/hostname', 'bin/sleep']) {
    const e = byPath.get(applet);
    assert.ok(e && e.type === 'symlink' && e.linkname === '/bin/busybox', `${applet} → /bin/busybox`);
  }
  assert.equal(byPath.get('bin/busybox')?.type, 'file');
  assert.equal((byPath.get('tmp') as { mode: number }).mode, 0o1777);
  const seen = new Set<string>();
  for (const e of entries) {
    const parent = e.path.split('/').slice(0, -1).join('/');
    assert.ok(!parent || seen.has(parent), `${e.path} comes after its parent`);
    seen.add(e.path);
  }
});

test('web image: /web.sh entrypoint serving the hostname on 8080', { skip }, async () => {
  const img = buildWebImage();
  assert.equal(img.name, WEB_IMAGE);
  const blobs = new Map((await listTar(img.tarball)).map((e) => [e.path, e.body]));
  const config = JSON.parse(blobs.get(`blobs/sha256/${img.configDigest.slice(7)}`)!.toString());
  assert.deepEqual(config.config.Entrypoint, ['/web.sh']);
  assert.deepEqual(config.config.ExposedPorts, { '8080/tcp': {} });
  const layer = await listTar(gunzipSync(blobs.get(`blobs/sha256/${img.layerDigest.slice(7)}`)!));
  const script = layer.find((e) => e.path === 'web.sh')!;
  assert.equal(script.mode, 0o755);
  assert.match(script.body.toString(), /hostname > \/www\/index.html/);
  assert.match(script.body.toString(), /exec httpd -f -v -p "\$\{PORT:-8080\}" -h \/www/);
});

test('test images are deterministic', { skip }, () => {
  assert.equal(buildBusyboxImage().manifestDigest, buildBusyboxImage().manifestDigest);
  assert.equal(buildBusyboxImage().name, BUSYBOX_IMAGE);
});
