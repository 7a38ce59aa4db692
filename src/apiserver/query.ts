/**
 * Query-string parameters of resource requests → the option objects of src/registry/rest.ts.
 * Unknown parameters (timeout, pretty, …) are ignored, as kubectl sends some we have no use for.
 *
 *   const q = new URLSearchParams('labelSelector=app%3Dweb&limit=500');
 *   listOptions(q)   // { labelSelector: 'app=web', limit: 500 }
 */
import { badRequestError } from '../machinery/api-error.ts';
import type { DeleteOptions, FieldValidation, ListOptions, WatchOptions } from '../registry/rest.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

const TRUE = new Set(['1', 'true', 'True', 'TRUE', 't', 'T']);
const FALSE = new Set(['0', 'false', 'False', 'FALSE', 'f', 'F', '']);

/** Go's strconv.ParseBool, as the API server uses for boolean parameters. */
export function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw badRequestError(`invalid boolean value for ${name}: ${JSON.stringify(v)}`);
}

export function intParam(q: URLSearchParams, name: string, min = Number.MIN_SAFE_INTEGER): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequestError(`invalid value for ${name}: ${JSON.stringify(v)}: must be an integer`);
  const n = Number(v);
  if (n < min) throw badRequestError(`invalid value for ${name}: ${n}: must be greater than or equal to ${min}`);
  return n;
}

const str = (q: URLSearchParams, name: string) => q.get(name) ?? undefined;

export const isWatch = (q: URLSearchParams) => boolParam(q, 'watch') === true;

/** The selector and resourceVersion parameters lists and watches share. */
function selectionOptions(q: URLSearchParams): ListOptions & WatchOptions {
  const o: ListOptions & WatchOptions = {};
  const ls = str(q, 'labelSelector');
  if (ls) o.labelSelector = ls;
  const fs = str(q, 'fieldSelector');
  if (fs) o.fieldSelector = fs;
  const rv = q.get('resourceVersion');
  if (rv !== null) o.resourceVersion = rv;
  const rvm = q.get('resourceVersionMatch');
  if (rvm) o.resourceVersionMatch = rvm;
  return o;
}

export function listOptions(q: URLSearchParams): ListOptions {
  const o: ListOptions = selectionOptions(q);
  const limit = intParam(q, 'limit', 0);
  if (limit) o.limit = limit;
  const cont = str(q, 'continue');
  if (cont) o.continue = cont;
  return o;
}

export function watchOptions(q: URLSearchParams): WatchOptions {
  const o: WatchOptions = selectionOptions(q);
  const bm = boolParam(q, 'allowWatchBookmarks');
  if (bm !== undefined) o.allowWatchBookmarks = bm;
  const ie = boolParam(q, 'sendInitialEvents');
  if (ie !== undefined) o.sendInitialEvents = ie;
  return o;
}

/** timeoutSeconds of a watch, else a random 1800–3600 s as the API server picks. */
export function watchTimeoutSeconds(q: URLSearchParams): number {
  const t = intParam(q, 'timeoutSeconds', 0);
  if (t !== undefined && t > 0) return t;
  return 1800 + Math.floor(Math.random() * 1800);
}

/** dryRun=All → true; absent → false; anything else → 400. */
export function dryRunParam(q: URLSearchParams): boolean {
  const values = q.getAll('dryRun');
  if (values.length === 0) return false;
  for (const v of values) {
    if (v !== 'All') throw badRequestError(`Invalid dryRun value: Unsupported value: ${JSON.stringify(v)}: supported values: "All"`);
  }
  return true;
}

export function fieldValidationParam(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequestError(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got ${JSON.stringify(v)}`);
}

export function includeObjectParam(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw badRequestError(`includeObject: Unsupported value: ${JSON.stringify(v)}: supported values: "Metadata", "None", "Object"`);
}

const policies = new Set(['Orphan', 'Background', 'Foreground']);

/** DeleteOptions from the query, overlaid by a body (kubectl sends the body; other clients the query). */
export function deleteOptions(q: URLSearchParams, body: unknown): DeleteOptions {
  const o: DeleteOptions = {};
  const grace = intParam(q, 'gracePeriodSeconds');
  if (grace !== undefined) o.gracePeriodSeconds = grace;
  const pp = q.get('propagationPolicy');
  if (pp) o.propagationPolicy = pp as DeleteOptions['propagationPolicy'];
  const orphan = boolParam(q, 'orphanDependents');
  if (orphan !== undefined) o.orphanDependents = orphan;
  const dry = q.getAll('dryRun');
  if (dry.length) o.dryRun = dry;
  if (body !== undefined && body !== null) {
    if (typeof body !== 'object' || Array.isArray(body)) throw badRequestError('DeleteOptions must be an object');
    const b = body as Record<string, unknown>;
    if (b.kind !== undefined && b.kind !== 'DeleteOptions') {
      throw badRequestError(`the body of the request was not DeleteOptions (kind ${JSON.stringify(b.kind)})`);
    }
    if (typeof b.gracePeriodSeconds === 'number') o.gracePeriodSeconds = b.gracePeriodSeconds;
    if (typeof b.propagationPolicy === 'string') o.propagationPolicy = b.propagationPolicy as DeleteOptions['propagationPolicy'];
    if (typeof b.orphanDependents === 'boolean') o.orphanDependents = b.orphanDependents;
    if (Array.isArray(b.dryRun)) o.dryRun = b.dryRun as string[];
    if (b.preconditions && typeof b.preconditions === 'object') o.preconditions = b.preconditions as DeleteOptions['preconditions'];
  }
  if (o.propagationPolicy !== undefined && !policies.has(o.propagationPolicy)) {
    throw badRequestError(`propagationPolicy: Unsupported value: ${JSON.stringify(o.propagationPolicy)}: supported values: "Foreground", "Background", "Orphan"`);
  }
  for (const v of o.dryRun ?? []) {
    if (v !== 'All') throw badRequestError(`dryRun: Unsupported value: ${JSON.stringify(v)}: supported values: "All"`);
  }
  return o;
}
