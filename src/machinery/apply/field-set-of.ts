/**
 * The set of fields an object sets (SMD's TypedValue.ToFieldSet): what an applied configuration claims.
 *
 * - scalars, atomic lists and atomic maps are members (nothing below them is tracked);
 * - list-map and set items are members, named by their keys / value, and are descended into;
 * - entries of string-keyed maps are members (`labels.app`); declared struct fields only through what they hold,
 *   except when null or an empty map: `resources: {}` is claimed as a whole (kube-apiserver records `f:resources`).
 *
 * @example
 *   fieldSetOf({ metadata: { labels: { app: 'web' } } }, podSchema).toFieldsV1()
 *   // { 'f:metadata': { 'f:labels': { 'f:app': {} } } }
 */
import type { TSchema } from '@sinclair/typebox';
import { FieldSet } from './field-set.ts';
import { field, type PathElement } from './path-element.ts';
import { entrySchema, isObject, itemElement, shapeOf } from './schema-shape.ts';

export function fieldSetOf(obj: unknown, schema: TSchema | undefined): FieldSet {
  const set = new FieldSet();
  walk(obj, schema, [], set);
  return set;
}

function walk(value: unknown, node: TSchema | undefined, path: PathElement[], set: FieldSet): void {
  const shape = shapeOf(node, value);
  switch (shape.type) {
    case 'scalar':
      set.insert(path);
      return;
    case 'list':
      if (shape.relation === 'atomic') return void set.insert(path);
      if (!Array.isArray(value)) return;
      value.forEach((item, i) => {
        const p = [...path, itemElement(shape, item, i)];
        walk(item, shape.item, p, set);
        set.insert(p);
      });
      return;
    case 'map':
      if (shape.atomic) return void set.insert(path);
      if (!isObject(value)) return;
      for (const [k, v] of Object.entries(value)) {
        const p = [...path, field(k)];
        walk(v, entrySchema(shape, k), p, set);
        if (!shape.declared.has(k) || v === null || (isObject(v) && Object.keys(v).length === 0)) set.insert(p);
      }
  }
}
