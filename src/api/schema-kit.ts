/**
 * Small builders for Kubernetes-style TypeBox schemas, so every kind file reads like the Go types it mirrors.
 *
 * Conventions every schema follows (OpenAPI generation, strategic merge patch and unknown-field checks walk them):
 * - schemas are fully inline: no `$ref`; objects are `{type:'object', properties}` or `{type:'object', additionalProperties}`;
 * - a named Kubernetes type carries `$id` = its OpenAPI name and is registered here (see {@link namedSchemas});
 *   where a field uses a named type, the field node is a shallow copy carrying the field's own `description`;
 * - list fields carry `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-patch-strategy`
 *   and `x-kubernetes-patch-merge-key` exactly as Kubernetes declares them;
 * - an object with no `properties` and no `additionalProperties` is free-form (any content).
 *
 * @example
 *   const Foo = named('io.example.Foo', 'A foo.', { name: str('Name of the foo.'), size: opt(int32('Its size.')) });
 *   const bar = { foo: opt(field(Foo, 'The foo this bar wraps.')) };
 */
import { Type, type TSchema, type TProperties, type TObject, type TArray, type TUnsafe, type Static } from '@sinclair/typebox';

const registry = new Map<string, TSchema>();

/** Every named schema defined so far, by OpenAPI name (import the kind modules first). */
export function namedSchemas(): ReadonlyMap<string, TSchema> {
  return registry;
}

/** Register a named schema under its `$id`. Refuses two different schemas with one name. */
export function register<T extends TSchema>(schema: T): T {
  const id = schema.$id;
  if (!id) throw new Error('register: schema has no $id');
  const prev = registry.get(id);
  if (prev && prev !== schema) throw new Error(`register: two schemas named ${id}`);
  registry.set(id, schema);
  return schema;
}

/** A named object type (`$id` = Kubernetes OpenAPI name). Fields not wrapped in {@link opt} are required. */
export function named<T extends TProperties>(
  id: string,
  description: string,
  properties: T,
  extra: Record<string, unknown> = {},
): TObject<T> {
  return register(Type.Object(properties, { $id: id, description, ...extra }));
}

/** A field of a named type: the same schema, described as the field. */
export function field<T extends TSchema>(schema: T, description: string, extra: Record<string, unknown> = {}): T {
  return { ...schema, description, ...extra };
}

/** Marks a property optional (not listed in `required`). */
export const opt = Type.Optional;

export const str = (description: string, extra: Record<string, unknown> = {}) => Type.String({ description, ...extra });
export const int32 = (description: string) => Type.Integer({ description, format: 'int32' });
export const int64 = (description: string) => Type.Integer({ description, format: 'int64' });
export const num = (description: string) => Type.Number({ description, format: 'double' });
export const bool = (description: string) => Type.Boolean({ description });
/** Base64-encoded bytes, as Kubernetes serialises `[]byte`. */
export const bytes = (description: string) => Type.String({ description, format: 'byte' });

/** A string limited to the given values (`enum` in OpenAPI; explain prints them). */
export function enumOf<const V extends readonly string[]>(values: V, description: string): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], description });
}

/** A map from string keys to `value`; `mapType` becomes `x-kubernetes-map-type` when given. */
export function mapOf<V extends TSchema>(
  value: V,
  description: string,
  mapType?: 'atomic' | 'granular',
): TUnsafe<Record<string, Static<V>>> {
  return Type.Unsafe<Record<string, Static<V>>>({
    type: 'object',
    additionalProperties: value,
    description,
    ...(mapType ? { 'x-kubernetes-map-type': mapType } : {}),
  });
}

/** `map[string]string`. */
export const strMap = (description: string, mapType?: 'atomic' | 'granular') =>
  mapOf(Type.String(), description, mapType);

/** A free-form JSON object (any content). */
export const anyObject = (description: string) => Type.Unsafe<Record<string, unknown>>({ type: 'object', description });

export interface ListMeta {
  /** `x-kubernetes-list-type`. */
  type?: 'atomic' | 'map' | 'set';
  /** `x-kubernetes-list-map-keys` (list type map). */
  keys?: string[];
  /** `x-kubernetes-patch-strategy`. */
  strategy?: 'merge' | 'retainKeys' | 'merge,retainKeys';
  /** `x-kubernetes-patch-merge-key`. */
  mergeKey?: string;
}

/** A list field with its Kubernetes list and patch metadata. */
export function list<T extends TSchema>(items: T, description: string, meta: ListMeta = {}): TArray<T> {
  const ext: Record<string, unknown> = {};
  if (meta.type) ext['x-kubernetes-list-type'] = meta.type;
  if (meta.keys) ext['x-kubernetes-list-map-keys'] = meta.keys;
  if (meta.mergeKey) ext['x-kubernetes-patch-merge-key'] = meta.mergeKey;
  if (meta.strategy) ext['x-kubernetes-patch-strategy'] = meta.strategy;
  return Type.Array(items, { description, ...ext });
}

/** A list replaced wholesale on merge (`+listType=atomic`). */
export const atomic = <T extends TSchema>(items: T, description: string) => list(items, description, { type: 'atomic' });

/** A list of objects keyed by `key` that strategic merge patch merges by that key (`patchStrategy=merge`). */
export const mergeList = <T extends TSchema>(items: T, description: string, key: string, keys: string[] = [key]) =>
  list(items, description, { type: 'map', keys, strategy: 'merge', mergeKey: key });

/** Shorthand for a list of strings. */
export const strings = () => Type.String();
