/**
 * An in-memory ClusterApi for the scheduler's tests: objects in maps, watches fed synchronously-after-a-tick,
 * bind/patchStatus/patch doing just what the scheduler relies on. Not for production code.
 *
 *   const fake = new FakeCluster();
 *   fake.add('nodes', node('n1'));
 *   const s = startScheduler(fake, { log: silentLogger });
 */
import type { KubeList, KubeObject } from '../api/object.ts';
import * as resources from '../api/resources.ts';
import type { ClusterApi, ResourceApi } from '../client/client.ts';
import { ApiError, notFoundError, conflictError } from '../machinery/api-error.ts';
import type { WatchEventType } from '../registry/rest.ts';

type Handler = (type: WatchEventType, obj: KubeObject) => void;

const keyOf = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;
const copy = <T>(o: T): T => structuredClone(o);

export class FakeResource implements ResourceApi {
  readonly info: resources.ResourceInfo;
  readonly objects = new Map<string, KubeObject>();
  readonly #watchers = new Set<Handler>();
  #rv: { n: number };
  /** Every write, for assertions: [verb, key, body]. */
  readonly writes: Array<[string, string, unknown]> = [];
  /** Set to make bind() fail once with this error. */
  failNextBind: ApiError | undefined;

  constructor(info: resources.ResourceInfo, rv: { n: number }) {
    this.info = info;
    this.#rv = rv;
  }

  #emit(type: WatchEventType, obj: KubeObject): void {
    const o = copy(obj);
    queueMicrotask(() => {
      for (const w of this.#watchers) w(type, o);
    });
  }

  put(obj: KubeObject, type: WatchEventType = 'MODIFIED'): KubeObject {
    obj.metadata.resourceVersion = String(++this.#rv.n);
    obj.metadata.uid ??= `uid-${obj.metadata.name}-${this.#rv.n}`;
    const k = keyOf(obj.metadata.namespace, obj.metadata.name!);
    const existed = this.objects.has(k);
    this.objects.set(k, obj);
    this.#emit(existed ? type : 'ADDED', obj);
    return copy(obj);
  }

  remove(namespace: string | undefined, name: string): void {
    const k = keyOf(namespace, name);
    const obj = this.objects.get(k);
    if (!obj) return;
    this.objects.delete(k);
    this.#emit('DELETED', obj);
  }

  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    const o = this.objects.get(keyOf(namespace, name));
    if (!o) throw notFoundError(this.info.plural, name);
    return copy(o);
  }
  async list(): Promise<KubeList> {
    return { apiVersion: 'v1', kind: this.info.listKind, metadata: { resourceVersion: String(this.#rv.n) }, items: [...this.objects.values()].map(copy) };
  }
  listAll(): Promise<KubeList> {
    return this.list();
  }
  async watch(_ns: string | undefined, _o: unknown, onEvent: (type: WatchEventType, object: KubeObject) => void) {
    const h: Handler = (t, o) => onEvent(t, o);
    this.#watchers.add(h);
    return { stop: () => void this.#watchers.delete(h) };
  }
  async create(namespace: string | undefined, obj: KubeObject): Promise<KubeObject> {
    const o = copy(obj);
    o.metadata.namespace = namespace;
    this.writes.push(['create', keyOf(namespace, o.metadata.name!), o]);
    return this.put(o, 'ADDED');
  }
  async update(obj: KubeObject): Promise<KubeObject> {
    return this.put(copy(obj));
  }
  async patch(namespace: string | undefined, name: string, type: string, patch: unknown): Promise<KubeObject> {
    const o = this.objects.get(keyOf(namespace, name));
    if (!o) throw notFoundError(this.info.plural, name);
    this.writes.push(['patch', keyOf(namespace, name), patch]);
    Object.assign(o, copy(patch as object));
    return this.put(o);
  }
  updateStatus(obj: KubeObject): Promise<KubeObject> {
    return this.update(obj);
  }
  /** Strategic patch of status.conditions by type (what the scheduler sends). */
  async patchStatus(namespace: string | undefined, name: string, _type: string, patch: unknown): Promise<KubeObject> {
    const o = this.objects.get(keyOf(namespace, name));
    if (!o) throw notFoundError(this.info.plural, name);
    this.writes.push(['patchStatus', keyOf(namespace, name), patch]);
    const conds: Array<{ type: string }> = (patch as { status: { conditions: Array<{ type: string }> } }).status.conditions;
    o.status ??= {};
    const list: Array<{ type: string }> = o.status.conditions ?? [];
    for (const c of conds) {
      const i = list.findIndex((x) => x.type === c.type);
      if (i >= 0) list[i] = c;
      else list.push(c);
    }
    o.status.conditions = list;
    return this.put(o);
  }
  async bind(namespace: string, name: string, nodeName: string): Promise<void> {
    if (this.failNextBind) {
      const err = this.failNextBind;
      this.failNextBind = undefined;
      throw err;
    }
    const o = this.objects.get(keyOf(namespace, name));
    if (!o) throw notFoundError('pods', name);
    if (o.spec?.nodeName) throw conflictError('pods/binding', name, `pod ${name} is already assigned to node "${o.spec.nodeName}"`);
    o.spec.nodeName = nodeName;
    this.writes.push(['bind', keyOf(namespace, name), nodeName]);
    this.put(o);
  }
  async delete(namespace: string | undefined, name: string) {
    const o = await this.get(namespace, name);
    this.remove(namespace, name);
    return { body: o, code: 200 };
  }
}

export class FakeCluster implements ClusterApi {
  readonly #rv = { n: 1 };
  readonly pods = new FakeResource(resources.pods, this.#rv);
  readonly nodes = new FakeResource(resources.nodes, this.#rv);
  readonly events = new FakeResource(resources.pods /* shape only */, this.#rv);
  readonly leases = new FakeResource(resources.nodes, this.#rv);
  readonly namespaces = new FakeResource(resources.namespaces, this.#rv);
}

export { ApiError };

/** A Ready node with allocatable cpu/memory/pods and optional labels, taints, images. */
export function fakeNode(
  name: string,
  o: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>; taints?: unknown[]; unschedulable?: boolean; ready?: string; images?: Array<{ names: string[]; sizeBytes: number }> } = {},
): KubeObject {
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '16Gi', pods: o.pods ?? '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { capacity: allocatable, allocatable, conditions: [{ type: 'Ready', status: o.ready ?? 'True' }], images: o.images ?? [] },
  };
}

/** A pod in `default` with one container; `spec` is merged over the defaults. */
export function fakePod(name: string, spec: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
    spec: { containers: [{ name: 'c', image: 'busybox' }], schedulerName: 'default-scheduler', ...spec },
  };
}

/** `resources.requests` for a single-container spec. */
export const requesting = (requests: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  containers: [{ name: 'c', image: 'busybox', resources: { requests }, ...extra }],
});
