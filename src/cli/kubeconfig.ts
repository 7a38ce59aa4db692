/**
 * `k8ts kubeconfig [--user NAME] [--group GROUP]…`: prints a kubeconfig with a new client certificate signed by the
 * cluster CA of the data dir. The server URL comes from --server, else from DATA/admin.kubeconfig.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { adminKubeconfigPath, renderKubeconfig } from '../apiserver/kubeconfig.ts';
import { issueClientCert, loadCa } from '../apiserver/pki.ts';
import { listFlag, parseArgs, stringFlag } from './args.ts';

export const DEFAULT_DATA_DIR = '/var/lib/k8ts';

async function serverOf(dataDir: string): Promise<string> {
  try {
    const kc = parse(await readFile(adminKubeconfigPath(dataDir), 'utf8'));
    const server = kc?.clusters?.[0]?.cluster?.server;
    if (typeof server === 'string') return server;
  } catch {
    // fall through
  }
  return `https://127.0.0.1:${process.env.K8TS_PORT || 6443}`;
}

export async function kubeconfigCommand(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const args = parseArgs(argv, { user: 'string', group: 'list', 'data-dir': 'string', server: 'string', days: 'string', namespace: 'string' });
  const dataDir = stringFlag(args, 'data-dir', 'K8TS_DATA_DIR', DEFAULT_DATA_DIR)!;
  const user = stringFlag(args, 'user', undefined, 'system:admin')!;
  const groups = listFlag(args, 'group');
  const effectiveGroups = args.flags.user === undefined && groups.length === 0 ? ['system:masters'] : groups;
  const days = Number(stringFlag(args, 'days', undefined, '365'));
  const ca = await loadCa(dataDir);
  const { cert, key } = await issueClientCert(ca, user, effectiveGroups, days);
  const server = stringFlag(args, 'server') ?? (await serverOf(dataDir));
  out(renderKubeconfig({ server, caCert: ca.cert, user, cert, key, namespace: stringFlag(args, 'namespace') }));
  return 0;
}
