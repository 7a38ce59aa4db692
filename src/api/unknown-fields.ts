/**
 * Finds fields of an object that its schema does not declare, for `fieldValidation=Strict` / `Warn`.
 * Paths read like Kubernetes' own strict-decoding errors: `spec.containers[0].foo`.
 *
 * Rules: declared properties recurse; `additionalProperties` maps accept any key and check the values;
 * objects without `properties` or `additionalProperties` (FieldsV1, RawExtension) and int-or-string
 * nodes accept anything; values of the wrong type are not reported here (that is validation's job).
 *
 * @example
 *   findUnknownFields({ spec: { containers: [{ name: 'a', foo: 1 }] } }, podSchema) // ['spec.containers[0].foo']
 */
import type { TSchema } from '@sinclair/typebox';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function findUnknownFields(obj: unknown, schema: TSchema, path = ''): string[] {
  const out: string[] = [];
  visit(obj, schema, path, out);
  return out;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function visit(value: unknown, schema: TSchema | undefined, path: string, out: string[]): void {
  if (!schema || value === null || value === undefined) return;
  if (schema['x-kubernetes-int-or-string'] || schema['x-kubernetes-preserve-unknown-fields']) return;
  if (Array.isArray(value)) {
    const items = schema.items as TSchema | undefined;
    if (schema.type === 'array' && items) value.forEach((v, i) => visit(v, items, `${path}[${i}]`, out));
    return;
  }
  if (!isPlainObject(value) || schema.type !== 'object') return;
  const props = schema.properties as Record<string, TSchema> | undefined;
  const extra = schema.additionalProperties;
  if (!props && (extra === undefined || extra === true)) return; // free-form object
  for (const [key, v] of Object.entries(value)) {
    if (props && Object.hasOwn(props, key)) visit(v, props[key], join(path, key), out);
    else if (extra && typeof extra === 'object') visit(v, extra as TSchema, join(path, key), out);
    else if (extra === true) continue;
    else out.push(join(path, key));
  }
}
