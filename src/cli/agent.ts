/**
 * `k8ts agent --server URL --token-file FILE [--data-dir DIR] [--node-name NAME] [--simulate N]`: one node (or N
 * simulated ones) joined to a k8ts API server. Prints a line containing `ready` once the node is registered, has its
 * podCIDR and watches its pods; SIGTERM/SIGINT stop it (pod containers keep running).
 *
 * Flags (env fallbacks): --server (K8TS_SERVER), --token-file (K8TS_TOKEN_FILE), --kubeconfig, --ca-file,
 * --data-dir (K8TS_DATA_DIR, /var/lib/k8ts), --node-name (K8TS_NODE_NAME, hostname), --simulate N,
 * --agent-port (K8TS_AGENT_PORT, 10250), --agent-bind-address (0.0.0.0), --ip-masq true|false (K8TS_CNI_IPMASQ).
 */
import { log } from '../apiserver/log.ts';
import { startAgent, type Agent, type AgentOptions } from '../agent/agent.ts';
import { parseArgs, portFlag, stringFlag, UsageError } from './args.ts';
import { DEFAULT_DATA_DIR } from './kubeconfig.ts';
import { keepAliveOnUnhandledErrors, untilSignal } from './server.ts';

export { startAgent };
export type { Agent, AgentOptions };

export function agentOptions(argv: string[]): AgentOptions {
  const args = parseArgs(argv, {
    server: 'string',
    'token-file': 'string',
    kubeconfig: 'string',
    'ca-file': 'string',
    'data-dir': 'string',
    'node-name': 'string',
    simulate: 'string',
    'agent-port': 'string',
    'agent-bind-address': 'string',
    'ip-masq': 'boolean',
  });
  if (args.positional.length) throw new UsageError(`unexpected argument: ${args.positional[0]}`);
  const server = stringFlag(args, 'server', 'K8TS_SERVER');
  const tokenFile = stringFlag(args, 'token-file', 'K8TS_TOKEN_FILE');
  const kubeconfig = stringFlag(args, 'kubeconfig');
  if (!kubeconfig && (!server || !tokenFile)) throw new UsageError('k8ts agent needs --server URL and --token-file FILE (or --kubeconfig FILE)');
  if (server && !/^https:\/\//.test(server)) throw new UsageError(`--server must be an https:// URL, got ${JSON.stringify(server)}`);
  const simRaw = stringFlag(args, 'simulate');
  const simulate = simRaw === undefined ? 0 : Number(simRaw);
  if (!Number.isInteger(simulate) || simulate < 0 || simulate > 1000) throw new UsageError(`--simulate takes a node count 0-1000, got ${JSON.stringify(simRaw)}`);
  const o: AgentOptions = {
    server,
    tokenFile,
    kubeconfig,
    caFile: stringFlag(args, 'ca-file'),
    dataDir: stringFlag(args, 'data-dir', 'K8TS_DATA_DIR', DEFAULT_DATA_DIR)!,
    nodeName: stringFlag(args, 'node-name', 'K8TS_NODE_NAME'),
    simulate,
    agentPort: portFlag(args, 'agent-port', 'K8TS_AGENT_PORT', 10250),
    agentBindAddress: stringFlag(args, 'agent-bind-address', 'K8TS_AGENT_BIND_ADDRESS', '0.0.0.0'),
  };
  if (args.flags['ip-masq'] !== undefined) o.ipMasq = args.flags['ip-masq'] as boolean;
  return o;
}

export async function runAgentCommand(argv: string[]): Promise<number> {
  const opts = agentOptions(argv);
  keepAliveOnUnhandledErrors(log);
  const agent = await startAgent({ ...opts, log });
  process.stdout.write(`k8ts: agent ready, node${agent.nodes.length > 1 ? 's' : ''} ${agent.nodes.join(', ')} joined ${agent.client.config.server}\n`);
  await untilSignal(agent.stop, log);
  log.info('agent stopped', { node: agent.nodeName });
  setTimeout(() => process.exit(0), 200).unref();
  return 0;
}

/** The name src/cli/main.ts dispatches `k8ts agent` to. */
export const agentCommand = runAgentCommand;
