/**
 * One step of a field path, as structured-merge-diff (SMD) names it, and its two spellings:
 * the FieldsV1 key (`f:image`, `k:{"name":"web"}`, `v:"x"`, `i:0`) and the human form used in
 * conflict messages (`.image`, `[name="web"]`, `[="x"]`, `[0]`).
 *
 * @example
 *   serializeElement({ kind: 'key', fields: [['name', 'web']] }) // 'k:{"name":"web"}'
 *   pathToString([field('spec'), field('containers'), key({ name: 'web' }), field('image')])
 *   // '.spec.containers[name="web"].image'
 */

export type PathElement =
  | { kind: 'field'; name: string }
  /** A list-map item, by its key fields sorted by name (as SMD sorts them). */
  | { kind: 'key'; fields: Array<[string, unknown]> }
  /** A set item, by its value. */
  | { kind: 'value'; value: unknown }
  | { kind: 'index'; index: number };

export type Path = readonly PathElement[];

export const field = (name: string): PathElement => ({ kind: 'field', name });
export const key = (fields: Record<string, unknown>): PathElement => ({
  kind: 'key',
  fields: Object.entries(fields).sort(([a], [b]) => compareStrings(a, b)),
});
export const setValue = (value: unknown): PathElement => ({ kind: 'value', value });
export const index = (i: number): PathElement => ({ kind: 'index', index: i });

/** JSON as Go's encoder writes it: map keys sorted, `<`, `>`, `&`, U+2028/9 escaped. */
export function goJson(v: unknown): string {
  return JSON.stringify(sortKeys(v)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort(compareStrings)) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

const ASTRAL_OR_HIGH = /[\uD800-\uFFFF]/;

/** Byte-wise string order (Go's strings.Compare), not locale order. */
export function compareStrings(a: string, b: string): number {
  // UTF-16 order equals UTF-8 byte order unless surrogates meet U+E000..U+FFFF.
  if (!ASTRAL_OR_HIGH.test(a) && !ASTRAL_OR_HIGH.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The FieldsV1 key of an element. The key-field order is kept as given (already sorted). */
export function serializeElement(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return `f:${pe.name}`;
    case 'key':
      return `k:{${pe.fields.map(([n, v]) => `${goJson(n)}:${goJson(v)}`).join(',')}}`;
    case 'value':
      return `v:${goJson(pe.value)}`;
    case 'index':
      return `i:${pe.index}`;
  }
}

/** Parses a FieldsV1 key; undefined for a prefix SMD does not know (it drops those too). */
export function parseElement(s: string): PathElement | undefined {
  if (s.length < 2 || s[1] !== ':') throw new Error(`invalid path element ${JSON.stringify(s)}: missing colon`);
  const body = s.slice(2);
  switch (s[0]) {
    case 'f':
      return field(body);
    case 'k': {
      const obj = JSON.parse(body) as unknown;
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new Error(`invalid key path element ${s}`);
      return key(obj as Record<string, unknown>);
    }
    case 'v':
      return setValue(JSON.parse(body));
    case 'i': {
      const n = Number(body);
      if (!Number.isInteger(n)) throw new Error(`invalid index path element ${s}`);
      return index(n);
    }
    default:
      return undefined;
  }
}

/** SMD's value.ToString: strings quoted, other scalars bare. */
function valueToString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueToString).join(',')}]`;
  if (typeof v === 'object') {
    const parts = Object.keys(v)
      .sort(compareStrings)
      .map((k) => `${k}=${valueToString((v as Record<string, unknown>)[k])}`);
    return `{${parts.join(',')}}`;
  }
  return String(v);
}

export function elementToString(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return `.${pe.name}`;
    case 'key':
      return `[${pe.fields.map(([n, v]) => `${n}=${valueToString(v)}`).join(',')}]`;
    case 'value':
      return `[=${valueToString(pe.value)}]`;
    case 'index':
      return `[${pe.index}]`;
  }
}

/** The path as Kubernetes prints it in conflicts and `details.causes[].field`. */
export const pathToString = (path: Path): string => path.map(elementToString).join('');

const RANK = { field: 0, key: 1, value: 2, index: 3 } as const;

/** SMD's order of elements: fields, then keys, then values, then indices; within a kind by content. */
export function compareElements(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return RANK[a.kind] - RANK[b.kind];
  switch (a.kind) {
    case 'field':
      return compareStrings(a.name, (b as typeof a).name);
    case 'key': {
      const bf = (b as typeof a).fields;
      for (let i = 0; ; i++) {
        if (i >= a.fields.length && i >= bf.length) return 0;
        if (i >= a.fields.length) return -1;
        if (i >= bf.length) return 1;
        const c = compareStrings(a.fields[i][0], bf[i][0]) || compareValues(a.fields[i][1], bf[i][1]);
        if (c) return c;
      }
    }
    case 'value':
      return compareValues(a.value, (b as typeof a).value);
    case 'index':
      return a.index - (b as typeof a).index;
  }
}

/** SMD's total order of values: numbers, strings, booleans, lists, maps, null. */
export function compareValues(a: unknown, b: unknown): number {
  const rank = (v: unknown) =>
    typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : Array.isArray(v) ? 3 : v && typeof v === 'object' ? 4 : 5;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return Math.sign((a as number) - (b as number));
    case 1:
      return compareStrings(a as string, b as string);
    case 2:
      return Number(a) - Number(b);
    case 3: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c) return c;
      }
      return la.length - lb.length;
    }
    case 4:
      return compareStrings(goJson(a), goJson(b));
    default:
      return 0;
  }
}
