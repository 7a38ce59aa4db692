/**
 * Waits until the node IPAM controller gave this Node a `spec.podCIDR` (kubelet: the CNI config needs it).
 *
 *   const cidr = await waitForPodCidr(client.nodes, 'n1', () => stopped);
 */
import type { ResourceApi } from '../client/client.ts';

export async function waitForPodCidr(nodes: ResourceApi, nodeName: string, cancelled: () => boolean = () => false, pollMs = 200): Promise<string> {
  let warnedAt = Date.now();
  for (;;) {
    if (cancelled()) throw new Error(`node ${nodeName}: stopped while waiting for a podCIDR`);
    try {
      const node = await nodes.get(undefined, nodeName);
      const cidr: string | undefined = node.spec?.podCIDR || node.spec?.podCIDRs?.[0];
      if (cidr) return cidr;
    } catch {
      // the API is briefly unavailable: keep waiting
    }
    if (Date.now() - warnedAt > 30_000) {
      warnedAt = Date.now();
      process.stderr.write(`${new Date().toISOString()} WARN waiting for a podCIDR (is the node IPAM controller running?) node=${nodeName}\n`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
