/**
 * The k8ts command line: `k8ts <verb> [flags]`. Each verb lives in its own file, loaded only when used (so
 * `k8ts server` does not compile the agent); main only dispatches, prints usage errors (exit 2) and failures (exit 1).
 *
 *   await main(['server', '--data-dir', '/tmp/k8ts', '--port', '7443']);
 */
import { log } from '../apiserver/log.ts';
import { UsageError } from './args.ts';
import { usage } from './usage.ts';

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  server: async () => (await import('./server.ts')).serverCommand,
  up: async () => (await import('./up.ts')).upCommand,
  agent: async () => (await import('./agent.ts')).agentCommand,
  image: async () => (await import('./image.ts')).imageCommand,
  kubeconfig: async () => (await import('./kubeconfig.ts')).kubeconfigCommand,
};

export async function main(argv: string[]): Promise<void> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(usage);
    process.exitCode = verb === undefined ? 2 : 0;
    return;
  }
  const load = commands[verb];
  if (!load) {
    process.stderr.write(`k8ts: unknown command ${JSON.stringify(verb)}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(usage);
    return;
  }
  try {
    const command = await load();
    process.exitCode = await command(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`k8ts ${verb}: ${err.message}\n\n${usage}`);
      process.exitCode = 2;
      return;
    }
    log.error(`k8ts ${verb} failed`, { error: err instanceof Error ? err.message : String(err) });
    if (process.env.K8TS_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  }
}
