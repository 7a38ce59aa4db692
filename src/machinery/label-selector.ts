/**
 * Label selectors: the `?labelSelector=` grammar and the `{matchLabels, matchExpressions}` object form.
 *
 *   const sel = parseLabelSelector('app=kubia,env in (prod,dev),!canary');
 *   matchesLabels(sel, { app: 'kubia', env: 'prod' });   // true
 *
 * Grammar and error wording follow apimachinery `pkg/labels` (a lexer of identifiers and operator symbols, then a
 * recursive-descent parser). Bad input throws ApiError 400 with upstream's message, e.g.
 * `unable to parse requirement: <nil>: Invalid value: "-x": name part must consist of …`.
 */
import { badRequestError } from './api-error.ts';
import { isQualifiedName, isValidLabelValue } from '../api/name-validation.ts';

/** `=` and `==` are kept apart only so a selector prints back as written. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted and de-duplicated for in/notin; one value for =, ==, !=, gt, lt; empty for exists and !. */
  readonly values: readonly string[];
}

export interface LabelSelector {
  /** ANDed; sorted by key as upstream does. No requirements = select everything. */
  readonly requirements: readonly LabelRequirement[];
  /** Selects nothing at all: what a missing (nil) selector object means to controllers. */
  readonly nothing?: boolean;
}

export const everythingSelector: LabelSelector = Object.freeze({ requirements: Object.freeze([]) });
export const nothingSelector: LabelSelector = Object.freeze({ requirements: Object.freeze([]), nothing: true });

// ---- lexer ------------------------------------------------------------------------------------------------

type Tok =
  | 'end'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | 'id'
  | 'in'
  | '<'
  | '!='
  | 'notin'
  | '(';

interface Item {
  tok: Tok;
  lit: string;
}

const symbolTokens: Record<string, Tok> = { ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', '<': '<', '!=': '!=', '(': '(' };
const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || c === '>' || c === '<';

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos]!)) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    if (isSpecial(s[pos]!)) {
      // Longest run of symbols that is still an operator: "!=" and "==" are one token, "=(" is two.
      let best: Item | undefined;
      let buf = '';
      while (pos < s.length && isSpecial(s[pos]!)) {
        buf += s[pos];
        const tok = symbolTokens[buf];
        if (tok) {
          best = { tok, lit: buf };
          pos++;
        } else break;
      }
      items.push(best!); // every single special character is itself a token, so `best` is set
      continue;
    }
    const start = pos;
    while (pos < s.length && !isSpecial(s[pos]!) && !isWhitespace(s[pos]!)) pos++;
    const word = s.slice(start, pos);
    items.push({ tok: word === 'in' ? 'in' : word === 'notin' ? 'notin' : 'id', lit: word });
  }
}

// ---- parser -----------------------------------------------------------------------------------------------

/** Where `in`/`notin` may be plain words (a key or value called "in"). */
type Context = 'keyAndOperator' | 'values';

class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  lookahead(ctx: Context): Item {
    return this.adjust(this.items[this.pos]!, ctx);
  }

  consume(ctx: Context): Item {
    return this.adjust(this.items[this.pos++]!, ctx);
  }

  private adjust(item: Item, ctx: Context): Item {
    if (ctx === 'values' && (item.tok === 'in' || item.tok === 'notin')) return { tok: 'id', lit: item.lit };
    return item;
  }
}

class ParseError extends Error {}

const binaryOperators = 'in, notin, =, ==, !=, gt, lt';

/** Parses the `labelSelector` query parameter. The empty string selects everything. */
export function parseLabelSelector(selector: string): LabelSelector {
  try {
    const reqs = parseRequirements(selector);
    reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { requirements: reqs };
  } catch (err) {
    if (err instanceof ParseError) throw badRequestError(err.message);
    throw err;
  }
}

