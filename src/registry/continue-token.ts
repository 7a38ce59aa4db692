import { badRequestError, goneError } from '../machinery/api-error.ts';

/**
 * The opaque `continue` token of a paged list, in apiserver's shape: base64url of
 * `{"v":"meta.k8s.io/v1","rv":<list revision>,"start":"<key after the list prefix>\u0000"}`.
 *
 *   const token = encodeContinue(1234, 'web-7');        // next page starts after pods/<ns>/web-7
 *   decodeContinue(token)                                // { rv: 1234, startAfter: 'web-7' }
 */
export interface ContinuePoint {
  rv: number;
  /** The last returned key, relative to the list prefix; the next page starts strictly after it. */
  startAfter: string;
}

export function encodeContinue(rv: number, startAfter: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${startAfter}\u0000` })).toString('base64url');
}

export function decodeContinue(token: string): ContinuePoint {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequestError('continue key is not valid: illegal base64 data or JSON');
  }
  const p = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (typeof p !== 'object' || p === null || p.v !== 'meta.k8s.io/v1') {
    throw badRequestError('continue key is not valid: server does not recognize this encoded key');
  }
  if (typeof p.rv !== 'number' || !Number.isInteger(p.rv) || p.rv <= 0) {
    throw badRequestError('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof p.start !== 'string' || p.start.length === 0) {
    throw badRequestError('continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  }
  const start = p.start.endsWith('\u0000') ? p.start.slice(0, -1) : p.start;
  if (start.startsWith('/') || start.split('/').includes('..')) {
    throw badRequestError('continue key is not valid: illegal start key');
  }
  return { rv: p.rv, startAfter: start };
}

export const expiredContinueError = () =>
  goneError(
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
  );
