// A throwaway node runtime for tests: its own data dir, containerd, CNI bridge and /24, and
// cgroup parent, all with unique names, and a teardown that removes every one of them.
//
//   const skip = runtimeSkipReason();
//   test('pods', { skip }, async () => {
//     const node = await startTestNode();
//     try { … node.cri.runPodSandbox(…) … } finally { await node.teardown(); }
//   });
import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeCgroup } from './cgroups.ts';
import type { CriClient } from './cri-client.ts';
import { startContainerd, type ContainerdProcess } from './containerd-process.ts';
import { unmountUnder } from './mounts.ts';
import { ensurePauseImage } from './pause-image.ts';
import { checkRuntimePrerequisites } from './prerequisites.ts';

/** Why runtime tests cannot run here (not root, containerd/runc/CNI missing), or false. */
export function runtimeSkipReason(): string | false {
  if (process.platform !== 'linux') return 'runtime tests need Linux';
  if (process.getuid?.() !== 0) return 'runtime tests need root (they start containerd and create bridges)';
  try {
    checkRuntimePrerequisites();
  } catch (err) {
    return (err as Error).message;
  }
  return false;
}

export interface TestNode {
  dataDir: string;
  bridge: string;
  subnet: string;
  /** Put pods under this cgroup parent (e.g. `${cgroupParent}/pod<uid>`): teardown removes it. */
  cgroupParent: string;
  ctrd: ContainerdProcess;
  cri: CriClient;
  /** Startup timings in ms. */
  timings: Record<string, number>;
  /** Removes sandboxes, stops containerd, deletes the bridge, cgroups, mounts and the data dir. */
  teardown(): Promise<void>;
}

/** A /24 in 10.42.200-249 that no local address or route uses yet. */
function pickSubnet(): string {
  const used = execFileSync('ip', ['-4', '-o', 'addr'], { encoding: 'utf8' }) + execFileSync('ip', ['-4', 'route'], { encoding: 'utf8' });
  for (let i = 0; i < 100; i++) {
    const octet = 200 + (randomBytes(1)[0]! % 50);
    if (!used.includes(`10.42.${octet}.`)) return `10.42.${octet}.0/24`;
  }
  throw new Error('no free 10.42.200-249.0/24 subnet for a test node');
}

export async function startTestNode(): Promise<TestNode> {
  const id = randomBytes(3).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), `k8ts-test-${id}-`));
  const bridge = `k8ts-t${id}`;
  const subnet = pickSubnet();
  const cgroupParent = `/k8ts-test-${id}`;
  const timings: Record<string, number> = {};
  let ctrd: ContainerdProcess | undefined;

  const teardown = async (): Promise<void> => {
    const problems: string[] = [];
    const attempt = async (what: string, fn: () => unknown): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        problems.push(`${what}: ${(err as Error).message}`);
      }
    };
    if (ctrd) {
      const c = ctrd;
      await attempt('remove sandboxes', async () => {
        for (const sb of await c.cri.listPodSandbox()) {
          await c.cri.stopPodSandbox(sb.id);
          await c.cri.removePodSandbox(sb.id);
        }
      });
      await attempt('stop containerd', () => c.stop());
    }
    await attempt(`delete bridge ${bridge}`, () => {
      try {
        execFileSync('ip', ['link', 'show', bridge], { stdio: 'ignore' });
      } catch {
        return; // never created
      }
      execFileSync('ip', ['link', 'del', bridge], { stdio: ['ignore', 'ignore', 'pipe'] });
    });
    await attempt(`remove cgroup ${cgroupParent}`, () => removeCgroup(cgroupParent));
    await attempt(`unmount under ${dataDir}`, () => unmountUnder(dataDir));
    await attempt(`remove ${dataDir}`, () => rmSync(dataDir, { recursive: true, force: true }));
    if (problems.length) throw new Error(`test node teardown left things behind:\n  ${problems.join('\n  ')}`);
  };

  try {
    let t = performance.now();
    ctrd = await startContainerd({
      dataDir,
      cni: { bridge, subnet, ipMasq: false },
      log: () => {},
    });
    timings.containerdStart = performance.now() - t;
    t = performance.now();
    await ensurePauseImage({ cri: ctrd.cri, ctr: ctrd.binaries.ctr, socket: ctrd.socket });
    timings.pauseImage = performance.now() - t;
  } catch (err) {
    await teardown().catch(() => {});
    throw err;
  }
  return { dataDir, bridge, subnet, cgroupParent, ctrd, cri: ctrd.cri, timings, teardown };
}

/** Tests: a plain GET of a pod URL from the host (the pod IP is on the test node's bridge). */
export function httpGet(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}