function parseRequirements(selector: string): LabelRequirement[] {
  const p = new Parser(lex(selector));
  const reqs: LabelRequirement[] = [];
  for (;;) {
    const { tok, lit } = p.lookahead('values');
    if (tok === 'end') return reqs;
    if (tok !== 'id' && tok !== '!') throw new ParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
    try {
      reqs.push(parseRequirement(p));
    } catch (err) {
      if (err instanceof ParseError) throw new ParseError(`unable to parse requirement: ${err.message}`);
      throw err;
    }
    const next = p.consume('values');
    if (next.tok === 'end') return reqs;
    if (next.tok !== ',') throw new ParseError(`found '${next.lit}', expected: ',' or 'end of string'`);
    const after = p.lookahead('values');
    if (after.tok !== 'id' && after.tok !== '!') throw new ParseError(`found '${after.lit}', expected: identifier after ','`);
  }
}

function parseRequirement(p: Parser): LabelRequirement {
  let negated = false;
  let item = p.consume('values');
  if (item.tok === '!') {
    negated = true;
    item = p.consume('values');
  }
  if (item.tok !== 'id') throw new ParseError(`found '${item.lit}', expected: identifier`);
  const key = item.lit;
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) throw new ParseError(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);

  // `!key` is complete whatever follows; the caller then complains about any leftover token.
  if (negated) return { key, operator: '!', values: [] };
  const ahead = p.lookahead('values').tok;
  if (ahead === 'end' || ahead === ',') return { key, operator: 'exists', values: [] };

  const op = parseOperator(p);
  const values = op === 'in' || op === 'notin' ? parseValueSet(p) : parseExactValue(p);
  return newRequirement(key, op, values);
}

function parseOperator(p: Parser): LabelOperator {
  const { tok, lit } = p.consume('keyAndOperator');
  switch (tok) {
    case 'in':
      return 'in';
    case 'notin':
      return 'notin';
    case '=':
      return '=';
    case '==':
      return '==';
    case '!=':
      return '!=';
    case '>':
      return 'gt';
    case '<':
      return 'lt';
    default:
      throw new ParseError(`found '${lit}', expected: ${binaryOperators}`);
  }
}

/** `(a,b,,c)`: empty members are the empty value, and `()` means the single empty value (as upstream). */
function parseValueSet(p: Parser): string[] {
  const open = p.consume('values');
  if (open.tok !== '(') throw new ParseError(`found '${open.lit}' expected: '('`);
  const first = p.lookahead('values');
  if (first.tok === ')') {
    p.consume('values');
    return [''];
  }
  if (first.tok !== 'id' && first.tok !== ',') throw new ParseError(`found '${first.lit}', expected: ',', ')' or identifier`);
  const values = new Set<string>();
  for (;;) {
    const item = p.consume('values');
    if (item.tok === 'id') {
      values.add(item.lit);
      const next = p.lookahead('values');
      if (next.tok === ',') continue;
      if (next.tok === ')') break;
      throw new ParseError(`found '${next.lit}', expected: ',' or ')'`);
    } else if (item.tok === ',') {
      if (values.size === 0) values.add(''); // "(,"
      const next = p.lookahead('values');
      if (next.tok === ')') {
        values.add(''); // ",)"
        break;
      }
      if (next.tok === ',') {
        p.consume('values');
        values.add(''); // ",,"
      }
    } else {
      throw new ParseError(`found '${item.lit}', expected: ',', or identifier`);
    }
  }
  p.consume('values'); // the ')' seen above
  return [...values].sort();
}

function parseExactValue(p: Parser): string[] {
  const ahead = p.lookahead('values');
  if (ahead.tok === 'end' || ahead.tok === ',') return ['']; // `k=` selects the empty value
  const item = p.consume('values');
  if (item.tok === 'id') return [item.lit];
  throw new ParseError(`found '${item.lit}', expected: identifier`);
}

