import type { TSchema } from '@sinclair/typebox';
import type { KubeObject, ManagedFieldsEntry } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { apiVersionOf } from '../api/resources.ts';
import { schemaForKind } from '../api/schemas.ts';
import { findUnknownFields } from '../api/unknown-fields.ts';
import { badRequestError } from '../machinery/api-error.ts';
import { serverSideApply } from '../machinery/apply/apply.ts';
import { pathToString, type PathElement, field } from '../machinery/apply/path-element.ts';
import { itemElement, shapeOf } from '../machinery/apply/schema-shape.ts';
import { updateManagedFields } from '../machinery/apply/managed-fields.ts';
import type { WriteOptions } from './rest.ts';
import { rfc3339 } from './timestamps.ts';

/**
 * Field management for the registry, over src/machinery/apply (kube-apiserver's field manager):
 * - `applyConfiguration`: server-side apply (`application/apply-patch+yaml`) of a configuration onto the live
 *   object (undefined = create), with conflicts (409) unless `force`;
 * - `trackManagedFields`: the `Update` bookkeeping every create / update / non-apply patch gets.
 * The manager is the `fieldManager` query parameter, else the User-Agent prefix (the HTTP layer fills
 * `WriteOptions.fieldManager` with `fieldManagerName`), else {@link DEFAULT_MANAGER} for in-process callers.
 *
 *   const next = applyConfiguration(pods, live, config, { manager: 'kubectl', force: false, name: 'web', namespace: 'default' });
 *   trackManagedFields(pods, old, next, 'kubectl-edit');
 */

/** The manager of writes that name none (in-process clients have no User-Agent). */
export const DEFAULT_MANAGER = 'k8ts';

export const managerOf = (options: Pick<WriteOptions, 'fieldManager'>): string => options.fieldManager || DEFAULT_MANAGER;

export interface ApplyRequest {
  manager: string | undefined;
  force?: boolean;
  /** From the URL. */
  name: string;
  namespace: string | undefined;
  subresource?: string;
}

/**
 * The object an apply produces (managedFields included); the caller runs its create or update rules on it.
 * A configuration with fields the schema does not declare is refused (400) whatever `fieldValidation` says, as
 * kube-apiserver's typed conversion refuses it (upstream answers 500 with the same text; kubernetes#122480).
 */
export function applyConfiguration(info: ResourceInfo, live: KubeObject | undefined, config: unknown, req: ApplyRequest): KubeObject {
  if (!req.manager) throw badRequestError('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw badRequestError('error decoding YAML: the apply configuration must be an object');
  }
  const schema = schemaForKind(info.group, info.kind);
  const apiVersion = apiVersionOf(info);
  const applied = config as KubeObject;
  if (schema) {
    // The typed conversion of the configuration fails on fields the schema does not declare, whatever fieldValidation says.
    if (findUnknownFields(applied, schema).length > 0) {
      const where = `${req.namespace ? `${req.namespace}/` : ''}${req.name}; ${apiVersion}, Kind=${info.kind}`;
      const path = pathToString(undeclaredPath(applied, schema, []) ?? []);
      throw badRequestError(`failed to create typed patch object (${where}): ${path}: field not declared in schema`);
    }
  }
  const { object } = serverSideApply(live, applied, {
    manager: req.manager,
    force: req.force ?? false,
    schema,
    time: rfc3339(),
    apiVersion,
    name: req.name,
    namespace: info.namespaced ? req.namespace : undefined,
    subresource: req.subresource,
  });
  object.apiVersion = apiVersion;
  object.kind = info.kind;
  return object;
}

/**
 * Records a non-apply write of `obj` (over `old`, undefined on create) in `obj.metadata.managedFields`.
 * Pod bindings are not tracked (the binding subresource writes without it, as Kubernetes' does).
 */
