/**
 * SMD's Set.EnsureNamedFieldsAreMembers: a declared struct field with owned content counts as owned itself.
 * Pruning uses it so that a struct (say `spec.securityContext`) goes away only when nobody owns anything in it,
 * while entries of string-keyed maps and list items stay governed by their own membership.
 */
import type { TSchema } from '@sinclair/typebox';
import type { FieldSet } from './field-set.ts';
import type { PathElement } from './path-element.ts';
import { entrySchema, shapeOf } from './schema-shape.ts';

export function withNamedFieldsAsMembers(set: FieldSet, schema: TSchema | undefined): FieldSet {
  const out = set.clone();
  visit(set, schema, [], out);
  return out;
}

function visit(set: FieldSet, node: TSchema | undefined, path: PathElement[], out: FieldSet): void {
  const shape = shapeOf(node, undefined);
  for (const e of set.entries()) {
    if (e.children.isEmpty()) continue;
    const p = [...path, e.pe];
    if (shape.type === 'map' && e.pe.kind === 'field') {
      if (shape.declared.has(e.pe.name)) out.insert(p);
      visit(e.children, entrySchema(shape, e.pe.name), p, out);
    } else if (shape.type === 'list') {
      visit(e.children, shape.item, p, out);
    }
  }
}
