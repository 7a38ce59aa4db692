/**
 * `k8ts up`: the control plane plus (later) the scheduler and a local agent in one process.
 * For now it runs the control plane only, with the same flags and the same `ready` line as `k8ts server`.
 */
import { log } from '../apiserver/log.ts';
import { controlPlaneOptions, keepAliveOnUnhandledErrors, startControlPlane, untilSignal } from './server.ts';

export async function upCommand(argv: string[]): Promise<number> {
  const opts = controlPlaneOptions(argv);
  keepAliveOnUnhandledErrors(log);
  const cp = await startControlPlane({ ...opts, log });
  log.info('API server ready', { url: cp.url, kubeconfig: cp.kubeconfigPath, dataDir: opts.dataDir });
  process.stdout.write(`k8ts: API server ready at ${cp.url} (kubeconfig: ${cp.kubeconfigPath})\n`);
  await untilSignal(cp.stop, log);
  log.info('stopped');
  // Whatever a component left open (a timer, a socket) must not keep a stopped server alive.
  setTimeout(() => process.exit(0), 200).unref();
  return 0;
}
