// Adoption on agent start: the runtime's pod sandboxes are matched to the API's pods by the
// io.kubernetes.pod.uid label. Pods still in the API keep running untouched — their workers read containers,
// restart counts (the restartCount annotation) and IPs back from the runtime on their first pass; sandboxes of
// pods the API no longer has are stopped and removed with their volumes, logs and cgroups.
//
//   await adoptExisting(deps, podsBoundHere, (pod) => workers.sync(pod));
import { readdirSync } from 'node:fs';
import type { KubeObject } from '../../api/object.ts';
import { removeCgroup } from '../../cri/cgroups.ts';
import { errMsg, LABEL_POD_UID, podCgroupParent, type PodSyncDeps } from './deps.ts';
import { cleanUpPod } from './pod-kill.ts';
import { cleanUpPodDir } from './volumes.ts';

export async function adoptExisting(deps: PodSyncDeps, pods: KubeObject[], sync: (pod: KubeObject) => void): Promise<{ adopted: string[]; removed: string[] }> {
  const known = new Set(pods.map((p) => p.metadata.uid).filter((u): u is string => !!u));
  const sandboxes = await deps.cri.listPodSandbox();
  const orphans = new Set<string>();
  const adopted = new Set<string>();
  for (const sb of sandboxes) {
    const uid = sb.labels[LABEL_POD_UID];
    if (!uid) continue;
    if (known.has(uid)) adopted.add(uid);
    else orphans.add(uid);
  }
  for (const uid of orphans) {
    try {
      await cleanUpPod(deps, uid);
      deps.log?.info('removed pod not in the API', { uid });
    } catch (err) {
      deps.log?.warn('removing orphaned pod failed', { uid, error: errMsg(err) });
    }
  }
  // pod dirs (volumes) and cgroups of pods that never got a sandbox, or whose sandbox is gone already
  let dirs: string[] = [];
  try {
    dirs = readdirSync(`${deps.dataDir}/pods`);
  } catch {
    // no pods dir yet
  }
  for (const uid of dirs) {
    if (known.has(uid) || orphans.has(uid)) continue;
    try {
      cleanUpPodDir(deps, uid);
      await removeCgroup(podCgroupParent(deps, uid));
      orphans.add(uid);
    } catch (err) {
      deps.log?.warn('removing orphaned pod dir failed', { uid, error: errMsg(err) });
    }
  }
  for (const pod of pods) sync(pod);
  deps.log?.info('adopted pods', { adopted: adopted.size, removed: orphans.size, total: pods.length });
  return { adopted: [...adopted], removed: [...orphans] };
}
