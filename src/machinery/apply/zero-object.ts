/**
 * The "before" object of a create: what Kubernetes' `scope.Creater.New(kind)` serialises to. Go's zero struct
 * always writes its non-pointer struct members (`metadata`, `spec`, `status`) and its fields without `omitempty`
 * (the schema's `required`), such as `spec.containers: null`.
 *
 * This matters for FieldsV1 byte-equality: `f:spec` carries no `"."` on a create because `spec` already existed
 * in the zero object, and `f:containers` carries none because it was `null` rather than absent.
 *
 * @example
 *   zeroObject(podSchema) // { metadata: { creationTimestamp: null }, spec: { containers: null }, status: {} }
 */
import type { TSchema } from '@sinclair/typebox';
import { propertySchema } from '../../api/schema-walk.ts';

/** Top-level members that are non-pointer structs in every Kubernetes kind. */
const STRUCT_MEMBERS = ['metadata', 'spec', 'status'];

export function zeroObject(schema: TSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = (schema?.properties ?? {}) as Record<string, TSchema>;
  for (const name of Object.keys(props)) {
    if (STRUCT_MEMBERS.includes(name)) out[name] = zeroStruct(props[name]);
    else if (isRequired(schema, name) && name !== 'apiVersion' && name !== 'kind') out[name] = zeroValue(props[name]);
  }
  if ('metadata' in out) (out.metadata as Record<string, unknown>).creationTimestamp = null;
  return out;
}

const isRequired = (node: TSchema | undefined, name: string) =>
  Array.isArray(node?.required) && (node.required as string[]).includes(name);

function zeroStruct(node: TSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys((node?.properties ?? {}) as object)) {
    if (isRequired(node, name)) out[name] = zeroValue(propertySchema(node, name));
  }
  return out;
}

function zeroValue(node: TSchema | undefined): unknown {
  switch (node?.type) {
    case 'object':
      return node.properties ? zeroStruct(node) : null;
    case 'string':
      return node.format === 'date-time' ? null : '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}
