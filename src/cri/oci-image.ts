// Builds a one-layer OCI image as an OCI-layout tarball, offline and deterministically.
//
//   const img = buildOciImage({
//     name: 'k8ts.local/busybox:1',
//     files: [{ path: 'bin', type: 'dir' }, { path: 'bin/busybox', type: 'file', mode: 0o755, data: readFileSync('/bin/busybox') }],
//     cmd: ['/bin/sh'],
//   });
//   writeFileSync('busybox.tar', img.tarball);
//
// Tarball layout: oci-layout, index.json (the manifest descriptor annotated with the image
// name under both org.opencontainers.image.ref.name and io.containerd.image.name, which
// `ctr images import` uses as the image name), blobs/sha256/{manifest,config,layer}.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tarArchive, type TarEntry } from './tar-writer.ts';

export const MEDIA_TYPE_INDEX = 'application/vnd.oci.image.index.v1+json';
export const MEDIA_TYPE_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MEDIA_TYPE_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const MEDIA_TYPE_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface OciImageSpec {
  /** Full image reference, e.g. "k8ts.local/pause:1". */
  name: string;
  /** Layer contents, in tar order (parents before children). */
  files: TarEntry[];
  entrypoint?: string[];
  cmd?: string[];
  /** "KEY=value" strings; PATH defaults to the usual one when absent. */
  env?: string[];
  workingDir?: string;
  user?: string;
  /** e.g. ["8080/tcp"] */
  exposedPorts?: string[];
  labels?: Record<string, string>;
}

export interface BuiltOciImage {
  name: string;
  tarball: Buffer;
  /** sha256:… of the manifest (what containerd reports as the repo digest). */
  manifestDigest: string;
  /** sha256:… of the config: the image id CRI reports. */
  configDigest: string;
  layerDigest: string;
  diffId: string;
}

export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function ociArch(): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return map[process.arch] ?? process.arch;
}

/** JSON with sorted object keys, so blobs are byte-for-byte stable. */
function canonicalJson(value: unknown): Buffer {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return Buffer.from(JSON.stringify(sort(value)));
}

export function buildOciImage(spec: OciImageSpec): BuiltOciImage {
  const layerTar = tarArchive(spec.files);
  const layer = gzipSync(layerTar, { level: 6 });
  const diffId = sha256(layerTar);
  const layerDigest = sha256(layer);

  const env = spec.env ?? [];
  const fullEnv = env.some((e) => e.startsWith('PATH=')) ? env : [DEFAULT_PATH_ENV, ...env];
  const config = canonicalJson({
    architecture: ociArch(),
    os: 'linux',
    config: {
      Entrypoint: spec.entrypoint,
      Cmd: spec.cmd,
      Env: fullEnv,
      WorkingDir: spec.workingDir,
      User: spec.user,
      ExposedPorts: spec.exposedPorts ? Object.fromEntries(spec.exposedPorts.map((p) => [p, {}])) : undefined,
      Labels: spec.labels,
    },
    rootfs: { type: 'layers', diff_ids: [diffId] },
  });
  const configDigest = sha256(config);

  const manifest = canonicalJson({
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_MANIFEST,
    config: { mediaType: MEDIA_TYPE_CONFIG, digest: configDigest, size: config.length },
    layers: [{ mediaType: MEDIA_TYPE_LAYER_GZIP, digest: layerDigest, size: layer.length }],
  });
  const manifestDigest = sha256(manifest);

  const index = canonicalJson({
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_INDEX,
    manifests: [{
      mediaType: MEDIA_TYPE_MANIFEST,
      digest: manifestDigest,
      size: manifest.length,
      platform: { architecture: ociArch(), os: 'linux' },
      annotations: {
        'io.containerd.image.name': spec.name,
        'org.opencontainers.image.ref.name': spec.name,
      },
    }],
  });

  const blob = (digest: string, data: Buffer): TarEntry => ({ path: `blobs/sha256/${digest.slice('sha256:'.length)}`, type: 'file', data });
  const tarball = tarArchive([
    { path: 'oci-layout', type: 'file', data: '{"imageLayoutVersion":"1.0.0"}' },
    { path: 'index.json', type: 'file', data: index },
    { path: 'blobs', type: 'dir' },
    { path: 'blobs/sha256', type: 'dir' },
    blob(manifestDigest, manifest),
    blob(configDigest, config),
    blob(layerDigest, layer),
  ]);
  return { name: spec.name, tarball, manifestDigest, configDigest, layerDigest, diffId };
}

/**
 * Tar entries for everything under rootDir (sorted, parents first), as they would appear
 * at / in the image. Regular files, directories and symlinks only; modes kept, owners dropped.
 */
export function rootfsEntries(rootDir: string): TarEntry[] {
  const out: TarEntry[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(rootDir, rel)).sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      const abs = join(rootDir, relPath);
      const st = lstatSync(abs);
      if (st.isDirectory()) {
        out.push({ path: relPath, type: 'dir', mode: st.mode & 0o7777 });
        walk(relPath);
      } else if (st.isSymbolicLink()) {
        out.push({ path: relPath, type: 'symlink', linkname: readlinkSync(abs) });
      } else if (st.isFile()) {
        out.push({ path: relPath, type: 'file', mode: st.mode & 0o7777, data: readFileSync(abs) });
      } else {
        throw new Error(`rootfs ${rootDir}: ${relPath} is not a regular file, directory or symlink`);
      }
    }
  };
  walk('');
  return out;
}
