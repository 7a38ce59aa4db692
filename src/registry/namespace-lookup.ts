import type { KubeObject } from '../api/object.ts';
import { namespaces, storeKey, storePrefix } from '../api/resources.ts';
import { forbiddenError, notFoundError } from '../machinery/api-error.ts';
import type { KeyValue, Store, Watch } from '../store/store.ts';

interface Entry {
  exists: boolean;
  terminating: boolean;
  revision: number;
}

/**
 * The NamespaceLifecycle admission check for creates: the namespace must exist and not be terminating.
 * Answers from a cache fed by a store watch (so the create path costs no extra read); a miss falls back to
 * one store read. The namespace registry also reports its own writes here synchronously.
 *
 *   await lookup.checkCreate('pods', 'web', 'dev');   // 404 namespaces "dev" not found / 403 NamespaceTerminating
 */
export class NamespaceLookup {
  readonly #store: Store;
  readonly #cache = new Map<string, Entry>();
  #watch: Watch | undefined;
  #starting: Promise<void> | undefined;
  #closed = false;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Throws the admission error for creating `resource` "name" in `namespace`, if any. */
  async checkCreate(resource: string, name: string, namespace: string, group?: string): Promise<void> {
    let entry = this.#cache.get(namespace);
    if (entry === undefined || !entry.exists) {
      if (!this.#watch && !this.#closed) void this.#start();
      const kv = await this.#store.get(storeKey(namespaces, undefined, namespace));
      entry = kv ? this.#observe(kv, JSON.parse(kv.value) as KubeObject) : undefined;
    }
    if (!entry || !entry.exists) throw notFoundError('namespaces', namespace);
    if (entry.terminating) {
      throw forbiddenError(resource, name, `unable to create new content in namespace ${namespace} because it is being terminated`, group, [
        { reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' },
      ]);
    }
  }

  /** Records a namespace write made by this process (revision = its resourceVersion). */
  observed(obj: KubeObject, revision: number, deleted = false): void {
    const name = obj.metadata?.name;
    if (!name) return;
    this.#set(name, { exists: !deleted, terminating: isTerminating(obj), revision });
  }

  close(): void {
    this.#closed = true;
    this.#watch?.cancel();
    this.#watch = undefined;
  }

  #observe(kv: KeyValue, obj: KubeObject): Entry {
    const entry = { exists: true, terminating: isTerminating(obj), revision: kv.modRevision };
    this.#set(obj.metadata?.name ?? '', entry);
    return this.#cache.get(obj.metadata?.name ?? '') ?? entry;
  }

  #set(name: string, entry: Entry): void {
    const old = this.#cache.get(name);
    if (old && old.revision > entry.revision) return;
    this.#cache.set(name, entry);
  }

  #start(): Promise<void> {
    this.#starting ??= (async () => {
      const prefix = storePrefix(namespaces);
      const list = await this.#store.list(prefix);
      if (this.#closed) return;
      for (const kv of list.items) this.#observe(kv, JSON.parse(kv.value) as KubeObject);
      this.#watch = this.#store.watch(
        prefix,
        list.revision,
        (e) => {
          try {
            const obj = JSON.parse(e.kv.value) as KubeObject;
            this.#set(obj.metadata?.name ?? '', { exists: e.type !== 'delete', terminating: isTerminating(obj), revision: e.kv.modRevision });
          } catch {
            /* a value that is not JSON is not a namespace */
          }
        },
        () => {
          // Compaction or close: forget the cache; the next miss restarts the watch.
          this.#watch = undefined;
          this.#starting = undefined;
          this.#cache.clear();
        },
      );
    })().catch(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }
}

const isTerminating = (ns: KubeObject) => ns.status?.phase === 'Terminating' || !!ns.metadata?.deletionTimestamp;
