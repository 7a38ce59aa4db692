/**
 * `k8ts agent --server URL --token-file FILE [--data-dir DIR] [--node-name NAME] [--simulate N]`: one node (or N
 * simulated nodes) joined to a k8ts API server. Prints a line containing `ready`; SIGTERM/SIGINT stop the loops and
 * containerd (pods keep running and are adopted on the next start).
 */
import { log } from '../apiserver/log.ts';
import { startAgent, type AgentOptions } from '../agent/agent.ts';
import { parseArgs, portFlag, stringFlag, UsageError } from './args.ts';
import { DEFAULT_DATA_DIR } from './kubeconfig.ts';
import { keepAliveOnUnhandledErrors, untilSignal } from './server.ts';

export function agentOptions(argv: string[]): AgentOptions {
  const args = parseArgs(argv, {
    server: 'string',
    'token-file': 'string',
    token: 'string',
    kubeconfig: 'string',
    'ca-file': 'string',
    'data-dir': 'string',
    'node-name': 'string',
    'node-ip': 'string',
    simulate: 'string',
    'agent-port': 'string',
    'agent-bind-address': 'string',
  });
  if (args.positional.length) throw new UsageError(`unexpected argument: ${args.positional[0]}`);
  const o: AgentOptions = { dataDir: stringFlag(args, 'data-dir', 'K8TS_DATA_DIR', DEFAULT_DATA_DIR)! };
  const set = <K extends keyof AgentOptions>(key: K, value: AgentOptions[K] | undefined) => {
    if (value !== undefined) o[key] = value;
  };
  set('server', stringFlag(args, 'server', 'K8TS_SERVER'));
  set('tokenFile', stringFlag(args, 'token-file', 'K8TS_TOKEN_FILE'));
  set('token', stringFlag(args, 'token', 'K8TS_TOKEN'));
  set('kubeconfig', stringFlag(args, 'kubeconfig'));
  set('caFile', stringFlag(args, 'ca-file'));
  set('nodeName', stringFlag(args, 'node-name', 'K8TS_NODE_NAME'));
  set('nodeIp', stringFlag(args, 'node-ip', 'K8TS_NODE_IP'));
  set('agentBindAddress', stringFlag(args, 'agent-bind-address'));
  if (args.flags['agent-port'] !== undefined || process.env.K8TS_AGENT_PORT) o.agentPort = portFlag(args, 'agent-port', 'K8TS_AGENT_PORT', 10250);
  const sim = stringFlag(args, 'simulate');
  if (sim !== undefined) {
    const n = Number(sim);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--simulate takes a node count, got ${JSON.stringify(sim)}`);
    o.simulate = n;
  }
  if (!o.kubeconfig && !o.server) throw new UsageError('--server URL is required (or --kubeconfig FILE)');
  if (!o.kubeconfig && !o.token && !o.tokenFile) throw new UsageError('--token-file FILE is required (or --kubeconfig FILE)');
  return o;
}

export async function agentCommand(argv: string[]): Promise<number> {
  const opts = agentOptions(argv);
  keepAliveOnUnhandledErrors(log);
  const agent = await startAgent({ ...opts, log });
  log.info('agent ready', { nodes: agent.nodes.join(','), server: agent.client.config.server });
  process.stdout.write(`k8ts: agent ready: node${agent.nodes.length > 1 ? 's' : ''} ${agent.nodes.join(', ')}\n`);
  await untilSignal(agent.stop, log);
  log.info('stopped');
  setTimeout(() => process.exit(0), 200).unref();
  return 0;
}
