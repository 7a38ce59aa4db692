/**
 * The key range of a prefix as SQL bounds: `name >= lo AND name < hi`.
 * LIKE 'p%' would skip the (name, id) index, so prefix scans always use a range.
 *
 *   prefixRange('/registry/pods/')  // { lo: '/registry/pods/', hi: '/registry/pods0' }
 *
 * `hi` is the prefix with its last code point incremented (UTF-8 byte order equals code point order,
 * and SQLite compares TEXT bytewise). When no such string exists (empty prefix, or only U+10FFFF),
 * `hi` is an empty BLOB: SQLite orders every BLOB after every TEXT, so it bounds nothing.
 */
export interface PrefixRange {
  lo: string;
  hi: string | Buffer;
}

const MAX_CODE_POINT = 0x10ffff;
const NO_UPPER_BOUND = Buffer.alloc(0);

export function prefixRange(prefix: string): PrefixRange {
  const points = Array.from(prefix, (c) => c.codePointAt(0)!);
  while (points.length > 0) {
    let last = points.pop()! + 1;
    if (last >= 0xd800 && last <= 0xdfff) last = 0xe000; // surrogates are not characters
    if (last <= MAX_CODE_POINT) return { lo: prefix, hi: String.fromCodePoint(...points, last) };
  }
  return { lo: prefix, hi: NO_UPPER_BOUND };
}
