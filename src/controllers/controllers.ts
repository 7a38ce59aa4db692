import { LocalClient } from '../client/local-client.ts';
import type { Registry } from '../registry/registry.ts';
import { startEventTtl } from './event-ttl.ts';
import { startNamespaceController } from './namespace-controller.ts';
import { startNodeIpam } from './node-ipam.ts';
import { startNodeLifecycle } from './node-lifecycle.ts';

/**
 * Starts the in-process control loops over the registry: the namespace controller, the event TTL sweeper,
 * node IPAM (podCIDRs) and node lifecycle (Unknown + unreachable taints for silent nodes).
 *
 *   const controllers = startControllers(registry);
 *   controllers.stop();
 */
export function startControllers(registry: Registry): { stop(): void } {
  const client = new LocalClient(registry);
  const loops = [startNamespaceController(client), startEventTtl(client), startNodeIpam(client), startNodeLifecycle(client)];
  return {
    stop() {
      for (const loop of loops) loop.stop();
    },
  };
}
