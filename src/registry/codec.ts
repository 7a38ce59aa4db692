import type { KubeObject } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { apiVersionOf } from '../api/resources.ts';
import type { KeyValue } from '../store/store.ts';

/**
 * Objects in and out of the Store. The stored JSON never carries metadata.resourceVersion: it is the
 * key's modRevision, filled in on every read. Returned objects always carry kind and apiVersion.
 *
 *   const pod = decode(pods, kv);            // pod.metadata.resourceVersion === String(kv.modRevision)
 *   await store.update(kv.key, encode(pod), kv.modRevision);
 */
export function decode(info: ResourceInfo, kv: KeyValue): KubeObject {
  const obj = JSON.parse(kv.value) as KubeObject;
  if (obj.kind === undefined) obj.kind = info.kind;
  if (obj.apiVersion === undefined) obj.apiVersion = apiVersionOf(info);
  (obj.metadata ??= {}).resourceVersion = String(kv.modRevision);
  return obj;
}

/**
 * The stored form of `obj`: `{"apiVersion":…,"kind":…,"metadata":{…},…}` in that order, resourceVersion left out
 * (`obj` itself is not changed). The fixed head lets `decodeJson` add the resourceVersion without parsing.
 */
export function encode(obj: KubeObject): string {
  const { apiVersion, kind, metadata, ...rest } = obj;
  const { resourceVersion: _rv, ...meta } = metadata ?? {};
  void _rv;
  return JSON.stringify({ apiVersion, kind, metadata: meta, ...rest });
}

const heads = new WeakMap<ResourceInfo, string>();

/**
 * The JSON text of `decode(info, kv)` without parsing it, when the stored value has `encode`'s head
 * (falls back to parse + stringify otherwise).
 */
export function decodeJson(info: ResourceInfo, kv: KeyValue): string {
  let head = heads.get(info);
  if (head === undefined) {
    head = `{"apiVersion":${JSON.stringify(apiVersionOf(info))},"kind":${JSON.stringify(info.kind)},"metadata":{`;
    heads.set(info, head);
  }
  const v = kv.value;
  // A stored resourceVersion (written by someone else) would win over the spliced one: parse those.
  if (v.startsWith(head) && !v.includes('"resourceVersion"')) {
    const rv = `"resourceVersion":"${kv.modRevision}"`;
    return v.charCodeAt(head.length) === 125 /* } */
      ? `${head}${rv}${v.slice(head.length)}`
      : `${head}${rv},${v.slice(head.length)}`;
  }
  return JSON.stringify(decode(info, kv));
}

/** A deep copy through JSON (objects here are plain JSON values). */
export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Structural equality of two JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual(ao[k], bo[k]));
}
