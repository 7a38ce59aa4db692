import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildOciImage, rootfsEntries, MEDIA_TYPE_MANIFEST } from './oci-image.ts';
import { listTar } from './tar-list.ts';

const spec = {
  name: 'k8ts.local/hello:1',
  files: [{ path: 'hello', type: 'file' as const, mode: 0o755, data: '#!/bin/sh\necho hello\n' }],
  entrypoint: ['/hello'],
  cmd: ['world'],
  env: ['GREETING=hi'],
  exposedPorts: ['8080/tcp'],
};

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

test('buildOciImage: an OCI layout whose blobs match their digests', async () => {
  const img = buildOciImage(spec);
  const files = new Map((await listTar(img.tarball)).map((e) => [e.path, e.body]));
  assert.equal(files.get('oci-layout')!.toString(), '{"imageLayoutVersion":"1.0.0"}');
  const blob = (d: string) => files.get(`blobs/sha256/${d.slice(7)}`)!;

  const index = JSON.parse(files.get('index.json')!.toString());
  assert.equal(index.schemaVersion, 2);
  const desc = index.manifests[0];
  assert.equal(desc.mediaType, MEDIA_TYPE_MANIFEST);
  assert.equal(desc.digest, img.manifestDigest);
  assert.equal(desc.annotations['org.opencontainers.image.ref.name'], 'k8ts.local/hello:1');
  assert.equal(desc.annotations['io.containerd.image.name'], 'k8ts.local/hello:1');
  assert.equal(desc.platform.os, 'linux');

  const manifest = JSON.parse(blob(img.manifestDigest).toString());
  assert.equal(sha(blob(img.manifestDigest)), img.manifestDigest);
  assert.equal(manifest.config.digest, img.configDigest);
  assert.equal(manifest.layers[0].digest, img.layerDigest);
  assert.equal(sha(blob(img.layerDigest)), img.layerDigest);
  assert.equal(manifest.layers[0].size, blob(img.layerDigest).length);

  const config = JSON.parse(blob(img.configDigest).toString());
  assert.deepEqual(config.config.Entrypoint, ['/hello']);
  assert.deepEqual(config.config.Cmd, ['world']);
  assert.deepEqual(config.config.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'GREETING=hi']);
  assert.deepEqual(config.config.ExposedPorts, { '8080/tcp': {} });
  assert.equal(config.os, 'linux');

  const layerTar = gunzipSync(blob(img.layerDigest));
  assert.deepEqual(config.rootfs.diff_ids, [sha(layerTar)]);
  const layer = await listTar(layerTar);
  assert.deepEqual(layer.map((e) => [e.path, e.mode]), [['hello', 0o755]]);
});

test('buildOciImage: deterministic (same spec, same digests and bytes)', () => {
  const a = buildOciImage(spec);
  const b = buildOciImage(spec);
  assert.equal(a.manifestDigest, b.manifestDigest);
  assert.deepEqual(a.tarball, b.tarball);
  assert.notEqual(buildOciImage({ ...spec, cmd: ['other'] }).configDigest, a.configDigest);
});

test('rootfsEntries: walks a directory sorted, parents first, keeping modes and symlinks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-rootfs-'));
  try {
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'tool'), 'x');
    chmodSync(join(dir, 'bin', 'tool'), 0o750);
    symlinkSync('tool', join(dir, 'bin', 'alias'));
    writeFileSync(join(dir, 'a.txt'), 'a');
    const entries = rootfsEntries(dir);
    assert.deepEqual(entries.map((e) => [e.path, e.type]), [
      ['a.txt', 'file'], ['bin', 'dir'], ['bin/alias', 'symlink'], ['bin/tool', 'file'],
    ]);
    assert.equal((entries[3] as { mode: number }).mode, 0o750);
    assert.equal((entries[2] as { linkname: string }).linkname, 'tool');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
