/**
 * Removes the members of a field set from an object (SMD's TypedValue.RemoveItems): a member map entry, struct
 * field or list item goes with everything below it; non-members are descended into. Atomic values are not entered.
 *
 * @example
 *   removeItems({ metadata: { labels: { a: '1', b: '2' } } }, FieldSet.of([f('metadata'), f('labels'), f('a')]), schema)
 *   // { metadata: { labels: { b: '2' } } }
 */
import type { TSchema } from '@sinclair/typebox';
import type { FieldSet } from './field-set.ts';
import { field } from './path-element.ts';
import { entrySchema, isObject, itemElement, shapeOf } from './schema-shape.ts';

export function removeItems<T>(obj: T, set: FieldSet, schema: TSchema | undefined): T {
  return remove(obj, set, schema) as T;
}

function remove(value: unknown, set: FieldSet, node: TSchema | undefined): unknown {
  if (set.isEmpty()) return value;
  const shape = shapeOf(node, value);
  if (shape.type === 'map' && !shape.atomic && isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const e = set.child(field(k));
      if (!e) out[k] = v;
      else if (!e.member) out[k] = remove(v, e.children, entrySchema(shape, k));
    }
    return out;
  }
  if (shape.type === 'list' && shape.relation !== 'atomic' && Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((item, i) => {
      const e = set.child(itemElement(shape, item, i));
      if (!e) out.push(item);
      else if (!e.member) out.push(remove(item, e.children, shape.item));
    });
    return out;
  }
  return value;
}
