/**
 * Decodes the Kubernetes protobuf request body that kubectl 1.32+ sends for `kubectl create namespace`
 * (`Content-Type: application/vnd.kubernetes.protobuf`, KUBECTL-API §4.6) into the JSON form of the object.
 *
 *   decodeProtobufObject(body)   // { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubia-ns' }, spec: {}, status: {} }
 *
 * The envelope is the magic `k8s\0` followed by a runtime.Unknown message:
 *   Unknown { 1 typeMeta: TypeMeta{1 apiVersion, 2 kind}, 2 raw: bytes, 3 contentEncoding, 4 contentType }.
 * Only v1 Namespace is decoded (field numbers from k8s.io/api core/v1 and apimachinery meta/v1 generated.proto);
 * any other kind is 415 UnsupportedMediaType, so the client learns to send JSON. Empty fields are left out, as
 * Go's JSON encoding (omitempty) would; timestamps become RFC 3339 strings in seconds.
 */
import type { KubeObject, ManagedFieldsEntry, ObjectMeta, OwnerReference } from '../api/object.ts';
import { badRequestError, unsupportedMediaTypeError } from './api-error.ts';
import { decodeDeleteOptions, decodeEviction } from './eviction-protobuf.ts';

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';
const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

class ProtoError extends Error {}

/** One field as read off the wire: varints as bigint (int64 safe), length-delimited as bytes. */
type Field = { num: number; varint: bigint; bytes?: undefined } | { num: number; bytes: Buffer; varint?: undefined };

/** Hand-rolled protobuf wire reader: varint, 64-bit, length-delimited and 32-bit fields. */
function readFields(buf: Buffer): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) throw new ProtoError('unexpected EOF');
      const b = buf[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
    throw new ProtoError('integer overflow');
  };
  while (pos < buf.length) {
    const key = varint();
    const num = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (num === 0) throw new ProtoError('illegal tag 0');
    switch (wire) {
      case 0:
        fields.push({ num, varint: varint() });
        break;
      case 1:
        if (pos + 8 > buf.length) throw new ProtoError('unexpected EOF');
        fields.push({ num, varint: buf.readBigUInt64LE(pos) });
        pos += 8;
        break;
      case 2: {
        const len = Number(varint());
        if (len < 0 || pos + len > buf.length) throw new ProtoError('unexpected EOF');
        fields.push({ num, bytes: buf.subarray(pos, pos + len) });
        pos += len;
        break;
      }
      case 5:
        if (pos + 4 > buf.length) throw new ProtoError('unexpected EOF');
        fields.push({ num, varint: BigInt(buf.readUInt32LE(pos)) });
        pos += 4;
        break;
      default:
        throw new ProtoError(`illegal wireType ${wire} for field ${num}`);
    }
  }
  return fields;
}

const bytesOf = (f: Field, what: string): Buffer => {
  if (!f.bytes) throw new ProtoError(`wrong wireType for field ${what}`);
  return f.bytes;
};
const stringOf = (f: Field, what: string) => bytesOf(f, what).toString('utf8');
const intOf = (f: Field, what: string): number => {
  if (f.varint === undefined) throw new ProtoError(`wrong wireType for field ${what}`);
  return Number(BigInt.asIntN(64, f.varint));
};
const boolOf = (f: Field, what: string) => intOf(f, what) !== 0;

