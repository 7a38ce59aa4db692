/**
 * Kubeconfig files and the node join token.
 *
 *   const text = renderKubeconfig({ server: 'https://127.0.0.1:6443', caCert, user: 'system:admin', cert, key });
 *   await writeAdminKubeconfig('/var/lib/k8ts', 'https://127.0.0.1:6443', pki);   // DATA/admin.kubeconfig
 *   const token = await ensureNodeToken('/var/lib/k8ts');                          // DATA/node-token (0600)
 */
import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Pki } from './pki.ts';

export interface KubeconfigParams {
  server: string;
  /** PEM of the CA that signed the serving certificate. */
  caCert: string;
  user: string;
  /** Client certificate + key (PEM), or a bearer token. */
  cert?: string;
  key?: string;
  token?: string;
  clusterName?: string;
  contextName?: string;
  namespace?: string;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

export function renderKubeconfig(p: KubeconfigParams): string {
  const cluster = p.clusterName ?? 'k8ts';
  const context = p.contextName ?? (p.user === 'system:admin' ? 'k8ts' : `${p.user}@${cluster}`);
  const user: Record<string, string> = {};
  if (p.cert && p.key) {
    user['client-certificate-data'] = b64(p.cert);
    user['client-key-data'] = b64(p.key);
  }
  if (p.token) user.token = p.token;
  const ctx: Record<string, string> = { cluster, user: p.user };
  if (p.namespace) ctx.namespace = p.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: p.server, 'certificate-authority-data': b64(p.caCert) } }],
    users: [{ name: p.user, user }],
    contexts: [{ name: context, context: ctx }],
    'current-context': context,
    preferences: {},
  });
}

export const adminKubeconfigPath = (dataDir: string) => join(dataDir, 'admin.kubeconfig');
export const nodeTokenPath = (dataDir: string) => join(dataDir, 'node-token');

/** Writes DATA/admin.kubeconfig (mode 0600) for `server`; returns its path. */
export async function writeAdminKubeconfig(dataDir: string, server: string, pki: Pki): Promise<string> {
  const file = adminKubeconfigPath(dataDir);
  const text = renderKubeconfig({ server, caCert: pki.ca.cert, user: 'system:admin', cert: pki.admin.cert, key: pki.admin.key });
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}

/** Reads DATA/node-token, creating it (random, mode 0600) on first use. */
export async function ensureNodeToken(dataDir: string): Promise<string> {
  const file = nodeTokenPath(dataDir);
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (token) return token;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = `k8ts-${randomBytes(24).toString('hex')}`;
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return token;
}
