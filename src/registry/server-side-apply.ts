import type { KubeObject, ManagedFieldsEntry } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { apiVersionOf } from '../api/resources.ts';
import { schemaForKind } from '../api/schemas.ts';
import { badRequestError } from '../machinery/api-error.ts';
import type { SchemaNode } from '../machinery/strategic-merge-patch.ts';
import { strategicMergePatch } from '../machinery/strategic-merge-patch.ts';
import { clone } from './codec.ts';
import { rfc3339 } from './timestamps.ts';

/**
 * Server-side apply (`application/apply-patch+yaml`), a first cut: the applied configuration is merged into the live
 * object by the kind's schema (maps by key, associative lists by their keys, atomic lists replaced), and whatever
 * this field manager applied last time but no longer applies is removed. The manager's field set is kept in
 * `metadata.managedFields` (operation Apply, FieldsV1) as Kubernetes does.
 * Not done yet: ownership of fields written by other managers (no conflicts are reported; `force` is moot).
 *
 *   const next = applyConfiguration(pods, livePod, appliedConfig, 'kubectl');
 */
export function applyConfiguration(info: ResourceInfo, live: KubeObject | undefined, config: unknown, manager: string | undefined): KubeObject {
  if (!manager) throw badRequestError('fieldManager: Required value: is required for apply patch');
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw badRequestError('error decoding YAML: the apply configuration is not an object');
  }
  const cfg = clone(config) as KubeObject;
  const apiVersion = apiVersionOf(info);
  if (cfg.apiVersion !== undefined && cfg.apiVersion !== apiVersion) {
    throw badRequestError(`the API version in the data (${cfg.apiVersion}) does not match the expected API version (${apiVersion})`);
  }
  if (cfg.kind !== undefined && cfg.kind !== info.kind) {
    throw badRequestError(`the kind in the data (${cfg.kind}) does not match the expected kind (${info.kind})`);
  }
  cfg.metadata ??= {};
  delete cfg.metadata.managedFields;
  delete cfg.metadata.resourceVersion;
  const schema = schemaForKind(info.group, info.kind) as SchemaNode | undefined;
  const applied = fieldSet(stripIdentity(cfg), schema);

  let next: KubeObject;
  if (!live) {
    next = cfg;
  } else {
    next = clone(live);
    const previous = (live.metadata.managedFields ?? []).find((e) => e.manager === manager && e.operation === 'Apply' && !e.subresource);
    if (previous?.fieldsV1) removeFields(next, previous.fieldsV1 as FieldSet, applied, schema);
    next = strategicMergePatch(next, cfg, schema) as KubeObject;
  }
  next.apiVersion = apiVersion;
  next.kind = info.kind;
  next.metadata ??= {};
  const others = (live?.metadata.managedFields ?? []).filter((e) => !(e.manager === manager && e.operation === 'Apply' && !e.subresource));
  const entry: ManagedFieldsEntry = { manager, operation: 'Apply', apiVersion, time: rfc3339(), fieldsType: 'FieldsV1', fieldsV1: applied };
  next.metadata.managedFields = [...others, entry];
  return next;
}

/** FieldsV1: `f:<field>` for fields, `k:<json keys>` for associative list items, `v:<json>` for set items, `.` for the item itself. */
type FieldSet = { [key: string]: FieldSet };

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The identity fields are never owned. */
function stripIdentity(obj: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = obj;
  void _a;
  void _k;
  const { name: _n, namespace: _ns, uid: _u, resourceVersion: _rv, creationTimestamp: _c, generation: _g, managedFields: _m, ...meta } = metadata ?? {};
  void [_n, _ns, _u, _rv, _c, _g, _m];
  return Object.keys(meta).length > 0 ? { ...rest, metadata: meta } as KubeObject : (rest as KubeObject);
}

function structural(node: SchemaNode | undefined): SchemaNode | undefined {
  if (!node) return undefined;
  if (node.properties || node.items || isMap(node.additionalProperties) || node.patternProperties) return node;
  for (const sub of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) {
    const found = structural(sub);
    if (found) return found;
  }
  return undefined;
}

