// Test support: one pod with the k8ts.local/web:1 container (busybox httpd on WEB_PORT, hostname `web-pod`),
// a 100 MiB /www/big for transfer tests, waiting until httpd answers.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PodSandboxConfig } from '../cri/cri-types.ts';
import { WEB_IMAGE, WEB_PORT, ensureTestImages } from '../cri/test-images.ts';
import type { TestNode } from '../cri/test-node.ts';

export const BIG_FILE_BYTES = 100 * 1024 * 1024;

export async function startWebPod(node: TestNode): Promise<{ podSandboxId: string; containerId: string; sandboxConfig: PodSandboxConfig }> {
  const cri = node.cri;
  await ensureTestImages({ cri, ctr: node.ctrd.binaries.ctr, socket: node.ctrd.socket });
  const uid = `uid-${Date.now()}`;
  const logDir = join(node.dataDir, 'pods', uid);
  mkdirSync(logDir, { recursive: true });
  const sandboxConfig: PodSandboxConfig = {
    metadata: { name: 'web', uid, namespace: 'default', attempt: 0 },
    hostname: 'web-pod',
    log_directory: logDir,
    linux: { cgroup_parent: `${node.cgroupParent}/pod${uid}` },
  };
  const podSandboxId = await cri.runPodSandbox(sandboxConfig);
  const containerId = await cri.createContainer(podSandboxId, {
    metadata: { name: 'web', attempt: 0 },
    image: { image: WEB_IMAGE },
    log_path: 'web/0.log',
    envs: [{ key: 'PORT', value: String(WEB_PORT) }],
    linux: {},
  }, sandboxConfig);
  await cri.startContainer(containerId);
  const dd = await cri.execSync(containerId, ['sh', '-c', `dd if=/dev/urandom of=/www/big bs=1048576 count=${BIG_FILE_BYTES / 1048576} 2>/dev/null; wc -c < /www/big`], 60);
  if (dd.stdout.toString().trim() !== String(BIG_FILE_BYTES)) throw new Error(`could not write /www/big: ${dd.stdout} ${dd.stderr}`);
  for (let i = 0; ; i++) {
    const r = await cri.execSync(containerId, ['wget', '-qO-', `http://127.0.0.1:${WEB_PORT}/healthz`], 5);
    if (r.stdout.toString() === 'ok\n') break;
    if (i > 100) throw new Error('httpd in the web pod never answered');
    await sleep(50);
  }
  return { podSandboxId, containerId, sandboxConfig };
}