/** meta/v1 Time {1 seconds, 2 nanos} → RFC 3339; the zero time is absent (JSON null upstream). */
function timeOf(f: Field, what: string): string | undefined {
  let seconds = 0;
  for (const t of readFields(bytesOf(f, what))) if (t.num === 1) seconds = intOf(t, `${what}.seconds`);
  if (seconds === 0) return undefined;
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A `map<string,string>` entry: {1 key, 2 value}. */
function mapEntry(f: Field, what: string): [string, string] {
  let key = '';
  let value = '';
  for (const e of readFields(bytesOf(f, what))) {
    if (e.num === 1) key = stringOf(e, `${what}.key`);
    else if (e.num === 2) value = stringOf(e, `${what}.value`);
  }
  return [key, value];
}

function ownerReference(buf: Buffer): OwnerReference {
  const ref: Partial<OwnerReference> = {};
  for (const f of readFields(buf)) {
    switch (f.num) {
      case 1: ref.kind = stringOf(f, 'kind'); break;
      case 3: ref.name = stringOf(f, 'name'); break;
      case 4: ref.uid = stringOf(f, 'uid'); break;
      case 5: ref.apiVersion = stringOf(f, 'apiVersion'); break;
      case 6: ref.controller = boolOf(f, 'controller'); break;
      case 7: ref.blockOwnerDeletion = boolOf(f, 'blockOwnerDeletion'); break;
    }
  }
  // Go always writes these four strings, even empty.
  return { apiVersion: ref.apiVersion ?? '', kind: ref.kind ?? '', name: ref.name ?? '', uid: ref.uid ?? '', ...ref };
}

function managedFieldsEntry(buf: Buffer): ManagedFieldsEntry {
  const e: ManagedFieldsEntry = {};
  for (const f of readFields(buf)) {
    switch (f.num) {
      case 1: e.manager = stringOf(f, 'manager'); break;
      case 2: e.operation = stringOf(f, 'operation') as ManagedFieldsEntry['operation']; break;
      case 3: e.apiVersion = stringOf(f, 'apiVersion'); break;
      case 4: e.time = timeOf(f, 'time'); break;
      case 6: e.fieldsType = stringOf(f, 'fieldsType') as ManagedFieldsEntry['fieldsType']; break;
      case 7: {
        // FieldsV1 {1 Raw: JSON bytes}
        for (const r of readFields(bytesOf(f, 'fieldsV1'))) {
          if (r.num === 1) e.fieldsV1 = JSON.parse(stringOf(r, 'fieldsV1.Raw') || '{}') as Record<string, unknown>;
        }
        break;
      }
      case 8: e.subresource = stringOf(f, 'subresource'); break;
    }
  }
  for (const k of Object.keys(e) as (keyof ManagedFieldsEntry)[]) if (e[k] === '' || e[k] === undefined) delete e[k];
  return e;
}

/** meta/v1 ObjectMeta, field numbers 1–14 and 17. */
export function decodeObjectMeta(buf: Buffer): ObjectMeta {
  const m: ObjectMeta = {};
  const str = (f: Field, key: 'name' | 'generateName' | 'namespace' | 'uid' | 'resourceVersion') => {
    const s = stringOf(f, `metadata.${key}`);
    if (s) m[key] = s;
  };
  for (const f of readFields(buf)) {
    switch (f.num) {
      case 1: str(f, 'name'); break;
      case 2: str(f, 'generateName'); break;
      case 3: str(f, 'namespace'); break;
      case 4: break; // selfLink: no longer populated
      case 5: str(f, 'uid'); break;
      case 6: str(f, 'resourceVersion'); break;
      case 7: { const g = intOf(f, 'metadata.generation'); if (g) m.generation = g; break; }
      case 8: { const t = timeOf(f, 'metadata.creationTimestamp'); if (t) m.creationTimestamp = t; break; }
      case 9: { const t = timeOf(f, 'metadata.deletionTimestamp'); if (t) m.deletionTimestamp = t; break; }
      case 10: m.deletionGracePeriodSeconds = intOf(f, 'metadata.deletionGracePeriodSeconds'); break;
      case 11: { const [k, v] = mapEntry(f, 'metadata.labels'); (m.labels ??= {})[k] = v; break; }
      case 12: { const [k, v] = mapEntry(f, 'metadata.annotations'); (m.annotations ??= {})[k] = v; break; }
      case 13: (m.ownerReferences ??= []).push(ownerReference(bytesOf(f, 'metadata.ownerReferences'))); break;
      case 14: (m.finalizers ??= []).push(stringOf(f, 'metadata.finalizers')); break;
      case 17: (m.managedFields ??= []).push(managedFieldsEntry(bytesOf(f, 'metadata.managedFields'))); break;
    }
  }
  return m;
}

/** core/v1 Namespace {1 metadata, 2 spec{1 finalizers}, 3 status{1 phase, 2 conditions}}. */
function decodeNamespace(buf: Buffer): KubeObject {
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: {}, spec: {}, status: {} };
  for (const f of readFields(buf)) {
    if (f.num === 1) ns.metadata = decodeObjectMeta(bytesOf(f, 'metadata'));
    else if (f.num === 2) {
      for (const s of readFields(bytesOf(f, 'spec'))) {
        if (s.num === 1) (ns.spec.finalizers ??= []).push(stringOf(s, 'spec.finalizers'));
      }
    } else if (f.num === 3) {
      for (const s of readFields(bytesOf(f, 'status'))) {
        if (s.num === 1) {
          const phase = stringOf(s, 'status.phase');
          if (phase) ns.status.phase = phase;
        } else if (s.num === 2) (ns.status.conditions ??= []).push(namespaceCondition(bytesOf(s, 'status.conditions')));
      }
    }
  }
  return ns;
}

