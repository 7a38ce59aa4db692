import { join } from 'node:path';
import { openEtcdStore } from './etcd/etcd-store.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export type StoreKind = 'sqlite' | 'etcd';

export interface OpenStoreOptions {
  /** The server's data directory: the SQLite store lives at `<dataDir>/state.db`. */
  dataDir: string;
  /** etcd client URLs (required for 'etcd'), e.g. ['http://127.0.0.1:2379']. */
  etcdEndpoints?: string[];
  /** Put in front of every etcd key (default '': keys are /registry/...). */
  etcdPrefix?: string;
}

/**
 * Opens the backend `k8ts server --store` names.
 *
 *   const store = await openStore('etcd', { dataDir, etcdEndpoints: ['http://127.0.0.1:2379'] });
 */
export async function openStore(kind: StoreKind, options: OpenStoreOptions): Promise<Store> {
  switch (kind) {
    case 'sqlite':
      return openSqliteStore(join(options.dataDir, 'state.db'));
    case 'etcd': {
      const endpoints = options.etcdEndpoints ?? [];
      if (endpoints.length === 0) throw new RangeError("openStore: the 'etcd' store needs etcdEndpoints (--etcd-endpoints URL,…)");
      return openEtcdStore({ endpoints, prefix: options.etcdPrefix ?? '' });
    }
    default:
      throw new RangeError(`openStore: unknown store kind ${JSON.stringify(kind)}: want 'sqlite' or 'etcd'`);
  }
}
