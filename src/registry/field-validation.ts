import type { TSchema } from '@sinclair/typebox';
import type { KubeObject } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { schemaForKind } from '../api/schemas.ts';
import { badRequestError } from '../machinery/api-error.ts';
import type { FieldValidation } from './rest.ts';

/**
 * Unknown fields, as the API server's decoder treats them per `fieldValidation`: Strict → 400
 * (`Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"`), Warn → one
 * `unknown field "spec.foo"` warning each, Ignore → nothing. In every mode the fields are dropped, as decoding into
 * the typed object drops them, so they are never stored.
 *
 *   checkUnknownFields(pods, body, 'Warn', warnings, 'decode');
 */
export function checkUnknownFields(
  info: ResourceInfo,
  obj: KubeObject,
  mode: FieldValidation,
  warnings: string[],
  stage: 'decode' | 'patch',
): void {
  const schema = schemaForKind(info.group, info.kind);
  if (!schema) return;
  const unknown: string[] = [];
  prune(obj, schema, '', unknown);
  if (unknown.length === 0 || mode === 'Ignore') return;
  const texts = unknown.map((p) => `unknown field ${JSON.stringify(p)}`);
  if (mode === 'Warn') {
    warnings.push(...texts);
    return;
  }
  const strict = `strict decoding error: ${texts.join(', ')}`;
  const version = info.group ? `${info.group}/${info.version}` : info.version;
  throw badRequestError(stage === 'decode' ? `${info.kind} in version ${JSON.stringify(version)} cannot be handled as a ${info.kind}: ${strict}` : strict);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Removes (and reports) the keys `schema` does not declare; same rules as src/api/unknown-fields.ts. */
function prune(value: unknown, schema: TSchema | undefined, path: string, out: string[]): void {
  if (!schema || value === null || value === undefined) return;
  if (schema['x-kubernetes-int-or-string'] || schema['x-kubernetes-preserve-unknown-fields']) return;
  if (Array.isArray(value)) {
    const items = schema.items as TSchema | undefined;
    if (schema.type === 'array' && items) value.forEach((v, i) => prune(v, items, `${path}[${i}]`, out));
    return;
  }
  if (!isPlainObject(value) || schema.type !== 'object') return;
  const props = schema.properties as Record<string, TSchema> | undefined;
  const extra = schema.additionalProperties;
  if (!props && (extra === undefined || extra === true)) return;
  for (const key of Object.keys(value)) {
    if (props && Object.hasOwn(props, key)) prune(value[key], props[key], join(path, key), out);
    else if (extra && typeof extra === 'object') prune(value[key], extra as TSchema, join(path, key), out);
    else if (extra === true) continue;
    else {
      out.push(join(path, key));
      delete value[key];
    }
  }
}
