/**
 * Protobuf decoding of the two bodies `kubectl drain` sends (kubectl's clientset speaks
 * application/vnd.kubernetes.protobuf for built-in kinds): meta/v1 DeleteOptions (DELETE pods/<name>) and
 * policy/v1 Eviction (POST pods/<name>/eviction). Input is the `raw` bytes of the `k8s\0` runtime.Unknown envelope.
 *
 *   if (kind === 'Eviction' && apiVersion === 'policy/v1') return decodeEviction(raw);
 *   if (kind === 'DeleteOptions') return decodeDeleteOptions(raw, apiVersion);
 *
 * Field numbers (generated.proto): DeleteOptions {1 gracePeriodSeconds int64, 2 preconditions {1 uid, 2 resourceVersion},
 * 3 orphanDependents bool, 4 propagationPolicy string, 5 dryRun repeated string}; Eviction {1 metadata, 2 deleteOptions}.
 */
import type { KubeObject } from '../api/object.ts';
import { decodeObjectMeta } from './protobuf.ts';

interface Field {
  num: number;
  wire: number;
  int?: bigint;
  bytes?: Buffer;
}

function varint(buf: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= buf.length) throw new Error('unexpected EOF');
    const b = buf[pos++]!;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7n;
    if (shift > 63n) throw new Error('varint overflow');
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, p] = varint(buf, pos);
    pos = p;
    const num = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) {
      const [v, q] = varint(buf, pos);
      pos = q;
      out.push({ num, wire, int: v });
    } else if (wire === 2) {
      const [len, q] = varint(buf, pos);
      const end = q + Number(len);
      if (end > buf.length) throw new Error('unexpected EOF');
      out.push({ num, wire, bytes: buf.subarray(q, end) });
      pos = end;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`illegal wireType ${wire}`);
  }
  return out;
}

const str = (f: Field) => (f.bytes ?? Buffer.alloc(0)).toString('utf8');
const signed64 = (v: bigint) => Number(BigInt.asIntN(64, v));

/** meta/v1 DeleteOptions → its JSON form (apiVersion/kind as sent). */
export function decodeDeleteOptions(raw: Buffer, apiVersion = 'v1'): KubeObject {
  const o: Record<string, unknown> = { apiVersion, kind: 'DeleteOptions' };
  const dryRun: string[] = [];
  for (const f of fields(raw)) {
    switch (f.num) {
      case 1:
        if (f.int !== undefined) o.gracePeriodSeconds = signed64(f.int);
        break;
      case 2: {
        const pre: Record<string, string> = {};
        for (const p of fields(f.bytes ?? Buffer.alloc(0))) {
          if (p.num === 1) pre.uid = str(p);
          else if (p.num === 2) pre.resourceVersion = str(p);
        }
        o.preconditions = pre;
        break;
      }
      case 3:
        if (f.int !== undefined) o.orphanDependents = f.int !== 0n;
        break;
      case 4:
        o.propagationPolicy = str(f);
        break;
      case 5:
        dryRun.push(str(f));
        break;
    }
  }
  if (dryRun.length) o.dryRun = dryRun;
  return o as unknown as KubeObject;
}

/** policy/v1 Eviction → its JSON form. */
export function decodeEviction(raw: Buffer): KubeObject {
  const out: KubeObject = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: {} };
  for (const f of fields(raw)) {
    if (f.num === 1) out.metadata = decodeObjectMeta(f.bytes ?? Buffer.alloc(0));
    else if (f.num === 2) {
      const d = decodeDeleteOptions(f.bytes ?? Buffer.alloc(0)) as unknown as Record<string, unknown>;
      delete d.apiVersion;
      delete d.kind;
      out.deleteOptions = d;
    }
  }
  return out;
}
