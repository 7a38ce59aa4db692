/**
 * `k8ts image import FILE… [--data-dir DIR] [--tag NAME]`: OCI-layout or docker-archive tarballs into the node's
 * containerd (DATA/containerd/containerd.sock, namespace k8s.io), where pods find them. The node's agent (or
 * `k8ts up`) must be running, since it runs containerd.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { containerdPaths } from '../cri/containerd-config.ts';
import { importImage } from '../cri/image-import.ts';
import { checkRuntimePrerequisites } from '../cri/prerequisites.ts';
import { parseArgs, stringFlag, UsageError } from './args.ts';
import { DEFAULT_DATA_DIR } from './kubeconfig.ts';

export async function imageCommand(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'import') throw new UsageError(`unknown image command ${JSON.stringify(sub ?? '')} (expected: image import FILE…)`);
  const args = parseArgs(rest, { 'data-dir': 'string', tag: 'string' });
  if (args.positional.length === 0) throw new UsageError('image import needs at least one FILE');
  const dataDir = resolve(stringFlag(args, 'data-dir', 'K8TS_DATA_DIR', DEFAULT_DATA_DIR)!);
  const socket = containerdPaths(dataDir).socket;
  if (!existsSync(socket)) throw new Error(`no containerd socket at ${socket}: is the agent (k8ts up / k8ts agent --data-dir ${dataDir}) running?`);
  const { ctr } = checkRuntimePrerequisites();
  const tag = stringFlag(args, 'tag');
  for (const file of args.positional) {
    const names = await importImage({ ctr, socket, file: resolve(file), ...(tag ? { tag } : {}) });
    for (const name of names) out(`imported ${name}\n`);
  }
  return 0;
}
