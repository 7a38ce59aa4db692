// importImage against the real containerd: OCI layout and docker-archive tarballs, tagging,
// and CRI seeing the result. Needs root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startContainerd } from './containerd-process.ts';
import { importImage, importImageBuffer } from './image-import.ts';
import { unmountUnder } from './mounts.ts';
import { buildOciImage } from './oci-image.ts';
import { tarArchive } from './tar-writer.ts';
import { runtimeSkipReason } from './test-node.ts';

const skip = runtimeSkipReason();

/** A docker-archive (`docker save` format) with one layer holding /hello. */
function dockerArchive(repoTag: string): Buffer {
  const layer = tarArchive([{ path: 'hello', type: 'file', mode: 0o644, data: 'hello\n' }]);
  const diffId = createHash('sha256').update(layer).digest('hex');
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', config: { Cmd: ['/hello'] }, rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
  }));
  const configHex = createHash('sha256').update(config).digest('hex');
  return tarArchive([
    { path: 'manifest.json', type: 'file', data: JSON.stringify([{ Config: `${configHex}.json`, RepoTags: [repoTag], Layers: [`${diffId}/layer.tar`] }]) },
    { path: `${configHex}.json`, type: 'file', data: config },
    { path: diffId, type: 'dir' },
    { path: `${diffId}/layer.tar`, type: 'file', data: layer },
  ]);
}

test('importImage: OCI layout and docker-archive land in k8s.io where CRI sees them', { skip, timeout: 60_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-import-test-'));
  const ctrd = await startContainerd({ dataDir, log: () => {} });
  try {
    const base = { ctr: ctrd.binaries.ctr, socket: ctrd.socket };
    const oci = buildOciImage({ name: 'k8ts.local/oci:1', files: [{ path: 'x', type: 'file', data: 'x' }], cmd: ['/x'] });
    const t0 = performance.now();
    assert.deepEqual(await importImageBuffer({ ...base, tarball: oci.tarball, tag: 'k8ts.local/oci:alias' }), ['k8ts.local/oci:1', 'k8ts.local/oci:alias']);
    console.log(`# OCI import + tag: ${(performance.now() - t0).toFixed(0)} ms`);
    const img = await ctrd.cri.imageStatus('k8ts.local/oci:1');
    assert.equal(img?.id, oci.configDigest, 'CRI image id is the config digest');
    assert.deepEqual([...img!.repo_tags].sort(), ['k8ts.local/oci:1', 'k8ts.local/oci:alias']);

    const file = join(dataDir, 'docker.tar');
    writeFileSync(file, dockerArchive('k8ts.local/docker:1'));
    assert.deepEqual(await importImage({ ...base, file }), ['k8ts.local/docker:1']);
    assert.ok(await ctrd.cri.imageStatus('k8ts.local/docker:1'));

    await assert.rejects(importImage({ ...base, file: join(dataDir, 'missing.tar') }), /import image archive .*missing\.tar/);
    await ctrd.cri.removeImage('k8ts.local/docker:1');
    assert.equal(await ctrd.cri.imageStatus('k8ts.local/docker:1'), null);
  } finally {
    await ctrd.stop();
    unmountUnder(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
