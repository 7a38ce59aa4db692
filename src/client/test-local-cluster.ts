import { afterEach, beforeEach } from 'node:test';
import { createRegistry, type Registry } from '../registry/registry.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { LocalClient } from './local-client.ts';

export interface LocalCluster {
  store: Store;
  registry: Registry;
  client: LocalClient;
}

/**
 * Tests only: a fresh in-memory store + bootstrapped registry + LocalClient before each test, closed after it.
 *
 *   const cluster = useLocalCluster();
 *   it('…', async () => { await cluster.client.pods.list('default'); });
 */
export function useLocalCluster(): LocalCluster {
  const cluster = {} as LocalCluster;
  beforeEach(async () => {
    cluster.store = openSqliteStore(':memory:');
    cluster.registry = createRegistry(cluster.store);
    await cluster.registry.bootstrap();
    cluster.client = new LocalClient(cluster.registry);
  });
  afterEach(async () => {
    cluster.registry.close();
    await cluster.store.close();
  });
  return cluster;
}
