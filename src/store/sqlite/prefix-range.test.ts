import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { prefixRange } from './prefix-range.ts';

describe('prefixRange', () => {
  it('increments the last code point', () => {
    assert.deepEqual(prefixRange('/registry/pods/'), { lo: '/registry/pods/', hi: '/registry/pods0' });
    assert.deepEqual(prefixRange('a\u{10FFFF}'), { lo: 'a\u{10FFFF}', hi: 'b' });
    assert.deepEqual(prefixRange('a\uD7FF'), { lo: 'a\uD7FF', hi: 'a\uE000' });
    assert.deepEqual(prefixRange('a😀'), { lo: 'a😀', hi: 'a😁' });
  });

  it('has no upper bound for the empty prefix', () => {
    const { hi } = prefixRange('');
    assert.ok(Buffer.isBuffer(hi), 'an empty BLOB');
  });

  it('selects exactly the keys that start with the prefix, in SQLite', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (name TEXT NOT NULL); CREATE INDEX t_name ON t (name)');
    const names = ['/a', '/a/', '/a/b', '/a/b/c', '/a/bc', '/a/b0', '/a/b\u{10FFFF}', '/a/b😀', '/b', 'a', '~', '\u{10FFFF}'];
    const insert = db.prepare('INSERT INTO t (name) VALUES (?)');
    for (const n of names) insert.run(n);
    const select = db.prepare<[string, string | Buffer], { name: string }>('SELECT name FROM t WHERE name >= ? AND name < ?');
    for (const prefix of ['', '/', '/a/b', '/a/b/', '/a/b\u{10FFFF}', '\u{10FFFF}', '/z']) {
      const { lo, hi } = prefixRange(prefix);
      const got = select.all(lo, hi).map((r) => r.name).sort();
      assert.deepEqual(got, names.filter((n) => n.startsWith(prefix)).sort(), `prefix ${JSON.stringify(prefix)}`);
    }
    db.close();
  });
});
