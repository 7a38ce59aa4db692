/**
 * How server-side apply sees a schema node: a scalar, a map (a struct or a string-keyed map, granular or atomic)
 * or a list (atomic, set, or map keyed by some fields). Also names list items by their path element.
 *
 * Lists with no `x-kubernetes-list-type` get one inferred from their patch tags, as Kubernetes does:
 * merge with a merge key → map on that key; merge without → set; otherwise atomic.
 * Where the schema says nothing (free-form objects, unknown fields), the shape is deduced from the value:
 * objects are granular maps, arrays atomic lists.
 *
 * @example
 *   shapeOf(schemaAt(podSchema, 'spec.containers'), []) // { type: 'list', relation: 'map', keys: ['name'], item }
 */
import type { TSchema } from '@sinclair/typebox';
import { propertySchema, itemSchema } from '../../api/schema-walk.ts';
import { index, key, setValue, type PathElement } from './path-element.ts';

export type Shape =
  | { type: 'scalar' }
  | {
      type: 'map';
      atomic: boolean;
      /** Declared struct fields (Go struct members), as opposed to entries of a string-keyed map. */
      declared: ReadonlySet<string>;
      node: TSchema | undefined;
    }
  | { type: 'list'; relation: 'atomic' | 'set' | 'map'; keys: string[]; item: TSchema | undefined };

const NO_FIELDS: ReadonlySet<string> = new Set();

export const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function shapeOf(node: TSchema | undefined, value: unknown): Shape {
  if (node?.type === 'array') {
    const item = itemSchema(node);
    let relation = node['x-kubernetes-list-type'] as 'atomic' | 'set' | 'map' | undefined;
    let keys = (node['x-kubernetes-list-map-keys'] as string[] | undefined) ?? [];
    if (!relation) {
      const merge = String(node['x-kubernetes-patch-strategy'] ?? '').split(',').includes('merge');
      const mergeKey = node['x-kubernetes-patch-merge-key'] as string | undefined;
      relation = merge ? (mergeKey ? 'map' : 'set') : 'atomic';
      if (mergeKey) keys = [mergeKey];
    }
    return { type: 'list', relation, keys, item };
  }
  if (node?.type === 'object') {
    const props = node.properties as Record<string, TSchema> | undefined;
    return {
      type: 'map',
      atomic: node['x-kubernetes-map-type'] === 'atomic',
      declared: props ? new Set(Object.keys(props)) : NO_FIELDS,
      node,
    };
  }
  if (node) return { type: 'scalar' };
  // No schema: deduce from the value.
  if (Array.isArray(value)) return { type: 'list', relation: 'atomic', keys: [], item: undefined };
  if (isObject(value)) return { type: 'map', atomic: false, declared: NO_FIELDS, node: undefined };
  return { type: 'scalar' };
}

/** Schema of map entry `k` (undefined for free-form content). */
export const entrySchema = (shape: Extract<Shape, { type: 'map' }>, k: string): TSchema | undefined =>
  propertySchema(shape.node, k);

/**
 * List-map keys the OpenAPI documents default (our schemas carry no `default` for them), used when an item
 * omits a key, as SMD fills missing keys from schema defaults.
 */
const KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

/** The path element naming list item `item` at position `i`. */
export function itemElement(shape: Extract<Shape, { type: 'list' }>, item: unknown, i: number): PathElement {
  if (shape.relation === 'set') return setValue(item);
  if (shape.relation === 'map' && isObject(item)) {
    const fields: Record<string, unknown> = {};
    for (const k of shape.keys) {
      if (item[k] !== undefined && item[k] !== null) fields[k] = item[k];
      else {
        const def = (propertySchema(shape.item, k) as { default?: unknown } | undefined)?.default ?? KEY_DEFAULTS[k];
        if (def !== undefined) fields[k] = def;
      }
    }
    return key(fields);
  }
  return index(i);
}
