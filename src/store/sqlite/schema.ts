import type Database from 'better-sqlite3';

/**
 * The log table, as kine lays it out: every write is a new row and its id is the revision.
 *
 *   id              revision of this write (AUTOINCREMENT: never reused, even after compaction)
 *   name            the key
 *   created         1 when this write created the key (its create revision is then its own id)
 *   deleted         1 for a deletion; `value` then holds the last value (a tombstone)
 *   create_revision the key's create revision (0 on created rows: read it from id)
 *   prev_revision   id of the row this write supersedes (0 for a first create)
 *   value           the value
 *
 * UNIQUE(name, prev_revision) makes it impossible for two writes to supersede the same row. Its index is the only
 * one: it also serves every lookup by key, because along one key's chain prev_revision grows with id (each row
 * points at the row before it), and the index carries the id (rowid) of every entry. One index instead of kine's
 * several keeps a write to three b-tree updates (table, index, sqlite_sequence).
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT NOT NULL,
  UNIQUE (name, prev_revision)
);
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
`;

/**
 * Opens the schema on `db`. WAL + synchronous=NORMAL: a commit is durable once written to the WAL, which survives a
 * killed process (not a power cut); fsyncs happen only at checkpoints.
 */
export function applySchema(db: Database.Database): void {
  // One process owns the file: watches are fed in-process, so a second writer would be invisible to them.
  // EXCLUSIVE makes a second process fail (SQLITE_BUSY) instead, and keeps the WAL index in heap memory.
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 10000'); // ~40 MB of WAL between checkpoints (each one fsyncs): +40% writes/s
  db.pragma('cache_size = -65536'); // 64 MiB: a 10k-object list is served from memory
  db.pragma('temp_store = MEMORY'); // list sorts 2 KB rows by key; a temp file would double its cost
  db.exec(SCHEMA);
}

/** Row shape shared by the statements. */
export interface Row {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string;
}
