import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerdPaths, renderContainerdConfig } from './containerd-config.ts';
import { findExecutable } from './prerequisites.ts';

const opts = { dataDir: '/var/lib/k8ts-x', streamServerPort: 10123, runcPath: '/usr/sbin/runc' };

test('containerdPaths: everything under DATA/containerd, CNI conf under DATA/cni/net.d', () => {
  const p = containerdPaths('/d');
  assert.equal(p.socket, '/d/containerd/containerd.sock');
  assert.equal(p.root, '/d/containerd/root');
  assert.equal(p.state, '/d/containerd/state');
  assert.equal(p.log, '/d/containerd/containerd.log');
  assert.equal(p.certsDir, '/d/containerd/certs.d');
  assert.equal(p.cniConfDir, '/d/cni/net.d');
  assert.equal(p.ipamDataDir, '/d/cni/networks');
});

test('renderContainerdConfig: own paths and the settings these machines require', () => {
  const toml = renderContainerdConfig(opts);
  for (const line of [
    'version = 2',
    'root = "/var/lib/k8ts-x/containerd/root"',
    'state = "/var/lib/k8ts-x/containerd/state"',
    'address = "/var/lib/k8ts-x/containerd/containerd.sock"',
    'path = "/var/lib/k8ts-x/containerd/opt"',
    'sandbox_image = "k8ts.local/pause:1"',
    'stream_server_address = "127.0.0.1"',
    'stream_server_port = "10123"',
    'disable_apparmor = true',
    'restrict_oom_score_adj = true',
    'netns_mounts_under_state_dir = true',
    'BinaryName = "/usr/sbin/runc"',
    'Root = "/var/lib/k8ts-x/containerd/state/runc"',
    'SystemdCgroup = false',
    'bin_dir = "/usr/lib/cni"',
    'conf_dir = "/var/lib/k8ts-x/cni/net.d"',
    'config_path = "/var/lib/k8ts-x/containerd/certs.d"',
  ]) {
    assert.ok(toml.split('\n').some((l) => l.trim() === line), `config has: ${line}\n${toml}`);
  }
});

test('renderContainerdConfig: containerd itself parses it (config dump)', { skip: findExecutable('containerd') ? false : 'containerd not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-ctrd-config-'));
  try {
    const file = join(dir, 'config.toml');
    writeFileSync(file, renderContainerdConfig({ ...opts, dataDir: dir, sandboxImage: 'k8ts.local/pause:9' }));
    const dump = execFileSync('containerd', ['--config', file, 'config', 'dump'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.match(dump, /sandbox_image = "k8ts.local\/pause:9"/);
    assert.match(dump, /restrict_oom_score_adj = true/);
    assert.match(dump, /netns_mounts_under_state_dir = true/);
    assert.match(dump, /disabled_plugins = \[.*io\.containerd\.snapshotter\.v1\.btrfs/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
