import type { KubeList, KubeObject } from '../api/object.ts';
import type { ClientWriteOptions, ClusterApi, ResourceApi } from './client.ts';
import type { Status } from '../machinery/api-error.ts';
import { clone } from '../registry/codec.ts';
import type { Registry } from '../registry/registry.ts';
import { systemUser } from '../registry/registry.ts';
import type {
  DeleteOptions,
  DeleteResult,
  ListOptions,
  PatchType,
  ResourceRest,
  UserInfo,
  WatchEventType,
  WatchHandle,
  WatchOptions,
  WriteOptions,
} from '../registry/rest.ts';

/**
 * A small typed client for in-process components (controllers, scheduler) over the Registry: the same
 * semantics as the REST API (errors are ApiErrors with the HTTP code), without HTTP.
 * Inputs are copied before the registry sees them; results are fresh objects the caller may keep.
 *
 *   const client = new LocalClient(registry);
 *   const pods = await client.pods.list('default', { labelSelector: 'app=web' });
 *   await client.pods.bind('default', 'web', 'node-1');
 *   const w = await client.namespaces.watch(undefined, {}, (type, ns) => …);
 */
export class LocalClient implements ClusterApi {
  readonly #registry: Registry;
  readonly #user: UserInfo;
  readonly #cache = new Map<string, ResourceClient>();

  constructor(registry: Registry, user: UserInfo = systemUser) {
    this.#registry = registry;
    this.#user = user;
  }

  /** The client of one resource; throws for a resource the registry does not serve. */
  resource(plural: string, group = ''): ResourceClient {
    const key = `${group}/${plural}`;
    let c = this.#cache.get(key);
    if (!c) {
      const rest = this.#registry.rest(group, plural);
      if (!rest) throw new Error(`no resource ${plural}${group ? `.${group}` : ''} in the registry`);
      c = new ResourceClient(rest, this.#user);
      this.#cache.set(key, c);
    }
    return c;
  }

  /** Every served resource (the namespace controller walks the namespaced ones). */
  resources(): ResourceClient[] {
    return this.#registry.all().map((r) => this.resource(r.info.plural, r.info.group));
  }

  get pods(): ResourceClient {
    return this.resource('pods');
  }
  get namespaces(): ResourceClient {
    return this.resource('namespaces');
  }
  get nodes(): ResourceClient {
    return this.resource('nodes');
  }
  get events(): ResourceClient {
    return this.resource('events');
  }
  get leases(): ResourceClient {
    return this.resource('leases', 'coordination.k8s.io');
  }
}

export class ResourceClient implements ResourceApi {
  readonly rest: ResourceRest;
  readonly #user: UserInfo;

  constructor(rest: ResourceRest, user: UserInfo) {
    this.rest = rest;
    this.#user = user;
  }

  get info() {
    return this.rest.info;
  }

  #write(o: ClientWriteOptions = {}): WriteOptions {
    const w: WriteOptions = { user: this.#user, dryRun: o.dryRun ?? false, fieldValidation: 'Ignore', warnings: [] };
    if (o.fieldManager) w.fieldManager = o.fieldManager;
    return w;
  }

  get(namespace: string | undefined, name: string): Promise<KubeObject> {
    return this.rest.get(namespace, name);
  }

  list(namespace: string | undefined, options: ListOptions = {}): Promise<KubeList> {
    return this.rest.list(namespace, options);
  }

  /** Every item, following `continue` (pages of `pageSize`). */
  async listAll(namespace: string | undefined, options: ListOptions = {}, pageSize = 500): Promise<KubeList> {
    const first = await this.rest.list(namespace, { ...options, limit: pageSize });
    const items = [...first.items];
    let token = first.metadata.continue;
    while (token) {
      const next = await this.rest.list(namespace, { ...options, limit: pageSize, continue: token, resourceVersion: undefined, resourceVersionMatch: undefined });
      items.push(...next.items);
      token = next.metadata.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  watch(namespace: string | undefined, options: WatchOptions, onEvent: (type: WatchEventType, object: KubeObject | Status) => void): Promise<WatchHandle> {
    return this.rest.watch(namespace, options, onEvent);
  }

  create(namespace: string | undefined, obj: KubeObject, options?: ClientWriteOptions): Promise<KubeObject> {
    return this.rest.create(namespace, clone(obj), this.#write(options));
  }

  async update(obj: KubeObject, options?: ClientWriteOptions): Promise<KubeObject> {
    const r = await this.rest.update(obj.metadata.namespace, obj.metadata.name ?? '', clone(obj), this.#write(options));
    return r.object;
  }

  async patch(namespace: string | undefined, name: string, type: PatchType, patch: unknown, options?: ClientWriteOptions): Promise<KubeObject> {
    const r = await this.rest.patch(namespace, name, type, clone(patch), this.#write(options));
    return r.object;
  }

  async updateStatus(obj: KubeObject, options?: ClientWriteOptions): Promise<KubeObject> {
    const status = this.#sub('status');
    if (!status.update) throw new Error(`${this.info.plural}/status cannot be updated`);
    const r = await status.update(obj.metadata.namespace, obj.metadata.name ?? '', clone(obj), this.#write(options));
    return r.object;
  }

  async patchStatus(namespace: string | undefined, name: string, type: PatchType, patch: unknown, options?: ClientWriteOptions): Promise<KubeObject> {
    const status = this.#sub('status');
    if (!status.patch) throw new Error(`${this.info.plural}/status cannot be patched`);
    const r = await status.patch(namespace, name, type, clone(patch), this.#write(options));
    return r.object;
  }

  /** PUT namespaces/<n>/finalize. */
  async finalize(obj: KubeObject, options?: ClientWriteOptions): Promise<KubeObject> {
    const fin = this.#sub('finalize');
    if (!fin.update) throw new Error(`${this.info.plural}/finalize cannot be updated`);
    const r = await fin.update(undefined, obj.metadata.name ?? '', clone(obj), this.#write(options));
    return r.object;
  }

  /** POST pods/<name>/binding. */
  async bind(namespace: string, name: string, nodeName: string, uid?: string, options?: ClientWriteOptions): Promise<void> {
    const binding = this.#sub('binding');
    const metadata: KubeObject['metadata'] = { name, namespace };
    if (uid) metadata.uid = uid;
    await binding.create!(namespace, name, { apiVersion: 'v1', kind: 'Binding', metadata, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } }, this.#write(options));
  }

  delete(namespace: string | undefined, name: string, options: DeleteOptions = {}, write?: ClientWriteOptions): Promise<DeleteResult> {
    return this.rest.delete(namespace, name, { ...options, preconditions: options.preconditions && { ...options.preconditions } }, this.#write(write));
  }

  #sub(name: string) {
    const sub = this.rest.subresource?.(name);
    if (!sub) throw new Error(`${this.info.plural} has no ${name} subresource`);
    return sub;
  }
}
export type { ClientWriteOptions } from './client.ts';
