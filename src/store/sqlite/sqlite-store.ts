import Database from 'better-sqlite3';
import type { KeyValue, ListOptions, ListResult, Store, Watch, WatchEvent } from '../store.ts';
import { StoreError } from '../store-error.ts';
import { WatchHub } from '../watch-hub.ts';
import { prefixRange } from './prefix-range.ts';
import { GroupCommit } from './group-commit.ts';
import { applySchema, type Row } from './schema.ts';
import { prepareStatements, type HistoryRow, type Statements } from './statements.ts';

/**
 * Opens (creating if needed) a SQLite-backed Store at `file` (':memory:' for a throwaway one).
 * One process owns a file: watches are fed in-process, straight from each committed write.
 *
 *   const store = openSqliteStore('/var/lib/k8ts/state.db');
 */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): SqliteStore {
  return new SqliteStore(file, options);
}

export interface SqliteStoreOptions {
  /** How long to wait for another process to let go of the file before failing with 'Unavailable'. Default 5 s. */
  busyTimeoutMs?: number;
}

const COMPACTED = 'compacted_revision';
/** Revisions deleted per compaction transaction, so a large compaction does not stall the event loop. */
const COMPACT_BATCH = 5_000;

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #stmts: Statements;
  readonly #hub = new WatchHub();
  readonly #commits: GroupCommit<Written>;
  /** The newest committed revision: every read is bounded by it, so an open batch stays invisible. */
  #revision: number;
  #compacted: number;
  #closed = false;

  constructor(file: string, options: SqliteStoreOptions = {}) {
    this.#db = new Database(file, { timeout: options.busyTimeoutMs ?? 5_000 });
    try {
      applySchema(this.#db);
    } catch (err) {
      this.#db.close();
      if (err instanceof Database.SqliteError && err.code.startsWith('SQLITE_BUSY')) {
        throw new StoreError('Unavailable', file, `Unavailable: ${file} is open in another process`);
      }
      throw err;
    }
    this.#stmts = prepareStatements(this.#db);
    this.#revision = this.#stmts.sequence.get()?.seq ?? 0;
    this.#compacted = this.#stmts.getMeta.get(COMPACTED)?.value ?? 0;
    this.#commits = new GroupCommit<Written>(this.#db, (batch) => {
      this.#revision = batch[batch.length - 1]?.kv.modRevision ?? this.#revision;
      for (const { event } of batch) this.#hub.publish(event);
    });
  }

  async currentRevision(): Promise<number> {
    return this.#revision;
  }

  async compactedRevision(): Promise<number> {
    return this.#compacted;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.#assertOpen(key);
    const row = this.#stmts.latestAt.get(key, this.#revision);
    if (!row || row.deleted) return undefined;
    const { deleted: _, ...kv } = row;
    return kv;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.#assertOpen(prefix);
    const rev = this.#readRevision(prefix, options.revision);
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const { lo, hi } = prefixRange(prefix);
    const range = { lo, hi, after: options.startAfter ?? '', rev };
    // Read one extra row to learn whether the limit cut the list short.
    const items = this.#stmts.list.all({ ...range, limit: limit ? limit + 1 : -1 });
    const more = limit > 0 && items.length > limit;
    if (more) items.length = limit;
    if (!more) return { items, revision: rev, more };
    const remaining = this.#stmts.count.get({ ...range, after: items[items.length - 1]!.key })!.n;
    return { items, revision: rev, more, remaining };
  }

  async count(prefix: string): Promise<number> {
    this.#assertOpen(prefix);
    const { lo, hi } = prefixRange(prefix);
    return this.#stmts.count.get({ lo, hi, after: '', rev: this.#revision })!.n;
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.#assertOpen(key);
    if (key === '') throw new StoreError('NotFound', key, 'the empty key cannot be stored');
    return this.#write(key, (latest) => {
      if (latest && !latest.deleted) throw new StoreError('AlreadyExists', key);
      return { created: 1, deleted: 0, createRevision: 0, value };
    }, (id) => {
      const kv: KeyValue = { key, value, createRevision: id, modRevision: id };
      return { kv, event: { type: 'create', kv } };
    });
  }

  async update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    this.#assertOpen(key);
    return this.#write(key, (latest) => {
      if (!latest || latest.deleted) throw new StoreError('NotFound', key);
      if (latest.id !== expectedRevision) throw conflictError(key, latest.id, expectedRevision);
      return { created: 0, deleted: 0, createRevision: createRevisionOf(latest), value };
    }, (id, prev) => {
      const kv: KeyValue = { key, value, createRevision: prev!.createRevision, modRevision: id };
      return { kv, event: { type: 'update', kv, prev } };
    });
  }

  async delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    this.#assertOpen(key);
    return this.#write(key, (latest) => {
      if (!latest || latest.deleted) throw new StoreError('NotFound', key);
      if (expectedRevision !== undefined && latest.id !== expectedRevision) throw conflictError(key, latest.id, expectedRevision);
      // The tombstone keeps the last value, so a delete event can carry it.
      return { created: 0, deleted: 1, createRevision: createRevisionOf(latest), value: latest.value };
    }, (id, prev) => {
      const kv: KeyValue = { ...prev!, modRevision: id };
      return { kv, event: { type: 'delete', kv, prev } };
    });
  }

  watch(prefix: string, afterRevision: number, onEvent: (event: WatchEvent) => void, onError: (err: Error) => void): Watch {
    if (this.#closed) return this.#hub.failed(new StoreError('Unavailable', prefix, 'store is closed'), onError);
    if (afterRevision < this.#compacted) {
      return this.#hub.failed(compactedError(prefix, afterRevision, this.#compacted), onError);
    }
    // History is read and the watcher registered in the same synchronous step, so no write can fall between.
    const { lo, hi } = prefixRange(prefix);
    const backlog = afterRevision < this.#revision ? this.#stmts.history.all({ lo, hi, after: afterRevision, upto: this.#revision }).map(toEvent) : [];
    return this.#hub.subscribe(prefix, afterRevision, backlog, onEvent, onError);
  }

  async compact(revision: number): Promise<void> {
    this.#assertOpen('');
    if (revision > this.#revision) throw futureError('', revision, this.#revision);
    this.#commits.flush(); // compaction runs in its own transactions
    if (revision <= this.#compacted) return;
    const from = this.#compacted;
    // Publish the new floor first: from here on, reads below it fail instead of seeing half-compacted history.
    this.#stmts.setMeta.run(COMPACTED, revision);
    this.#compacted = revision;
    for (let lo = from; lo < revision; lo += COMPACT_BATCH) {
      const hi = Math.min(lo + COMPACT_BATCH, revision);
      this.#commits.flush();
      this.#stmts.compact.run({ lo, hi, rev: revision });
      if (hi < revision) await new Promise((resolve) => setImmediate(resolve));
      if (this.#closed) return;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#commits.flush();
    this.#closed = true;
    this.#hub.closeAll(new StoreError('Unavailable', '', 'store is closed'));
    this.#db.close();
  }

  /**
   * One write, as kine does it: read the key's newest row (including rows of the open batch), let `decide` check
   * the precondition, and insert the superseding row, all in one synchronous step inside the group-commit
   * transaction. UNIQUE(name, prev_revision) backs the check: no two rows can ever supersede the same row.
   * The returned promise settles once the batch is committed; watchers get `event` at that moment.
   */
  async #write(
    key: string,
    decide: (latest: Row | undefined) => { created: number; deleted: number; createRevision: number; value: string },
    written: (id: number, prev: KeyValue | undefined) => Written,
  ): Promise<KeyValue> {
    try {
      const committed = this.#commits.run(() => {
        const latest = this.#stmts.latest.get(key);
        const row = decide(latest);
        const info = this.#stmts.insert.run(key, row.created, row.deleted, row.createRevision, latest?.id ?? 0, row.value);
        return written(Number(info.lastInsertRowid), latest && !latest.deleted ? toKeyValue(latest) : undefined);
      });
      return (await committed).kv;
    } catch (err) {
      throw translate(err, key);
    }
  }

  /** The revision a read runs at: `requested` (checked against the compacted and current revisions) or the newest. */
  #readRevision(key: string, requested: number | undefined): number {
    if (!requested) return this.#revision;
    if (requested < this.#compacted) throw compactedError(key, requested, this.#compacted);
    if (requested > this.#revision) throw futureError(key, requested, this.#revision);
    return requested;
  }

  #assertOpen(key: string): void {
    if (this.#closed) throw new StoreError('Unavailable', key, 'store is closed');
  }
}

/** What a write hands the group commit: the caller's result and the watch event to publish on commit. */
interface Written {
  kv: KeyValue;
  event: WatchEvent;
}

const createRevisionOf = (row: Row): number => (row.created ? row.id : row.create_revision);

function toKeyValue(row: Row): KeyValue {
  return { key: row.name, value: row.value, createRevision: createRevisionOf(row), modRevision: row.id };
}

function toEvent(row: HistoryRow): WatchEvent {
  const kv = toKeyValue(row);
  if (row.created) return { type: 'create', kv };
  const event: WatchEvent = { type: row.deleted ? 'delete' : 'update', kv };
  if (row.p_id !== null) {
    event.prev = {
      key: row.name,
      value: row.p_value!,
      createRevision: row.p_created ? row.p_id : row.p_create_revision!,
      modRevision: row.p_id,
    };
  }
  return event;
}

function conflictError(key: string, current: number, expected: number): StoreError {
  return new StoreError('Conflict', key, `Conflict: ${key} is at revision ${current}, not ${expected}`);
}

function compactedError(key: string, requested: number, compacted: number): StoreError {
  return new StoreError('Compacted', key, `Compacted: revision ${requested} of ${key || '(all keys)'} is older than the compacted revision ${compacted}`);
}

function futureError(key: string, requested: number, current: number): StoreError {
  return new StoreError('FutureRevision', key, `FutureRevision: revision ${requested} of ${key || '(all keys)'} is newer than the current revision ${current}`);
}

/** SQLite failures as store sentinels: a lost UNIQUE race is a Conflict, a busy/locked database is Unavailable. */
function translate(err: unknown, key: string): unknown {
  if (err instanceof StoreError || !(err instanceof Database.SqliteError)) return err;
  if (err.code.startsWith('SQLITE_CONSTRAINT')) return new StoreError('Conflict', key, `Conflict: ${key} was written concurrently`);
  if (err.code.startsWith('SQLITE_BUSY') || err.code.startsWith('SQLITE_LOCKED')) {
    return new StoreError('Unavailable', key, `Unavailable: ${key}: ${err.message}`);
  }
  return err;
}
