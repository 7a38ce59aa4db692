/**
 * The k8ts command line: `k8ts <verb> [flags]`. Each verb lives in its own file; main only dispatches,
 * prints usage errors (exit 2) and failures (exit 1).
 *
 *   await main(['server', '--data-dir', '/tmp/k8ts', '--port', '7443']);
 */
import { log } from '../apiserver/log.ts';
import { UsageError } from './args.ts';
import { kubeconfigCommand } from './kubeconfig.ts';
import { serverCommand } from './server.ts';
import { upCommand } from './up.ts';
import { usage } from './usage.ts';

type Command = (argv: string[]) => Promise<number>;

/** Verbs provided by other parts of the tree, loaded only when used. */
const external = (path: string, exportName: string): Command => async (argv) => {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(path)) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`this command is not available yet (${path}: ${(err as Error).message})`);
  }
  const fn = mod[exportName] as Command | undefined;
  if (typeof fn !== 'function') throw new Error(`${path} does not export ${exportName}`);
  return fn(argv);
};

const commands: Record<string, Command> = {
  server: serverCommand,
  up: upCommand,
  kubeconfig: kubeconfigCommand,
  agent: external('./agent.ts', 'agentCommand'),
  image: external('./image.ts', 'imageCommand'),
};

export async function main(argv: string[]): Promise<void> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(usage);
    process.exitCode = verb === undefined ? 2 : 0;
    return;
  }
  const command = commands[verb];
  if (!command) {
    process.stderr.write(`k8ts: unknown command ${JSON.stringify(verb)}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(usage);
    return;
  }
  try {
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
