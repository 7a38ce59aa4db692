/**
 * `k8ts up [--data-dir DIR] [--port PORT] …`: the whole cluster in one process — the control plane (API server,
 * controllers, scheduler) and a local agent for this machine (containerd spawned as a child), sharing DIR.
 * Prints a line containing `ready` once both serve; SIGTERM/SIGINT stop the agent, then the control plane
 * (pods keep running and are adopted on the next start).
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { log } from '../apiserver/log.ts';
import { pkiDir } from '../apiserver/pki.ts';
import { parseArgs, portFlag, stringFlag } from './args.ts';
import { controlPlaneOptions, keepAliveOnUnhandledErrors, startControlPlane, untilSignal } from './server.ts';

/** Flags `up` takes beyond the server's. */
const agentFlags = { 'node-name': 'string', 'node-ip': 'string', 'agent-port': 'string' } as const;

function splitArgs(argv: string[]): { server: string[]; agent: string[] } {
  const server: string[] = [];
  const agent: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2).split('=', 1)[0] : '';
    if (name in agentFlags) {
      agent.push(argv[i]);
      if (!argv[i].includes('=') && i + 1 < argv.length) agent.push(argv[++i]);
    } else server.push(argv[i]);
  }
  return { server, agent };
}

export async function upCommand(argv: string[]): Promise<number> {
  const split = splitArgs(argv);
  const opts = controlPlaneOptions(split.server);
  const agentArgs = parseArgs(split.agent, agentFlags);
  keepAliveOnUnhandledErrors(log);
  const cp = await startControlPlane({ ...opts, log });
  let stopAgent: () => Promise<void> = async () => {};
  try {
    const { startAgent } = await import('../agent/agent.ts');
    const agent = await startAgent({
      server: cp.url,
      token: cp.nodeToken,
      caFile: join(pkiDir(opts.dataDir), 'ca.crt'),
      dataDir: opts.dataDir,
      nodeName: stringFlag(agentArgs, 'node-name', 'K8TS_NODE_NAME', hostname())!,
      ...(stringFlag(agentArgs, 'node-ip', 'K8TS_NODE_IP') ? { nodeIp: stringFlag(agentArgs, 'node-ip', 'K8TS_NODE_IP') } : {}),
      // any free port by default: the Node reports it (daemonEndpoints), so the API server finds it
      agentPort: portFlag(agentArgs, 'agent-port', 'K8TS_AGENT_PORT', 0),
      log,
    });
    stopAgent = agent.stop;
    log.info('agent ready', { node: agent.nodeName });
  } catch (err) {
    log.error('agent failed to start', { error: err instanceof Error ? err.message : String(err) });
    await cp.stop();
    throw err;
  }
  log.info('API server ready', { url: cp.url, kubeconfig: cp.kubeconfigPath, dataDir: opts.dataDir });
  process.stdout.write(`k8ts: API server ready at ${cp.url} (kubeconfig: ${cp.kubeconfigPath})\n`);
  await untilSignal(async () => {
    const t0 = Date.now();
    // The API server first: that ends the streams it proxies to the agent (exec, port-forward, logs -f), which
    // would otherwise keep the agent's server open.
    await cp.api.close();
    await stopAgent();
    log.info('agent stopped', { ms: Date.now() - t0 });
    await cp.stop();
  }, log);
  log.info('stopped');
  setTimeout(() => process.exit(0), 200).unref();
  return 0;
}
