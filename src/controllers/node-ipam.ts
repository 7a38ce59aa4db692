/**
 * Node IPAM (kube-controller-manager's range allocator): gives every Node without one a `spec.podCIDR` /
 * `spec.podCIDRs` — a /24 out of 10.42.0.0/16 — never handing out a range another node holds; a deleted node's range
 * becomes free again.
 *
 *   const ipam = startNodeIpam(client);   // LocalClient
 *   ipam.stop();
 */
import type { KubeObject } from '../api/object.ts';
import { log as defaultLog, type Logger } from '../apiserver/log.ts';
import type { LocalClient } from '../client/local-client.ts';
import { startInformer } from './informer.ts';

export const CLUSTER_CIDR = '10.42.0.0/16';

export interface NodeIpamOptions {
  /** An IPv4 /16 split into /24s (default: env K8TS_CLUSTER_CIDR, else 10.42.0.0/16). */
  clusterCidr?: string;
  log?: Logger;
}

/** The /24s of a /16, in order. */
export function subnetsOf(clusterCidr: string): string[] {
  const m = /^(\d+)\.(\d+)\.\d+\.\d+\/16$/.exec(clusterCidr);
  if (!m) throw new Error(`cluster CIDR must be an IPv4 /16, got ${JSON.stringify(clusterCidr)}`);
  return Array.from({ length: 256 }, (_, i) => `${m[1]}.${m[2]}.${i}.0/24`);
}

export function startNodeIpam(client: LocalClient, o: NodeIpamOptions = {}): { stop(): void } {
  const log = o.log ?? defaultLog;
  const clusterCidr = o.clusterCidr ?? (process.env.K8TS_CLUSTER_CIDR || CLUSTER_CIDR);
  const subnets = subnetsOf(clusterCidr);
  /** cidr → node name */
  const used = new Map<string, string>();
  let synced = false;
  let stopped = false;
  const pending = new Set<string>();
  let retry: NodeJS.Timeout | undefined;

  const cidrOf = (n: KubeObject): string | undefined => n.spec?.podCIDR || n.spec?.podCIDRs?.[0] || undefined;

  const allocate = async (name: string) => {
    if (stopped) return;
    const node = informer.cache.get(`/${name}`);
    if (!node || node.metadata.deletionTimestamp || cidrOf(node)) return;
    const free = subnets.find((s) => !used.has(s));
    if (!free) {
      log.warn('node ipam: no free pod CIDR', { node: name, clusterCidr });
      return;
    }
    used.set(free, name);
    try {
      await client.nodes.patch(undefined, name, 'merge', { spec: { podCIDR: free, podCIDRs: [free] } }, { fieldManager: 'node-ipam-controller' });
      log.info('node ipam: allocated pod CIDR', { node: name, podCIDR: free });
    } catch (err) {
      used.delete(free);
      if (stopped) return;
      log.warn('node ipam: allocation failed, retrying', { node: name, error: err instanceof Error ? err.message : String(err) });
      pending.add(name);
      retry ??= setTimeout(() => {
        retry = undefined;
        for (const n of [...pending]) {
          pending.delete(n);
          void allocate(n);
        }
      }, 1000);
    }
  };

  const observe = (n: KubeObject) => {
    const name = n.metadata.name ?? '';
    const cidr = cidrOf(n);
    if (cidr) {
      for (const [c, owner] of used) if (owner === name && c !== cidr) used.delete(c);
      used.set(cidr, name);
    } else if (synced) void allocate(name);
  };

  const informer = startInformer(client.nodes, undefined, {}, {
    onAdd: observe,
    onUpdate: observe,
    onDelete: (n) => {
      for (const [c, owner] of used) if (owner === n.metadata.name) used.delete(c);
    },
  });
  void informer.synced.then(() => {
    synced = true;
    for (const n of informer.cache.values()) if (!cidrOf(n)) void allocate(n.metadata.name ?? '');
  });

  return {
    stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      informer.stop();
    },
  };
}
