import type { KubeObject } from '../api/object.ts';
import { namespaces as namespaceInfo } from '../api/resources.ts';
import type { Store } from '../store/store.ts';
import { eventStrategy } from './event-strategy.ts';
import { GenericRest } from './generic-rest.ts';
import { leaseStrategy } from './lease-strategy.ts';
import { NamespaceLookup } from './namespace-lookup.ts';
import { NamespaceRest } from './namespace-rest.ts';
import { nodeStatusStrategy, nodeStrategy } from './node-strategy.ts';
import { podBindingRest } from './pod-binding.ts';
import { addEvictionSubresource } from './pod-eviction.ts';
import { podStatusStrategy, podStrategy } from './pod-strategy.ts';
import type { ResourceRest, UserInfo } from './rest.ts';
import { statusRest } from './status-rest.ts';

/** Every resource the API serves, by (group, plural). */
export interface Registry {
  rest(group: string, plural: string): ResourceRest | undefined;
  all(): ResourceRest[];
  /** Creates default, kube-system, kube-public and kube-node-lease if missing. */
  bootstrap(): Promise<void>;
  /** Stops the registry's own store watches (the namespace cache). */
  close(): void;
}

export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** The identity the server's own writes run as. */
export const systemUser: UserInfo = { name: 'system:apiserver', groups: ['system:masters'] };

/**
 * Builds the registry over `store`: pods (status, binding), namespaces (status, finalize), nodes (status),
 * events, leases.
 *
 *   const registry = createRegistry(openSqliteStore(file));
 *   await registry.bootstrap();
 *   registry.rest('', 'pods')!.list('default', {});
 */
export function createRegistry(store: Store): Registry {
  const lookup = new NamespaceLookup(store);
  const namespaced = { namespaces: lookup };

  const pods = new GenericRest(store, podStrategy, namespaced);
  pods.addSubresource('status', statusRest(pods, podStatusStrategy));
  pods.addSubresource('binding', podBindingRest(pods));
  addEvictionSubresource(pods);

  const nodes = new GenericRest(store, nodeStrategy);
  nodes.addSubresource('status', statusRest(nodes, nodeStatusStrategy));

  const namespaces = new NamespaceRest(store, lookup);
  const events = new GenericRest(store, eventStrategy, namespaced);
  const leases = new GenericRest(store, leaseStrategy, namespaced);

  const all: ResourceRest[] = [pods, namespaces, nodes, events, leases];
  const byKey = new Map(all.map((r) => [`${r.info.group}/${r.info.plural}`, r]));

  return {
    rest: (group, plural) => byKey.get(`${group}/${plural}`),
    all: () => [...all],
    async bootstrap() {
      for (const name of SYSTEM_NAMESPACES) {
        if (await store.get(namespaces.key(undefined, name))) continue;
        const ns: KubeObject = { apiVersion: 'v1', kind: namespaceInfo.kind, metadata: { name } };
        try {
          await namespaces.create(undefined, ns, { user: systemUser, dryRun: false, fieldValidation: 'Ignore', warnings: [] });
        } catch (err) {
          if (!(err instanceof Error && 'code' in err && (err as { code: number }).code === 409)) throw err;
        }
      }
    },
    close: () => lookup.close(),
  };
}
