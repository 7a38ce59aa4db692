/**
 * Just the envelope of a Kubernetes protobuf body (`k8s\0` + runtime.Unknown): its apiVersion and kind, for
 * resources that need nothing else from the body (the self-review resources; full decoding is
 * src/machinery/protobuf.ts). Returns undefined for anything that is not such an envelope.
 *
 *   protobufTypeMeta(body)   // { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }
 */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

function varint(buf: Buffer, pos: number): [number, number] | undefined {
  let value = 0;
  let shift = 0;
  while (pos < buf.length && shift < 35) {
    const b = buf[pos++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, pos];
    shift += 7;
  }
  return undefined;
}

/** Length-delimited fields (wire type 2) of a message, by number; other wire types end the scan. */
function lengthFields(buf: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let pos = 0;
  while (pos < buf.length) {
    const tag = varint(buf, pos);
    if (!tag || (tag[0] & 7) !== 2) break;
    const len = varint(buf, tag[1]);
    if (!len || len[1] + len[0] > buf.length) break;
    out.set(Math.floor(tag[0] / 8), buf.subarray(len[1], len[1] + len[0]));
    pos = len[1] + len[0];
  }
  return out;
}

export function protobufTypeMeta(body: Buffer): { apiVersion: string; kind: string } | undefined {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) return undefined;
  const typeMeta = lengthFields(body.subarray(4)).get(1);
  if (!typeMeta) return undefined;
  const f = lengthFields(typeMeta);
  const apiVersion = f.get(1)?.toString('utf8') ?? '';
  const kind = f.get(2)?.toString('utf8') ?? '';
  return apiVersion && kind ? { apiVersion, kind } : undefined;
}
