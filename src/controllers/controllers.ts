import { LocalClient } from '../client/local-client.ts';
import type { Registry } from '../registry/registry.ts';
import { startEventTtl } from './event-ttl.ts';
import { startNamespaceController } from './namespace-controller.ts';

/**
 * Starts the in-process control loops over the registry: the namespace controller and the event TTL sweeper.
 *
 *   const controllers = startControllers(registry);
 *   controllers.stop();
 */
export function startControllers(registry: Registry): { stop(): void } {
  const client = new LocalClient(registry);
  const loops = [startNamespaceController(client), startEventTtl(client)];
  return {
    stop() {
      for (const loop of loops) loop.stop();
    },
  };
}