function fieldSchema(node: SchemaNode | undefined, key: string): SchemaNode | undefined {
  const s = structural(node);
  if (!s) return undefined;
  if (s.properties?.[key]) return s.properties[key];
  if (isMap(s.additionalProperties)) return s.additionalProperties as SchemaNode;
  if (s.patternProperties) return Object.values(s.patternProperties)[0];
  return undefined;
}

type ListKind = { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' };

/** The list's SSA type: its x-kubernetes-list-type, else inferred from the patch strategy as apiserver does. */
function listKind(node: SchemaNode | undefined): ListKind {
  const n = node ?? {};
  const s = structural(node) ?? {};
  const type = n['x-kubernetes-list-type'] ?? s['x-kubernetes-list-type'];
  const keys = n['x-kubernetes-list-map-keys'] ?? s['x-kubernetes-list-map-keys'];
  if (type === 'map' && keys && keys.length > 0) return { type: 'map', keys };
  if (type === 'set') return { type: 'set' };
  if (type === 'atomic') return { type: 'atomic' };
  const strategy = String(n['x-kubernetes-patch-strategy'] ?? s['x-kubernetes-patch-strategy'] ?? '');
  const mergeKey = n['x-kubernetes-patch-merge-key'] ?? s['x-kubernetes-patch-merge-key'];
  if (strategy.split(',').includes('merge')) return mergeKey ? { type: 'map', keys: [mergeKey] } : { type: 'set' };
  return { type: 'atomic' };
}

const itemKey = (item: Record<string, unknown>, keys: string[]) =>
  `k:${JSON.stringify(Object.fromEntries(keys.filter((k) => item[k] !== undefined).map((k) => [k, item[k]])))}`;

/** The fields `value` sets, in FieldsV1 form. */
function fieldSet(value: unknown, schema: SchemaNode | undefined): FieldSet {
  const out: FieldSet = {};
  if (!isMap(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const child = fieldSchema(schema, k);
    out[`f:${k}`] = childSet(v, child);
  }
  return out;
}

function childSet(v: unknown, schema: SchemaNode | undefined): FieldSet {
  if (Array.isArray(v)) {
    const kind = listKind(schema);
    if (kind.type === 'atomic') return {};
    const set: FieldSet = {};
    const items = structural(schema)?.items;
    for (const item of v) {
      if (kind.type === 'set' || !isMap(item)) set[`v:${JSON.stringify(item)}`] = {};
      else set[itemKey(item, kind.keys)] = { '.': {}, ...fieldSet(item, items) };
    }
    return set;
  }
  if (isMap(v)) {
    const s = structural(schema);
    const isFreeMap = !s?.properties; // map[string]T: the map itself is owned too
    const sub = fieldSet(v, schema);
    return isFreeMap && Object.keys(v).length > 0 ? { '.': {}, ...sub } : sub;
  }
  return {};
}

/** Removes from `obj` what `previous` owned and `current` no longer does. */
function removeFields(obj: unknown, previous: FieldSet, current: FieldSet, schema: SchemaNode | undefined): void {
  if (!isMap(obj)) return;
  for (const [key, prevChild] of Object.entries(previous)) {
    if (!key.startsWith('f:')) continue;
    const field = key.slice(2);
    const child = fieldSchema(schema, field);
    const curChild = current[key];
    if (curChild === undefined) {
      delete obj[field];
      continue;
    }
    const value = obj[field];
    if (Array.isArray(value)) obj[field] = removeListItems(value, prevChild, curChild, child);
    else if (isMap(value)) removeFields(value, prevChild, curChild, child);
  }
}

function removeListItems(list: unknown[], previous: FieldSet, current: FieldSet, schema: SchemaNode | undefined): unknown[] {
  const kind = listKind(schema);
  if (kind.type === 'atomic') return list;
  const items = structural(schema)?.items;
  const out: unknown[] = [];
  for (const item of list) {
    const key = kind.type === 'set' || !isMap(item) ? `v:${JSON.stringify(item)}` : itemKey(item, kind.keys);
    const prevChild = previous[key];
    if (prevChild === undefined) {
      out.push(item);
      continue;
    }
    const curChild = current[key];
    if (curChild === undefined) continue; // applied before, not any more: gone
    if (isMap(item)) removeFields(item, prevChild, curChild, items);
    out.push(item);
  }
  return out;
}
