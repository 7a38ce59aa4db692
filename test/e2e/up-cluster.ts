/**
 * E2E harness for `k8ts up` (control plane + a real agent with containerd in one process), built on startCluster.
 *
 *   const up = await startUpCluster();                 // bin/k8ts up --data-dir <tmp> --port <free> --node-name <unique>
 *   await up.importTestImages();                       // k8ts.local/busybox:1, k8ts.local/web:1 via `k8ts image import`
 *   await up.cluster.kubectl(['get', 'pods']);
 *   await up.teardown();                               // pods deleted through kubectl, then k8ts stopped, then every
 *                                                      // node resource (containerd, bridge, netns, cgroups, data dir)
 *
 * Each cluster gets a unique node name (so its own bridge `k8ts-<hash>`), a /16 nothing on this machine uses
 * (K8TS_CLUSTER_CIDR), and K8TS_CNI_IPMASQ=false so pod traffic cannot leave the machine.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bridgeName } from '../../src/agent/agent.ts';
import { cgroupMountPoints, removeCgroup } from '../../src/cri/cgroups.ts';
import { containerdPaths } from '../../src/cri/containerd-config.ts';
import { CriClient } from '../../src/cri/cri-client.ts';
import { unmountUnder } from '../../src/cri/mounts.ts';
import { writeTestImageTarballs } from '../../src/cri/test-images.ts';
import { runtimeSkipReason } from '../../src/cri/test-node.ts';
import { k8tsBin, repoRoot, startCluster, type Cluster, type StartOptions } from './cluster.ts';

export { runtimeSkipReason };

export interface UpCluster {
  cluster: Cluster;
  nodeName: string;
  bridge: string;
  clusterCidr: string;
  /** Imports the test images with `bin/k8ts image import --data-dir DATA FILE…`. */
  importTestImages(): Promise<void>;
  /** PID of the running `k8ts up` (the parent of its containerd). */
  k8tsPid(): number;
  /** PID of the agent's containerd (its pid file). */
  containerdPid(): number | undefined;
  /** Deletes all pods (waiting for the agent to tear them down), stops k8ts, removes every node resource. */
  teardown(): Promise<void>;
}

/** A 10.X.0.0/16 (X in 100-199) that no local address or route uses. */
export function freeSlash16(): string {
  const used = execFileSync('ip', ['-4', '-o', 'addr'], { encoding: 'utf8' }) + execFileSync('ip', ['-4', 'route'], { encoding: 'utf8' });
  for (let i = 0; i < 200; i++) {
    const octet = 100 + (randomBytes(1)[0]! % 100);
    if (!used.includes(`10.${octet}.`)) return `10.${octet}.0.0/16`;
  }
  throw new Error('no free 10.100-199.0.0/16 for the test cluster');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function killPid(pid: number, graceMs = 5000): Promise<void> {
  if (!isAlive(pid)) return;
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  const until = Date.now() + graceMs;
  while (Date.now() < until && isAlive(pid)) await sleep(50);
  if (isAlive(pid)) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    for (let i = 0; i < 40 && isAlive(pid); i++) await sleep(50);
  }
}

