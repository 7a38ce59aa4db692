/**
 * Where container logs live on a node — the kubelet's layout, which `kubectl logs` and the agent's log server rely on:
 *   <logDir>/<namespace>_<pod>_<uid>/<container>/<restartCount>.log   (CRI format, written by containerd)
 *
 *   const path = containerLogPath('/var/lib/k8ts/pods-logs', 'default', 'web', uid, 'nginx', 0);
 */
import { join } from 'node:path';

export const podLogDir = (logDir: string, namespace: string, pod: string, uid: string) => join(logDir, `${namespace}_${pod}_${uid}`);

/** The path relative to the pod's log dir, as given to CRI ContainerConfig.log_path (sandbox log_directory = podLogDir). */
export const containerLogRelPath = (container: string, restartCount: number) => join(container, `${restartCount}.log`);

export const containerLogPath = (logDir: string, namespace: string, pod: string, uid: string, container: string, restartCount: number) =>
  join(podLogDir(logDir, namespace, pod, uid), containerLogRelPath(container, restartCount));
