/** The sentinel errors every Store implementation throws; the API server maps them to HTTP once. */
export type StoreErrorKind = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Compacted' | 'FutureRevision' | 'Unavailable';

export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    readonly key: string,
    message?: string,
  ) {
    super(message ?? `${kind}: ${key}`);
    this.name = 'StoreError';
  }
}

export const isStoreError = (err: unknown, kind?: StoreErrorKind): err is StoreError =>
  err instanceof StoreError && (kind === undefined || err.kind === kind);
