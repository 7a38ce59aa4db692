/**
 * Field selectors: the `?fieldSelector=` grammar (`f=v`, `f==v`, `f!=v`, comma = AND).
 *
 *   const sel = parseFieldSelector('status.phase!=Succeeded,spec.nodeName=');
 *   checkFieldSelector(sel, supportedFieldLabels('pods'), 'pods');   // 400 for labels the kind does not index
 *   matchesFields(sel, selectableFields('pods', pod));
 *
 * Follows apimachinery `pkg/fields`: terms split on unescaped commas, the first `!=`, `==` or `=` splits a term,
 * and values may escape `\`, `,` and `=` with a backslash. Values may be empty; a missing field reads as "".
 */
import { hasOwnFieldLabelConversion } from '../api/selectable-fields.ts';
import { badRequestError } from './api-error.ts';

export type FieldOperator = '=' | '==' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  /** Unescaped. */
  readonly value: string;
}

export interface FieldSelector {
  /** ANDed, in upstream's order (terms sorted as written). Empty = everything. */
  readonly requirements: readonly FieldRequirement[];
}

/** Splits on commas not preceded by a backslash; the escapes stay in the term for unescapeValue. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const termOperators: readonly FieldOperator[] = ['!=', '==', '='];

/** The earliest operator in the term wins; at one position `!=` and `==` are tried before `=`. */
function splitTerm(term: string): { lhs: string; op: FieldOperator; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** Reverses EscapeValue; an unescaped `,` or `=`, or a stray backslash, is an error (worded as upstream). */
export function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw badRequestError(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    // Go prints the rune with %v, i.e. its code point number ("… in value: 61" for '=').
    else if (c === ',' || c === '=') throw badRequestError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw badRequestError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Escapes `\`, `,` and `=` so a literal value survives a round trip through the grammar. */
export const escapeFieldValue = (s: string) => s.replace(/[\\,=]/g, (c) => `\\${c}`);

/** Parses the `fieldSelector` query parameter; the empty string selects everything. Throws ApiError 400. */
export function parseFieldSelector(selector: string): FieldSelector {
  // Upstream sorts the raw terms before parsing, which decides which bad term an error names.
  const parts = splitTerms(selector).sort();
  const requirements: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw badRequestError(`invalid selector: '${selector}'; can't understand '${part}'`);
    requirements.push({ field: t.lhs, operator: t.op, value: unescapeFieldValue(t.rhs) });
  }
  return { requirements };
}

/**
 * Rejects labels the resource cannot select on, as the API server's field-label conversion does (400):
 * `field label not supported: <f>` for kinds with their own conversion (pods, events, nodes, namespaces), and the
 * generic conversion's `"<f>" is not a known field selector: only "metadata.name", "metadata.namespace"` for the
 * rest (leases). `resource` is the plural.
 */
export function checkFieldSelector(sel: FieldSelector, supported: readonly string[], resource: string): void {
  for (const r of sel.requirements) {
    if (supported.includes(r.field)) continue;
    if (hasOwnFieldLabelConversion(resource)) throw badRequestError(`field label not supported: ${r.field}`);
    throw badRequestError(
      `${JSON.stringify(r.field)} is not a known field selector: only "metadata.name", "metadata.namespace"`,
    );
  }
}

/** True when every term holds. A field absent from `fields` reads as the empty string. */
export function matchesFields(sel: FieldSelector, fields: Record<string, string>): boolean {
  return sel.requirements.every((r) => {
    const have = Object.prototype.hasOwnProperty.call(fields, r.field) ? fields[r.field]! : '';
    return r.operator === '!=' ? have !== r.value : have === r.value;
  });
}

export const isEverythingFields = (sel: FieldSelector) => sel.requirements.length === 0;

/** If the selector pins `field` with `=`/`==`, that value (lets a registry narrow a scan, e.g. spec.nodeName). */
export function requiredFieldValue(sel: FieldSelector, field: string): string | undefined {
  for (const r of sel.requirements) if (r.field === field && r.operator !== '!=') return r.value;
  return undefined;
}

/** The canonical string form (`a=b,c!=d`), values re-escaped. */
export const formatFieldSelector = (sel: FieldSelector) =>
  sel.requirements.map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`).join(',');
