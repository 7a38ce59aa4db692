// RunPodSandbox for a pod: log dir, sandbox (pause + CNI), then its IPs from PodSandboxStatus.
// On a failure after the sandbox exists, the sandbox is stopped and removed right here.
//
//   const sb = await runSandbox(deps, pod, 0);   // → { id, config, ips: ['10.42.0.7'], ms: 103 }
import { mkdirSync } from 'node:fs';
import type { KubeObject } from '../../api/object.ts';
import type { PodSandboxConfig } from '../../cri/cri-types.ts';
import { errMsg, msSince, podKey, type PodSyncDeps } from './deps.ts';
import { buildSandboxConfig } from './sandbox-config.ts';

export interface RunningSandbox {
  id: string;
  config: PodSandboxConfig;
  /** Pod IPs (primary first); empty for hostNetwork pods. */
  ips: string[];
  /** How long RunPodSandbox + status took. */
  ms: number;
}

export async function runSandbox(deps: PodSyncDeps, pod: KubeObject, attempt: number): Promise<RunningSandbox> {
  const t0 = performance.now();
  const config = buildSandboxConfig(deps, pod, attempt);
  mkdirSync(config.log_directory!, { recursive: true });
  let id: string;
  try {
    id = await deps.cri.runPodSandbox(config);
  } catch (err) {
    throw new Error(`run sandbox for pod ${podKey(pod)} (attempt ${attempt}): ${errMsg(err)}`, { cause: err });
  }
  try {
    const status = await deps.cri.podSandboxStatus(id);
    const net = status.status?.network;
    const ips = net?.ip ? [net.ip, ...net.additional_ips.map((a) => a.ip)] : [];
    const ms = msSince(t0);
    deps.log?.debug('sandbox running', { pod: podKey(pod), uid: pod.metadata.uid, sandbox: id, attempt, ip: ips[0], ms });
    return { id, config, ips, ms };
  } catch (err) {
    await deps.cri.stopPodSandbox(id).then(() => deps.cri.removePodSandbox(id)).catch(() => {});
    throw new Error(`sandbox ${id} of pod ${podKey(pod)}: status: ${errMsg(err)}`, { cause: err });
  }
}
