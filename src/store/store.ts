/**
 * The Store: a revisioned key-value log, the one place cluster state lives.
 *
 * Every write gets a new, strictly increasing revision (shared by all keys, like etcd).
 * An object's resourceVersion is the revision of the write that produced it (its modRevision).
 * Values are opaque strings (the API server stores JSON); the store never parses them.
 *
 *   const kv = await store.create('/registry/pods/default/web', json);
 *   await store.update(kv.key, json2, kv.modRevision);     // throws StoreError 'Conflict' if someone wrote first
 *   const w = store.watch('/registry/pods/', kv.modRevision, (e) => ..., (err) => ...);
 */
export interface KeyValue {
  key: string;
  value: string;
  /** Revision at which this key was (last) created. */
  createRevision: number;
  /** Revision of the write that produced this value (for a delete event: the deletion's revision). */
  modRevision: number;
}

export interface ListOptions {
  /** Read the state as of this revision (0 or undefined: the newest). Older than the compacted revision → 'Compacted'. */
  revision?: number;
  /** At most this many items (0 or undefined: no limit). */
  limit?: number;
  /** Start after this key (exclusive); used to continue a paged list. */
  startAfter?: string;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at (the store's newest revision when none was asked for). */
  revision: number;
  /** True when `limit` cut the list short: continue from the last item's key at the same revision. */
  more: boolean;
  /** When `more`: how many keys under the prefix remain after the returned items. */
  remaining?: number;
}

export type WatchEventType = 'create' | 'update' | 'delete';

export interface WatchEvent {
  type: WatchEventType;
  /** For 'delete': the last value before deletion, with modRevision = the deletion's revision. */
  kv: KeyValue;
  /** The value before this write (update and delete), when known. */
  prev?: KeyValue;
}

export interface Watch {
  /** Stop delivering events. Idempotent. */
  cancel(): void;
}

export interface Store {
  /** The newest committed revision. */
  currentRevision(): Promise<number>;
  /** The oldest revision still readable: lists at and watches from an older revision fail with 'Compacted'. */
  compactedRevision(): Promise<number>;
  get(key: string): Promise<KeyValue | undefined>;
  /** Keys under `prefix` (a plain string prefix), in key order. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** Number of live keys under `prefix`. */
  count(prefix: string): Promise<number>;
  /** Creates `key`; throws StoreError 'AlreadyExists' if it is live. */
  create(key: string, value: string): Promise<KeyValue>;
  /**
   * Replaces the value of `key` if its modRevision is still `expectedRevision`.
   * Throws 'NotFound' when the key is gone, 'Conflict' when someone else wrote it since.
   */
  update(key: string, value: string, expectedRevision: number): Promise<KeyValue>;
  /**
   * Deletes `key` (only if its modRevision is `expectedRevision`, when given).
   * Returns the deleted value with modRevision = the deletion's revision.
   */
  delete(key: string, expectedRevision?: number): Promise<KeyValue>;
  /**
   * Delivers, in revision order and without gaps, every change under `prefix` with revision > `afterRevision`,
   * then every later change as soon as it is committed. If `afterRevision` is older than the compacted revision,
   * `onError` receives StoreError 'Compacted' and nothing else is delivered.
   */
  watch(prefix: string, afterRevision: number, onEvent: (event: WatchEvent) => void, onError: (err: Error) => void): Watch;
  /** Forgets history at and below `revision` (live values stay). */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}
