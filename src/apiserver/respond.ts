/**
 * Writing replies on HTTP/1.1 and HTTP/2 alike (never Transfer-Encoding/Connection headers: Node adds what
 * HTTP/1.1 needs, and HTTP/2 forbids them).
 *
 *   sendObject(res, 201, pod, { kind: 'json' }, warnings);
 *   sendError(res, notFoundError('pods', 'web'));        // the Status of an ApiError, or a 500 for anything else
 */
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { stringify } from 'yaml';
import { ApiError, goneError, internalError, isApiError, type Status } from '../machinery/api-error.ts';
import { isStoreError } from '../store/store-error.ts';
import type { Logger } from './log.ts';

export type Res = ServerResponse | Http2ServerResponse;
export type Headers = Record<string, string | string[]>;

/** `299 - "text"` warning header values (quotes and backslashes escaped, as Go's net/http does). */
export function warningHeaders(warnings: readonly string[]): string[] {
  return [...new Set(warnings)].map((w) => `299 - "${w.replace(/[\\"]/g, '\\$&').replace(/[\r\n]+/g, ' ')}"`);
}

function end(res: Res, code: number, contentType: string, body: string, warnings?: readonly string[], extra?: Headers): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const headers: Headers = {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-cache, private',
  };
  if (warnings?.length) headers.warning = warningHeaders(warnings);
  if (extra) Object.assign(headers, extra);
  // HTTP/2: answer on the stream itself. The compat response's writeHead/end cost a trailers round
  // (waitForTrailers) and a header copy per request, which shows up at thousands of requests per second.
  const stream = (res as Http2ServerResponse).stream;
  if (stream && !stream.destroyed && !stream.headersSent) {
    headers[':status'] = String(code);
    stream.respond(headers);
    stream.end(body);
    return;
  }
  (res as ServerResponse).writeHead(code, headers);
  res.end(body);
}

/** JSON (default) or YAML. */
export function sendObject(res: Res, code: number, obj: unknown, format: { kind: string }, warnings?: readonly string[], extra?: Headers): void {
  if (format.kind === 'yaml') end(res, code, 'application/yaml', stringify(obj), warnings, extra);
  else end(res, code, 'application/json', JSON.stringify(obj), warnings, extra);
}

/** A body already serialised to JSON, with an explicit content type (discovery documents). */
export function sendRawJson(res: Res, code: number, json: string, contentType = 'application/json', extra?: Headers): void {
  end(res, code, contentType, json, undefined, extra);
}

export function sendText(res: Res, code: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  end(res, code, contentType, text);
}

/** Maps anything thrown below the HTTP layer to an ApiError (store sentinels, unknown errors → 500). */
export function toApiError(err: unknown): ApiError {
  if (isApiError(err)) return err;
  if (isStoreError(err)) {
    switch (err.kind) {
      case 'Compacted':
        return goneError('The resourceVersion for the provided list is too old.');
      case 'Unavailable':
        return new ApiError(503, 'ServiceUnavailable', err.message);
      default:
        return internalError(err.message);
    }
  }
  return internalError(err instanceof Error ? err.message : String(err));
}

/** Renders `err` as a Status reply. Unknown errors are logged (with the request) and become 500s. */
export function sendError(res: Res, err: unknown, format: { kind: string } = { kind: 'json' }, log?: Logger, context?: Record<string, unknown>): void {
  const apiErr = toApiError(err);
  if (!isApiError(err) && log) log.error('request failed', { ...context, error: err instanceof Error ? err.stack ?? err.message : String(err) });
  const status = statusOf(apiErr);
  sendObject(res, status.code, status, format.kind === 'yaml' ? format : { kind: 'json' });
}

/** The Status object of an ApiError-like value. */
export const statusOf = (e: ApiError): Status => e.toStatus();