export function trackManagedFields(info: ResourceInfo, old: KubeObject | undefined, obj: KubeObject, manager: string, subresource?: string): void {
  if (!old && !subresource && obj.metadata?.managedFields === undefined) return trackCreate(info, obj, manager);
  const entries = updateManagedFields(old, obj, {
    manager,
    time: rfc3339(),
    schema: schemaForKind(info.group, info.kind),
    apiVersion: apiVersionOf(info),
    ...(subresource ? { subresource } : {}),
  });
  obj.metadata ??= {};
  if (entries.length > 0) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

/**
 * Creates are many and alike (same spec, another name, other timestamps): the Update entry of a create depends only
 * on which fields the object sets, not on its identity (nobody owns it) nor on the exact non-zero values outside
 * lists (a create owns every field that differs from the zero object, whose leaves are all zero values), so it is
 * computed once per {@link shapeKey} and reused with the current time. An LRU of {@link CREATE_CACHE_SIZE} entries.
 */
const CREATE_CACHE_SIZE = 256;
const createCache = new Map<string, string>();

function trackCreate(info: ResourceInfo, obj: KubeObject, manager: string): void {
  const meta = obj.metadata ?? {};
  const { name: _n, namespace: _ns, uid: _u, creationTimestamp: _c, resourceVersion: _rv, ...rest } = meta;
  void [_n, _ns, _u, _c, _rv];
  const key = `${info.group}/${info.kind}\u0000${manager}\u0000${JSON.stringify(shapeKey({ ...obj, metadata: rest }))}`;
  let fields = createCache.get(key);
  if (fields === undefined) {
    const entries = updateManagedFields(undefined, obj, { manager, time: '', schema: schemaForKind(info.group, info.kind), apiVersion: apiVersionOf(info) });
    fields = JSON.stringify(entries.map(({ time: _t, ...e }) => e));
    if (createCache.size >= CREATE_CACHE_SIZE) createCache.delete(createCache.keys().next().value!);
  } else {
    createCache.delete(key); // most recently used last
  }
  createCache.set(key, fields);
  const time = rfc3339();
  const entries = (JSON.parse(fields) as ManagedFieldsEntry[]).map((e) => ({ manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time, ...e }));
  obj.metadata ??= {};
  if (entries.length > 0) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The first field `findUnknownFields` would report, as structured-merge-diff names it in its errors
 * (`.spec.containers[name="app"].bar`): list items by their keys, set items by value.
 */
function undeclaredPath(value: unknown, schema: TSchema | undefined, path: PathElement[]): PathElement[] | undefined {
  if (!schema || value === null || value === undefined) return undefined;
  if (schema['x-kubernetes-int-or-string'] || schema['x-kubernetes-preserve-unknown-fields']) return undefined;
  if (Array.isArray(value)) {
    const items = schema.items as TSchema | undefined;
    if (schema.type !== 'array' || !items) return undefined;
    const shape = shapeOf(schema, value);
    for (const [i, v] of value.entries()) {
      const el = shape.type === 'list' ? itemElement(shape, v, i) : ({ kind: 'index', index: i } as const);
      const found = undeclaredPath(v, items, [...path, el]);
      if (found) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value) || schema.type !== 'object') return undefined;
  const props = schema.properties as Record<string, TSchema> | undefined;
  const extra = schema.additionalProperties;
  if (!props && (extra === undefined || extra === true)) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const here = [...path, field(k)];
    let found: PathElement[] | undefined;
    if (props && Object.hasOwn(props, k)) found = undeclaredPath(v, props[k], here);
    else if (extra && typeof extra === 'object') found = undeclaredPath(v, extra as TSchema, here);
    else if (extra !== true) return here;
    if (found) return found;
  }
  return undefined;
}

/**
 * `value` with every non-zero scalar outside lists replaced by a marker; list contents are kept as they are (their
 * items are named by key fields and values). Zero values (`""`, `0`, `false`, `null`) are kept: the zero object has them.
 */
function shapeKey(value: unknown): unknown {
  if (Array.isArray(value)) return value;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) out[k] = shapeKey(value[k]);
    return out;
  }
  if (typeof value === 'string') return value === '' ? '' : '\u0001';
  if (typeof value === 'number') return value === 0 ? 0 : 1;
  return value;
}
