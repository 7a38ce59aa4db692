/**
 * An in-memory ResourceRest for the HTTP layer's tests: enough Kubernetes behaviour (resourceVersion, 404/409,
 * merge patch, watch from a version) to exercise routing, negotiation and streaming without the registry.
 */
import type { KubeList, KubeObject } from '../api/object.ts';
import { apiVersionOf, type ResourceInfo } from '../api/resources.ts';
import { alreadyExistsError, badRequestError, notFoundError, type Status } from '../machinery/api-error.ts';
import type { ResourceRest, SubresourceRest, WatchEventType, WatchHandle, WriteOptions } from '../registry/rest.ts';
import type { RestProvider } from './server.ts';

type Send = (type: WatchEventType, object: KubeObject | Status) => void;

export interface FakeRest extends ResourceRest {
  objects: Map<string, KubeObject>;
  calls: { verb: string; namespace?: string; name?: string; options?: unknown; body?: unknown }[];
}

let rv = 100;

function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function fakeRest(info: ResourceInfo): FakeRest {
  const objects = new Map<string, KubeObject>();
  const watchers = new Set<{ ns?: string; send: Send }>();
  const calls: FakeRest['calls'] = [];
  const key = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;
  const emit = (type: WatchEventType, obj: KubeObject) => {
    for (const w of watchers) if (!w.ns || w.ns === obj.metadata.namespace) w.send(type, obj);
  };
  const get = (ns: string | undefined, name: string) => {
    if (name === 'boom') throw new TypeError('boom: a bug below the HTTP layer');
    const o = objects.get(key(ns, name));
    if (!o) throw notFoundError(info.plural, name, info.group || undefined);
    return o;
  };
  const subresources: Record<string, SubresourceRest> = {
    status: {
      get: async (ns, name) => get(ns, name),
      update: async (ns, name, body) => {
        const cur = get(ns, name);
        const next = { ...cur, status: body.status, metadata: { ...cur.metadata, resourceVersion: String(++rv) } };
        objects.set(key(ns, name), next);
        emit('MODIFIED', next);
        return { object: next, created: false };
      },
    },
    binding: {
      create: async (ns, name, body) => {
        calls.push({ verb: 'bind', namespace: ns, name, body });
        return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
      },
    },
  };
  const rest: FakeRest = {
    info,
    objects,
    calls,
    async get(ns, name) {
      calls.push({ verb: 'get', namespace: ns, name });
      return get(ns, name);
    },
    async list(ns, options) {
      calls.push({ verb: 'list', namespace: ns, options });
      if (options.fieldSelector === 'bad=1') throw badRequestError('field label not supported: bad');
      const items = [...objects.values()].filter((o) => !ns || o.metadata.namespace === ns);
      const list: KubeList = { apiVersion: apiVersionOf(info), kind: info.listKind, metadata: { resourceVersion: String(rv) }, items };
      return list;
    },
    async watch(ns, options, send): Promise<WatchHandle> {
      calls.push({ verb: 'watch', namespace: ns, options });
      if (options.resourceVersion === 'bad') throw badRequestError('bad resourceVersion');
      if (options.resourceVersion === 'expired') {
        send('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (2)', reason: 'Expired', code: 410 });
        return { stop() {} };
      }
      if (!options.resourceVersion || options.resourceVersion === '0') {
        for (const o of objects.values()) if (!ns || o.metadata.namespace === ns) send('ADDED', o);
      }
      const w = { ns, send };
      watchers.add(w);
      return {
        stop() {
          calls.push({ verb: 'watch-stop', namespace: ns });
          watchers.delete(w);
        },
      };
    },
    async create(ns, body, options: WriteOptions) {
      calls.push({ verb: 'create', namespace: ns, body, options });
      const name = body.metadata.name ?? `${body.metadata.generateName ?? 'x-'}${++rv}`;
      if (objects.has(key(ns, name))) throw alreadyExistsError(info.plural, name, info.group || undefined);
      if (body.metadata.name === 'warn-me') options.warnings.push('this is a "warning"');
      const obj: KubeObject = {
        ...body,
        metadata: { ...body.metadata, name, uid: `uid-${name}`, resourceVersion: String(++rv), creationTimestamp: new Date().toISOString() },
      };
      if (ns) obj.metadata.namespace = ns;
      if (!options.dryRun) {
        objects.set(key(ns, name), obj);
        emit('ADDED', obj);
      }
      return obj;
    },
    async update(ns, name, body, options) {
      calls.push({ verb: 'update', namespace: ns, name, body, options });
      const exists = objects.has(key(ns, name));
      const obj = { ...body, metadata: { ...body.metadata, resourceVersion: String(++rv) } };
      objects.set(key(ns, name), obj);
      emit(exists ? 'MODIFIED' : 'ADDED', obj);
      return { object: obj, created: !exists };
    },
    async patch(ns, name, type, patch, options) {
      calls.push({ verb: `patch:${type}`, namespace: ns, name, body: patch, options });
      const cur = get(ns, name);
      const next = mergePatch(cur, patch) as KubeObject;
      next.metadata.resourceVersion = String(++rv);
      objects.set(key(ns, name), next);
      emit('MODIFIED', next);
      return { object: next, created: false };
    },
    async delete(ns, name, options, write) {
      calls.push({ verb: 'delete', namespace: ns, name, options, body: write.dryRun });
      const cur = get(ns, name);
      objects.delete(key(ns, name));
      const gone = { ...cur, metadata: { ...cur.metadata, resourceVersion: String(++rv) } };
      emit('DELETED', gone);
      return { body: gone, code: 200 };
    },
    async deleteCollection(ns, list, options) {
      calls.push({ verb: 'deletecollection', namespace: ns, options: { list, options } });
      const items = [...objects.values()].filter((o) => !ns || o.metadata.namespace === ns);
      for (const o of items) objects.delete(key(o.metadata.namespace, o.metadata.name!));
      return { apiVersion: apiVersionOf(info), kind: info.listKind, metadata: {}, items };
    },
    subresource: (name) => subresources[name],
  };
  return rest;
}

export function fakeProvider(infos: ResourceInfo[]): RestProvider & { fakes: Map<string, FakeRest> } {
  const fakes = new Map(infos.map((i) => [`${i.group}/${i.plural}`, fakeRest(i)]));
  return {
    fakes,
    rest: (group, plural) => fakes.get(`${group}/${plural}`),
    all: () => fakes.values(),
  };
}