function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((res, rej) => {
    execFile(cmd, args, { cwd: repoRoot, timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) rej(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stdout}\n${stderr}`));
      else res(stdout);
    });
  });
}

export async function startUpCluster(options: StartOptions = {}): Promise<UpCluster> {
  const nodeName = `e2e-${randomBytes(3).toString('hex')}`;
  const clusterCidr = freeSlash16();
  const cluster = await startCluster({
    ...options,
    verb: 'up',
    args: ['--node-name', nodeName, ...(options.args ?? [])],
    readyTimeoutMs: options.readyTimeoutMs ?? 90_000,
    env: { K8TS_CNI_IPMASQ: 'false', K8TS_CLUSTER_CIDR: clusterCidr, ...options.env },
  });
  const paths = containerdPaths(cluster.dataDir);
  const pidFile = join(paths.dir, 'containerd.pid');
  const containerdPid = (): number | undefined => {
    try {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      return Number.isInteger(pid) && pid > 1 ? pid : undefined;
    } catch {
      return undefined;
    }
  };
  const k8tsPid = (): number => {
    const cpid = containerdPid();
    if (!cpid) throw new Error(`no containerd pid in ${pidFile}`);
    const stat = readFileSync(`/proc/${cpid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const cmdline = readFileSync(`/proc/${ppid}/cmdline`, 'utf8');
    if (!cmdline.includes(cluster.dataDir) || !cmdline.includes('up')) throw new Error(`pid ${ppid} (parent of containerd ${cpid}) is not this k8ts up: ${cmdline}`);
    return ppid;
  };
  const seenUids = new Set<string>();

  const importTestImages = async () => {
    const files = writeTestImageTarballs(join(cluster.clientDir, 'images'));
    const [cmd, pre] = process.env.K8TS_E2E_BIN ? [k8tsBin, []] : [process.execPath, [k8tsBin]];
    await run(cmd, [...pre, 'image', 'import', '--data-dir', cluster.dataDir, files.busybox, files.web], 120_000);
  };

  const teardown = async () => {
    const problems: string[] = [];
    const attempt = async (what: string, fn: () => unknown) => {
      try {
        await fn();
      } catch (err) {
        problems.push(`${what}: ${(err as Error).message}`);
      }
    };
    // 1. pods deleted through the API while k8ts runs: the agent stops containers and removes sandboxes
    await attempt('delete pods', async () => {
      const list = await cluster.kubectl(['get', 'pods', '-A', '-o', 'json'], { allowFail: true, timeoutMs: 30_000 });
      try {
        for (const p of JSON.parse(list.stdout).items ?? []) seenUids.add(p.metadata.uid);
      } catch { /* no list */ }
      // pods deleted earlier in the run: their uids from the events about them
      const events = await cluster.kubectl(['get', 'events', '-A', '-o', 'json'], { allowFail: true, timeoutMs: 30_000 });
      try {
        for (const e of JSON.parse(events.stdout).items ?? []) if (e.involvedObject?.kind === 'Pod' && e.involvedObject.uid) seenUids.add(e.involvedObject.uid);
      } catch { /* no list */ }
      await cluster.kubectl(['delete', 'pods', '--all', '-A', '--grace-period=1', '--wait=true', '--timeout=90s'], { timeoutMs: 120_000 });
    });
    // 2. anything left in containerd (a failed delete): remove it directly
    if (existsSync(paths.socket) && containerdPid()) {
      await attempt('remove leftover sandboxes', async () => {
        const cri = new CriClient(paths.socket);
        try {
          for (const sb of await cri.listPodSandbox()) {
            seenUids.add(sb.metadata?.uid ?? '');
            await cri.stopPodSandbox(sb.id).catch(() => {});
            await cri.removePodSandbox(sb.id).catch(() => {});
          }
        } finally {
          cri.close();
        }
      });
    }
    const cpid = containerdPid();
    // 3. k8ts (its agent stops containerd), then make sure containerd is gone
    await attempt('unmount before stop', () => unmountUnder(cluster.dataDir));
    await attempt('stop k8ts', async () => {
      const exit = await cluster.stop();
      if (exit?.killed) throw new Error('k8ts did not stop on SIGTERM');
    });
    if (cpid) await attempt(`stop containerd ${cpid}`, () => killPid(cpid));
    // shims of this containerd that outlived their sandboxes (seen once under heavy load): stop them by PID
    await attempt('leftover shims', async () => {
      const shims = shimsFor(paths.socket);
      for (const pid of shims) await killPid(pid, 2000);
      if (shims.length) throw new Error(`${shims.length} containerd shim(s) outlived their pods (pids ${shims.join(', ')}); stopped`);
    });
    // 4. node resources outside the data dir
    await attempt(`delete bridge ${bridgeName(nodeName)}`, () => {
      try {
        execFileSync('ip', ['link', 'show', bridgeName(nodeName)], { stdio: 'ignore' });
      } catch {
        return;
      }
      execFileSync('ip', ['link', 'del', bridgeName(nodeName)], { stdio: ['ignore', 'ignore', 'pipe'] });
    });
    for (const uid of seenUids) {
      if (uid) await attempt(`remove cgroup of pod ${uid}`, () => removeCgroup(`/k8ts/pod${uid}`));
    }
    await attempt('unmount', () => unmountUnder(cluster.dataDir));
    await attempt('remove data dir', () => rmSync(join(cluster.dataDir, '..'), { recursive: true, force: true }));
    if (problems.length) throw new Error(`up cluster teardown left things behind:\n  ${problems.join('\n  ')}`);
  };

  return { cluster, nodeName, bridge: bridgeName(nodeName), clusterCidr, importTestImages, k8tsPid, containerdPid, teardown };
}

/** PIDs of containerd-shim processes serving the containerd at `socket`. */
export function shimsFor(socket: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!argv[0]?.includes('containerd-shim')) continue;
      const i = argv.indexOf('-address');
      if (i >= 0 && argv[i + 1] === socket) out.push(Number(entry));
    } catch { /* exited */ }
  }
  return out;
}

/** Pod cgroup dirs `pod<uid>` under /k8ts in any hierarchy (for leak checks). */
export function podCgroupsFor(uid: string): string[] {
  const out: string[] = [];
  for (const m of cgroupMountPoints()) {
    const dir = join(m, 'k8ts', `pod${uid}`);
    if (existsSync(dir)) out.push(dir);
  }
  return out;
}
