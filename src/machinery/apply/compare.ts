/**
 * Which fields an update added, modified or removed (SMD's TypedValue.Compare). This is what an Update
 * (create, update, patch) makes its manager own: `added ∪ modified`.
 *
 * Leaves (scalars, atomic lists/maps, and maps/lists empty on both sides) are compared by value.
 * A granular map or list-map/set item that appears or disappears is itself added/removed as well as its contents,
 * which is why a new `labels` map shows up as `"f:labels":{".":{},…}` in FieldsV1.
 * `undefined` means absent; `null` is a present value (Go's zero objects carry `containers: null`).
 *
 * @example
 *   compareObjects({ spec: {} }, { spec: { x: 1 } }, schema).added.toFieldsV1() // { 'f:spec': { 'f:x': {} } }
 */
import type { TSchema } from '@sinclair/typebox';
import { isDeepStrictEqual } from 'node:util';
import { FieldSet } from './field-set.ts';
import { field, serializeElement, type PathElement } from './path-element.ts';
import { entrySchema, isObject, itemElement, shapeOf, type Shape } from './schema-shape.ts';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function compareObjects(lhs: unknown, rhs: unknown, schema: TSchema | undefined): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walk(lhs, rhs, schema, [], c);
  return c;
}

/** The comparison without the `ignored` subtrees (SMD Comparison.FilterFields). */
export function filterComparison(c: Comparison, ignored: FieldSet): Comparison {
  if (ignored.isEmpty()) return c;
  return {
    added: c.added.recursiveDifference(ignored),
    modified: c.modified.recursiveDifference(ignored),
    removed: c.removed.recursiveDifference(ignored),
  };
}

function walk(l: unknown, r: unknown, node: TSchema | undefined, path: PathElement[], c: Comparison): void {
  const shape = shapeOf(node, r === undefined ? l : r);
  if (shape.type === 'scalar' || isLeaf(shape, l, r)) return leaf(l, r, path, c);
  if (shape.type === 'list') {
    const lItems = indexItems(shape, l);
    const rItems = indexItems(shape, r);
    for (const [k, { pe, item }] of lItems) walk(item, rItems.get(k)?.item, shape.item, [...path, pe], c);
    for (const [k, { pe, item }] of rItems) if (!lItems.has(k)) walk(undefined, item, shape.item, [...path, pe], c);
  } else {
    const lm = isObject(l) ? l : {};
    const rm = isObject(r) ? r : {};
    for (const k of new Set([...Object.keys(lm), ...Object.keys(rm)])) {
      walk(lm[k], rm[k], entrySchema(shape, k), [...path, field(k)], c);
    }
  }
  // The container node itself comes or goes with its first/last content.
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
}

/** Atomic nodes, nodes whose values are not of the shape's type, and nodes empty (or null) on both sides. */
function isLeaf(shape: Exclude<Shape, { type: 'scalar' }>, l: unknown, r: unknown): boolean {
  if (shape.type === 'list') {
    if (shape.relation === 'atomic') return true;
    if (!okList(l) || !okList(r)) return true;
    return (l == null || l.length === 0) && (r == null || r.length === 0);
  }
  if (shape.atomic) return true;
  if (!okMap(l) || !okMap(r)) return true;
  return (l == null || Object.keys(l).length === 0) && (r == null || Object.keys(r).length === 0);
}

const okList = (v: unknown): v is unknown[] | null | undefined => v == null || Array.isArray(v);
const okMap = (v: unknown): v is Record<string, unknown> | null | undefined => v == null || isObject(v);

function leaf(l: unknown, r: unknown, path: PathElement[], c: Comparison): void {
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
  else if (!isDeepStrictEqual(l, r)) c.modified.insert(path);
}

/** List items by path element, first occurrence winning, in list order. */
export function indexItems(
  shape: Extract<Shape, { type: 'list' }>,
  list: unknown,
): Map<string, { pe: PathElement; item: unknown }> {
  const out = new Map<string, { pe: PathElement; item: unknown }>();
  if (!Array.isArray(list)) return out;
  list.forEach((item, i) => {
    const pe = itemElement(shape, item, i);
    const k = serializeElement(pe);
    if (!out.has(k)) out.set(k, { pe, item });
  });
  return out;
}
