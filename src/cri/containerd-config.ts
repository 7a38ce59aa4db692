// Renders containerd's config.toml (version 2) for one agent data dir.
//
//   const paths = containerdPaths('/var/lib/k8ts');
//   writeFileSync(paths.config, renderContainerdConfig({ dataDir: '/var/lib/k8ts', streamServerPort: 10010, runcPath }));
//
// Everything containerd writes lives under DATA/containerd (root, state, socket, opt dir) so
// several agents can share one machine. The CRI settings are the ones these VMs require
// (see /work/shared/notes/RUNTIME.md): restrict_oom_score_adj (root lacks CAP_SYS_RESOURCE),
// disable_apparmor, runc with cgroupfs (hybrid cgroups), netns mounts under the state dir.
import { join } from 'node:path';
import { PAUSE_IMAGE } from './pause-image.ts';

export interface ContainerdPaths {
  /** DATA/containerd */
  dir: string;
  root: string;
  state: string;
  socket: string;
  config: string;
  log: string;
  /** registry hosts config (certs.d/HOST/hosts.toml) */
  certsDir: string;
  /** containerd's "opt" plugin dir (defaults to /opt/containerd otherwise) */
  optDir: string;
  /** DATA/cni/net.d, where the CNI conflist goes */
  cniConfDir: string;
  /** DATA/cni/networks: host-local IPAM leases (per agent, not the shared /var/lib/cni/networks) */
  ipamDataDir: string;
}

export function containerdPaths(dataDir: string): ContainerdPaths {
  const dir = join(dataDir, 'containerd');
  return {
    dir,
    root: join(dir, 'root'),
    state: join(dir, 'state'),
    socket: join(dir, 'containerd.sock'),
    config: join(dir, 'config.toml'),
    log: join(dir, 'containerd.log'),
    certsDir: join(dir, 'certs.d'),
    optDir: join(dir, 'opt'),
    cniConfDir: join(dataDir, 'cni', 'net.d'),
    ipamDataDir: join(dataDir, 'cni', 'networks'),
  };
}

export interface ContainerdConfigOptions {
  /** Absolute agent data dir. */
  dataDir: string;
  /** Loopback port of the CRI stream server (exec/attach/port-forward URLs). */
  streamServerPort: number;
  /** Absolute path of runc (prerequisites.ts finds it). */
  runcPath: string;
  /** Default k8ts.local/pause:1. Must already be imported: containerd would try to pull it. */
  sandboxImage?: string;
  /** Default /usr/lib/cni (Debian's containernetworking-plugins). */
  cniBinDir?: string;
  /** containerd log level (default "info"). */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

/**
 * Plugins k8ts never uses. Skipping them saves start-up probing (btrfs/zfs/devmapper/aufs
 * look for their filesystems) and keeps the log free of "skip loading plugin" noise.
 * Not io.containerd.runtime.v1.linux: in 1.6 the tasks service (and so CRI) needs it.
 */
export const DISABLED_PLUGINS = [
  'io.containerd.snapshotter.v1.aufs',
  'io.containerd.snapshotter.v1.btrfs',
  'io.containerd.snapshotter.v1.devmapper',
  'io.containerd.snapshotter.v1.zfs',
  'io.containerd.tracing.processor.v1.otlp',
  'io.containerd.internal.v1.tracing',
];

/** TOML basic string (JSON's escapes are a subset TOML accepts for these values). */
function q(s: string): string {
  return JSON.stringify(s);
}

export function renderContainerdConfig(opts: ContainerdConfigOptions): string {
  const p = containerdPaths(opts.dataDir);
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `# Written by k8ts (src/cri/containerd-config.ts); rewritten on every agent start.
version = 2
root = ${q(p.root)}
state = ${q(p.state)}
disabled_plugins = [${DISABLED_PLUGINS.map(q).join(', ')}]

[grpc]
  address = ${q(p.socket)}

[debug]
  level = ${q(opts.logLevel ?? 'info')}

[plugins."io.containerd.internal.v1.opt"]
  path = ${q(p.optDir)}

[${cri}]
  sandbox_image = ${q(opts.sandboxImage ?? PAUSE_IMAGE)}
  stream_server_address = "127.0.0.1"
  stream_server_port = ${q(String(opts.streamServerPort))}
  enable_tls_streaming = false
  disable_apparmor = true
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  enable_selinux = false

  [${cri}.containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"

    [${cri}.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"

      [${cri}.containerd.runtimes.runc.options]
        BinaryName = ${q(opts.runcPath)}
        Root = ${q(join(p.state, 'runc'))}
        SystemdCgroup = false

  [${cri}.cni]
    bin_dir = ${q(opts.cniBinDir ?? '/usr/lib/cni')}
    conf_dir = ${q(p.cniConfDir)}
    max_conf_num = 1

  [${cri}.registry]
    config_path = ${q(p.certsDir)}
`;
}
