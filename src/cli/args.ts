/**
 * A small flag parser for the k8ts commands: `--name value`, `--name=value`, repeated flags, boolean switches.
 *
 *   const a = parseArgs(['--port', '7443', '--tls-san', 'a', '--tls-san=b'], { port: 'string', 'tls-san': 'list' });
 *   a.flags.port            // '7443'
 *   a.flags['tls-san']      // ['a', 'b']
 */
export type FlagKind = 'string' | 'list' | 'boolean';

export interface ParsedArgs {
  flags: Record<string, string | string[] | boolean | undefined>;
  positional: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: readonly string[], spec: Record<string, FlagKind>): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown flag: --${name}`);
    if (kind === 'boolean') {
      const v = eq < 0 ? 'true' : arg.slice(eq + 1);
      if (v !== 'true' && v !== 'false') throw new UsageError(`--${name} takes true or false, got ${JSON.stringify(v)}`);
      flags[name] = v === 'true';
      continue;
    }
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: --${name}`);
      value = argv[++i];
    }
    if (kind === 'list') flags[name] = [...((flags[name] as string[] | undefined) ?? []), ...value.split(',').filter(Boolean)];
    else flags[name] = value;
  }
  return { flags, positional };
}

export const stringFlag = (a: ParsedArgs, name: string, env?: string, fallback?: string): string | undefined =>
  (a.flags[name] as string | undefined) ?? (env ? process.env[env] || undefined : undefined) ?? fallback;

export const listFlag = (a: ParsedArgs, name: string): string[] => (a.flags[name] as string[] | undefined) ?? [];

export function portFlag(a: ParsedArgs, name: string, env: string, fallback: number): number {
  const raw = stringFlag(a, name, env, String(fallback))!;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--${name}: invalid port ${JSON.stringify(raw)}`);
  return port;
}
