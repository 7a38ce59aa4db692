import type Database from 'better-sqlite3';
import type { KeyValue } from '../store.ts';
import type { Row } from './schema.ts';

const COLUMNS = 'id, name, created, deleted, create_revision, prev_revision, value';
/** Reads that hand rows straight to callers select them in KeyValue's shape: no second object per row. */
const KEY_VALUE = (t: string) =>
  `${t}.name AS key, ${t}.value AS value, CASE WHEN ${t}.created = 1 THEN ${t}.id ELSE ${t}.create_revision END AS createRevision, ${t}.id AS modRevision`;

// The newest row of each key under a range, as of a revision: the heart of list and count.
// `name > @after` continues a paged list (@after = '' when not paging; keys are never empty).
const LATEST_IDS = `
  SELECT MAX(id) AS id FROM kv
  WHERE name >= @lo AND name < @hi AND name > @after AND id <= @rev
  GROUP BY name`;

/** A history row joined with the row it superseded (for a watch event's `prev`). */
export interface HistoryRow extends Row {
  p_id: number | null;
  p_created: number | null;
  p_create_revision: number | null;
  p_value: string | null;
}

export interface RangeParams {
  lo: string;
  hi: string | Buffer;
  after: string;
  rev: number;
}

/** Every statement the store runs, prepared once. */
export function prepareStatements(db: Database.Database) {
  return {
    // prev_revision orders a key's rows like id does, and lets the search use the UNIQUE index alone.
    latest: db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM kv WHERE name = ? ORDER BY prev_revision DESC LIMIT 1`),
    /** The newest committed row (rows of an open group-commit batch have ids above the committed revision). */
    latestAt: db.prepare<[string, number], KeyValue & { deleted: number }>(
      `SELECT ${KEY_VALUE('kv')}, deleted FROM kv WHERE name = ? AND id <= ? ORDER BY prev_revision DESC LIMIT 1`,
    ),
    insert: db.prepare<[string, number, number, number, number, string]>(
      'INSERT INTO kv (name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    list: db.prepare<[RangeParams & { limit: number }], KeyValue>(
      `SELECT ${KEY_VALUE('kv')}
       FROM (${LATEST_IDS}) AS m JOIN kv ON kv.id = m.id
       WHERE kv.deleted = 0 ORDER BY kv.name LIMIT @limit`,
    ),
    count: db.prepare<[RangeParams], { n: number }>(
      `SELECT COUNT(*) AS n FROM (${LATEST_IDS}) AS m JOIN kv ON kv.id = m.id WHERE kv.deleted = 0`,
    ),
    // Walks the id range (unary + keeps the planner off the name index): a watch usually starts near the newest revision.
    history: db.prepare<[{ lo: string; hi: string | Buffer; after: number; upto: number }], HistoryRow>(
      `SELECT kv.id, kv.name, kv.created, kv.deleted, kv.create_revision, kv.prev_revision, kv.value,
              p.id AS p_id, p.created AS p_created, p.create_revision AS p_create_revision, p.value AS p_value
       FROM kv LEFT JOIN kv AS p ON p.id = kv.prev_revision AND kv.created = 0
       WHERE kv.id > @after AND kv.id <= @upto AND +kv.name >= @lo AND +kv.name < @hi
       ORDER BY kv.id`,
    ),
    // At or below @rev: drop tombstones and every row superseded by a newer row that is also at or below @rev.
    // Rows above @rev are never touched, so lists at >= @rev and watches from >= @rev stay exact.
    compact: db.prepare<[{ lo: number; hi: number; rev: number }]>(
      `DELETE FROM kv WHERE id > @lo AND id <= @hi AND (deleted = 1 OR EXISTS (
         SELECT 1 FROM kv AS n WHERE n.name = kv.name AND n.id > kv.id AND n.id <= @rev))`,
    ),
    sequence: db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'kv'"),
    getMeta: db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare<[string, number]>(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