/** NamespaceCondition {1 type, 2 status, 4 lastTransitionTime, 5 reason, 6 message}. */
function namespaceCondition(buf: Buffer): Record<string, string> {
  const c: Record<string, string> = { type: '', status: '' };
  for (const f of readFields(buf)) {
    if (f.num === 1) c.type = stringOf(f, 'type');
    else if (f.num === 2) c.status = stringOf(f, 'status');
    else if (f.num === 4) { const t = timeOf(f, 'lastTransitionTime'); if (t) c.lastTransitionTime = t; }
    else if (f.num === 5) { const r = stringOf(f, 'reason'); if (r) c.reason = r; }
    else if (f.num === 6) { const msg = stringOf(f, 'message'); if (msg) c.message = msg; }
  }
  return c;
}

/**
 * Decodes a `k8s\0`-framed runtime.Unknown body into the JSON object it carries.
 * Throws ApiError 415 for kinds it cannot decode (or compressed payloads) and 400 for a malformed body.
 */
export function decodeProtobufObject(body: Buffer): KubeObject {
  if (body.length < magic.length || !body.subarray(0, magic.length).equals(magic)) {
    throw badRequestError('provided object is not a valid Kubernetes protobuf message: missing "k8s\\0" prefix');
  }
  let apiVersion = '';
  let kind = '';
  let raw: Buffer = Buffer.alloc(0);
  let contentEncoding = '';
  try {
    for (const f of readFields(body.subarray(magic.length))) {
      if (f.num === 1) {
        for (const t of readFields(bytesOf(f, 'typeMeta'))) {
          if (t.num === 1) apiVersion = stringOf(t, 'typeMeta.apiVersion');
          else if (t.num === 2) kind = stringOf(t, 'typeMeta.kind');
        }
      } else if (f.num === 2) raw = bytesOf(f, 'raw');
      else if (f.num === 3) contentEncoding = stringOf(f, 'contentEncoding');
    }
  } catch (err) {
    if (err instanceof ProtoError) throw badRequestError(`the object provided is unrecognized: proto: ${err.message}`);
    throw err;
  }
  // kubectl drain sends its Eviction and DeleteOptions bodies as protobuf too.
  if (contentEncoding === '' && apiVersion === 'policy/v1' && kind === 'Eviction') return decodeEviction(raw);
  if (contentEncoding === '' && kind === 'DeleteOptions') return decodeDeleteOptions(raw, apiVersion);
  if (contentEncoding !== '' || apiVersion !== 'v1' || kind !== 'Namespace') {
    throw unsupportedMediaTypeError(protobufMediaType);
  }
  try {
    return decodeNamespace(raw);
  } catch (err) {
    if (err instanceof ProtoError) {
      throw badRequestError(`${kind} in version "v1" cannot be handled as a ${kind}: proto: ${err.message}`);
    }
    throw err;
  }
}
