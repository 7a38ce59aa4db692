/**
 * Request bodies: read with a size limit, then decode by Content-Type into plain JSON values.
 *
 *   const buf = await readBody(req);                       // 413 RequestEntityTooLarge past 3 MiB
 *   const obj = await decodeBody(buf, req.headers['content-type']);   // JSON, YAML or Kubernetes protobuf
 *   const p = decodePatch(buf, 'application/merge-patch+json');       // { type: 'merge', patch }
 */
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { parseAllDocuments } from 'yaml';
import { ApiError, badRequestError, requestEntityTooLargeError, unsupportedMediaTypeError } from '../machinery/api-error.ts';
import type { PatchType } from '../registry/rest.ts';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export type Req = IncomingMessage | Http2ServerRequest;

/** Thrown (as an ApiError) when the body is over the limit; the server then closes the stream/connection. */
export class BodyTooLargeError extends ApiError {
  constructor(limit: number) {
    const e = requestEntityTooLargeError(limit);
    super(e.code, e.reason, e.message, e.details);
  }
}

/** Reads the whole body. Stops reading (and rejects with 413) as soon as it passes `limit` bytes. */
export function readBody(req: Req, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (err) reject(err);
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (err: Error) => finish(err);
    const onAborted = () => finish(new Error('request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** `type/subtype` of a Content-Type header, lower-cased, parameters dropped. */
export const mediaType = (contentType: string | undefined) => (contentType ?? '').split(';', 1)[0].trim().toLowerCase();

/** Kubernetes' own wording for an undecodable JSON body. */
export const jsonParseError = (err: unknown) =>
  badRequestError(`couldn't get version/kind; json parse error: ${(err as Error).message}`);

function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw jsonParseError(err);
  }
}

/** YAML → JSON value; a parse error or more than one document → 400. */
export function parseYaml(text: string): unknown {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return null; // an empty stream
  const real = docs.filter((d) => d.contents !== null || d.errors.length > 0);
  if (real.length > 1) throw badRequestError('yaml: the request body must contain exactly one document; found a multi-document YAML stream');
  const doc = real[0] ?? docs[0];
  if (!doc) return null;
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    throw badRequestError(`error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${e.message.split('\n')[0]}`);
  }
  return doc.toJS({ maxAliasCount: 100 });
}

let protobufDecoder: ((buf: Buffer) => unknown) | undefined;
/** src/machinery/protobuf.ts, loaded on first use (it is optional for everything but protobuf bodies). */
async function loadProtobufDecoder(): Promise<(buf: Buffer) => unknown> {
  if (!protobufDecoder) {
    const path = '../machinery/protobuf.ts';
    try {
      const mod = (await import(path)) as { decodeProtobufObject: (buf: Buffer) => unknown };
      protobufDecoder = mod.decodeProtobufObject;
    } catch {
      throw unsupportedMediaTypeError('application/vnd.kubernetes.protobuf');
    }
  }
  return protobufDecoder;
}

const startsLikeJson = (buf: Buffer) => {
  for (const b of buf) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x7b || b === 0x5b; // { [
  }
  return false;
};

/** Decodes an object body (create, update, subresource POST, DeleteOptions). An empty body → undefined. */
export async function decodeBody(buf: Buffer, contentType: string | undefined): Promise<unknown> {
  if (buf.length === 0) return undefined;
  const type = mediaType(contentType);
  switch (type) {
    case 'application/json':
    case '':
      return parseJson(buf);
    case 'application/yaml':
    case 'text/yaml':
    case 'application/x-yaml':
      return startsLikeJson(buf) ? parseJsonOrYaml(buf) : parseYaml(buf.toString('utf8'));
    case 'application/vnd.kubernetes.protobuf': {
      const decode = await loadProtobufDecoder();
      try {
        return decode(buf);
      } catch (err) {
        if (err instanceof ApiError) throw err;
        throw badRequestError(`failed to decode protobuf body: ${(err as Error).message}`);
      }
    }
    default:
      throw unsupportedMediaTypeError(contentType ?? '');
  }
}

function parseJsonOrYaml(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    return parseYaml(buf.toString('utf8'));
  }
}

const patchTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** Decodes a PATCH body; the Content-Type names the patch type. */
export function decodePatch(buf: Buffer, contentType: string | undefined): { type: PatchType; patch: unknown } {
  const type = patchTypes[mediaType(contentType)];
  if (!type) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      { causes: [{ message: contentType ?? '' }] },
    );
  }
  if (buf.length === 0) throw badRequestError('the body of the patch request must not be empty');
  if (type === 'apply') {
    const patch = startsLikeJson(buf) ? parseJsonOrYaml(buf) : parseYaml(buf.toString('utf8'));
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw badRequestError('apply patch must be an object');
    return { type, patch };
  }
  let patch: unknown;
  try {
    patch = JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw badRequestError(`error decoding patch: ${(err as Error).message}`);
  }
  if (type === 'json' && !Array.isArray(patch)) throw badRequestError('json patch must be a JSON array of operations');
  if (type !== 'json' && (patch === null || typeof patch !== 'object' || Array.isArray(patch))) {
    throw badRequestError(`${type === 'merge' ? 'merge' : 'strategic merge'} patch must be a JSON object`);
  }
  return { type, patch };
}
