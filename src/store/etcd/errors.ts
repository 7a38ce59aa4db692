import { ClientClosedError, GRPCCancelledError, GRPCDeadlineExceededError, GRPCUnavailableError } from 'etcd3';
import { StoreError } from '../store-error.ts';

/**
 * etcd and gRPC failures as store sentinels, translated in this one place.
 *
 *   try { ... } catch (err) { throw toStoreError(err, key); }
 *
 * Compaction and future-revision errors come from etcd's mvcc layer (gRPC OUT_OF_RANGE); anything that says
 * etcd cannot answer right now (no connection, no leader, timeouts, a closed client) is 'Unavailable'.
 * Other errors (a request etcd rejects as invalid, say) are returned unchanged: they are bugs, not states.
 */
export function toStoreError(err: unknown, key: string): unknown {
  if (err instanceof StoreError || !(err instanceof Error)) return err;
  const where = key === '' ? '(all keys)' : key;
  if (isCompacted(err)) return new StoreError('Compacted', key, `Compacted: ${where}: ${err.message}`);
  if (err.message.includes(FUTURE)) return new StoreError('FutureRevision', key, `FutureRevision: ${where}: ${err.message}`);
  if (err instanceof ClientClosedError) return new StoreError('Unavailable', key, `Unavailable: ${where}: the etcd client is closed`);
  if (isTransient(err)) return new StoreError('Unavailable', key, `Unavailable: ${where}: etcd: ${err.message}`);
  return err;
}

export const isCompacted = (err: unknown): boolean => err instanceof Error && err.message.includes(COMPACTED);

/**
 * True when etcd could not be asked or could not answer for now (no connection, no leader, a timeout): a read may be
 * retried. A write may not, unless `isUnsent` holds: it may have been applied before the answer was lost.
 */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // CANCELLED: this process never cancels a unary call, so it is the channel going away under it (a reset connection).
  if (err instanceof GRPCUnavailableError || err instanceof GRPCDeadlineExceededError || err instanceof GRPCCancelledError) return true;
  if (isUnsent(err)) return true;
  const code = (err as { code?: unknown }).code;
  if (code === UNAVAILABLE || code === DEADLINE_EXCEEDED || code === CANCELLED) return true;
  return TRANSIENT_MESSAGES.some((m) => err.message.includes(m));
}

/**
 * True when the request certainly never reached etcd (no connection could be made to the member), so even a write
 * is safe to send again. The same rule etcd's own Go client uses for retrying mutations.
 */
export function isUnsent(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return UNSENT_MESSAGES.some((m) => err.message.includes(m));
}

const COMPACTED = 'required revision has been compacted';
const FUTURE = 'required revision is a future revision';
const CANCELLED = 1;
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
const UNSENT_MESSAGES = ['No connection established', 'ECONNREFUSED'];
const TRANSIENT_MESSAGES = [
  // The call's deadline ran out inside etcd (gRPC UNKNOWN carrying Go's context error).
  'context deadline exceeded',
  'context canceled',
  'etcdserver: no leader',
  'etcdserver: leader changed',
  'etcdserver: request timed out',
  'etcdserver: too many requests',
  'etcdserver: server stopped',
  'etcdserver: not capable',
  'raft proposal dropped',
];