/** Value checks of upstream's NewRequirement; its errors carry a `values[i][key]` path. */
function newRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errs: string[] = [];
  if (operator === 'gt' || operator === 'lt') {
    values.forEach((v, i) => {
      if (!/^[+-]?\d+$/.test(v) || !fitsInt64(v)) {
        errs.push(`values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      }
    });
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(`values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${msgs.join('; ')}`);
  });
  if (errs.length) throw new ParseError(aggregate(errs));
  return { key, operator, values };
}

const fitsInt64 = (v: string) => {
  const n = BigInt(v);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
};

/** utilerrors.Aggregate: one message bare, several as `[a, b]` (duplicates dropped). */
const aggregate = (msgs: string[]) => {
  const unique = [...new Set(msgs)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
};

// ---- matching ---------------------------------------------------------------------------------------------

export function matchesRequirement(r: LabelRequirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels![r.key]! : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^[+-]?\d+$/.test(value!) || r.values.length !== 1) return false;
      const have = BigInt(value!);
      const want = BigInt(r.values[0]!);
      return r.operator === 'gt' ? have > want : have < want;
    }
  }
}

/** True when every requirement holds. Objects without labels behave as an empty label set. */
export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  if (sel.nothing) return false;
  return sel.requirements.every((r) => matchesRequirement(r, labels));
}

export const isEverything = (sel: LabelSelector) => !sel.nothing && sel.requirements.length === 0;

// ---- the object form (metav1.LabelSelector) ---------------------------------------------------------------

export interface LabelSelectorRequirementObject {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirementObject[];
}

/**
 * metav1.LabelSelectorAsSelector: `null`/`undefined` selects nothing, `{}` selects everything.
 * Operators In, NotIn, Exists, DoesNotExist; anything else is a 400 `"Gt" is not a valid label selector operator`.
 */
export function labelSelectorFromObject(obj: LabelSelectorObject | null | undefined): LabelSelector {
  if (obj === null || obj === undefined) return nothingSelector;
  const reqs: LabelRequirement[] = [];
  try {
    for (const [k, v] of Object.entries(obj.matchLabels ?? {})) reqs.push(checked(k, '=', [v]));
    for (const e of obj.matchExpressions ?? []) {
      const values = e.values ?? [];
      switch (e.operator) {
        case 'In':
          reqs.push(checked(e.key, 'in', values));
          break;
        case 'NotIn':
          reqs.push(checked(e.key, 'notin', values));
          break;
        case 'Exists':
          reqs.push(checked(e.key, 'exists', values));
          break;
        case 'DoesNotExist':
          reqs.push(checked(e.key, '!', values));
          break;
        default:
          throw new ParseError(`${JSON.stringify(e.operator)} is not a valid label selector operator`);
      }
    }
  } catch (err) {
    if (err instanceof ParseError) throw badRequestError(err.message);
    throw err;
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { requirements: reqs };
}

/** The full NewRequirement validation, for requirements that did not come through the parser. */
function checked(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(`key: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
  const shown = `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
  if ((operator === 'in' || operator === 'notin') && values.length === 0) {
    errs.push(`values: Invalid value: ${shown}: for 'in', 'notin' operators, values set can't be empty`);
  }
  if ((operator === 'exists' || operator === '!') && values.length !== 0) {
    errs.push(`values: Invalid value: ${shown}: values set must be empty for exists and does not exist`);
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(`values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${msgs.join('; ')}`);
  });
  if (errs.length) throw new ParseError(aggregate(errs));
  const sorted = operator === 'in' || operator === 'notin' ? [...new Set(values)].sort() : values;
  return { key, operator, values: sorted };
}

// ---- printing ---------------------------------------------------------------------------------------------

/** The canonical string form (`a in (x,y),!b,c=d`), as `kubectl describe` and error messages show selectors. */
export function formatLabelSelector(sel: LabelSelector): string {
  return sel.requirements
    .map((r) => {
      switch (r.operator) {
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.operator} (${[...r.values].sort().join(',')})`;
        case 'gt':
          return `${r.key}>${r.values[0]}`;
        case 'lt':
          return `${r.key}<${r.values[0]}`;
        default:
          return `${r.key}${r.operator}${r.values[0]}`;
      }
    })
    .join(',');
}
