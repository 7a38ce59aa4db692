import type { TSchema } from '@sinclair/typebox';
import type { KubeObject } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { schemaForKind } from '../api/schemas.ts';
import { findUnknownFields } from '../api/unknown-fields.ts';
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
  if (!schema || findUnknownFields(obj, schema).length === 0) return;
  const unknown: string[] = [];
  prune(obj, schema, '', unknown);
  if (unknown.length === 0 || mode === 'Ignore') return;
  const texts = unknown.map((p) => `unknown field ${JSON.stringify(p)}`);
  if (mode === 'Warn') {
    warnings.push(...texts);
    return;
  }
  throw strictDecodingError(info, texts, stage);
}

/** `Pod in version "v1" cannot be handled as a Pod: strict decoding error: <texts>` (a patch: without the prefix). */
function strictDecodingError(info: ResourceInfo, texts: string[], stage: 'decode' | 'patch') {
  const strict = `strict decoding error: ${texts.join(', ')}`;
  const version = info.group ? `${info.group}/${info.version}` : info.version;
  return badRequestError(stage === 'decode' ? `${info.kind} in version ${JSON.stringify(version)} cannot be handled as a ${info.kind}: ${strict}` : strict);
}

/**
 * Duplicate keys in a JSON body, which only its text shows (JSON.parse keeps the last). Strict → 400 with them and
 * the unknown fields (`strict decoding error: duplicate field "metadata.name", unknown field "spec.foo"`), Warn → one
 * `duplicate field "metadata.name"` warning each; the last value wins, as in Kubernetes. Run before
 * {@link checkUnknownFields}, on the parsed body of `text`.
 *
 *   checkDuplicateFields(pods, '{"metadata":{"name":"a","name":"b"}}', body, 'Strict', warnings);
 */
export function checkDuplicateFields(info: ResourceInfo, text: string, obj: unknown, mode: FieldValidation, warnings: string[]): void {
  if (mode === 'Ignore') return;
  const dups = duplicateFields(text);
  if (dups.length === 0) return;
  const texts = dups.map((p) => `duplicate field ${JSON.stringify(p)}`);
  if (mode === 'Warn') {
    warnings.push(...texts);
    return;
  }
  const schema = schemaForKind(info.group, info.kind);
  const unknown = schema ? findUnknownFields(obj, schema) : [];
  throw strictDecodingError(info, [...texts, ...unknown.map((p) => `unknown field ${JSON.stringify(p)}`)], 'decode');
}

/**
 * The paths (`metadata.name`, `spec.containers[0].image`) of keys that occur twice in one JSON object of `text`.
 * `text` must be valid JSON (it was parsed already).
 */
export function duplicateFields(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else return;
    }
  };
  const str = (): string => {
    const start = i++; // opening quote
    let escaped = false;
    for (;;) {
      const c = text.charCodeAt(i++);
      if (Number.isNaN(c)) break;
      if (c === 0x5c) {
        escaped = true; // backslash: the next character is part of the string
        i++;
      } else if (c === 0x22) break;
    }
    const raw = text.slice(start, i);
    return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  };
  const value = (path: string): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const key = str();
        const child = path ? `${path}.${key}` : key;
        if (seen.has(key)) out.push(child);
        else seen.add(key);
        ws();
        i++; // colon
        value(child);
        ws();
        if (text[i++] === '}') return;
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        ws();
        if (text[i++] === ']') return;
      }
    } else if (c === '"') {
      str();
    } else {
      while (i < text.length && !',}] \n\r\t'.includes(text[i]!)) i++;
    }
  };
  try {
    value('');
  } catch {
    return [];
  }
  return out;
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
