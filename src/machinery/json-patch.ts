/**
 * JSON Patch (RFC 6902, `application/json-patch+json`) applied to a decoded object.
 *
 *   applyJsonPatch(pod, [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:2' }]);
 *
 * Errors follow the API server: a body that is not a list of operation objects is 400; more than 10000
 * operations is 413; an operation that does not apply (missing path, failed test, bad index) is 422 with
 * upstream's generic message (the specific reason is kept as the error's `cause` for logs).
 * Like upstream (evanphx/json-patch), array indexes may be negative (counted from the end).
 * The input document is not modified.
 */
import { ApiError, badRequestError } from './api-error.ts';
import { patchRejectedError } from './patch-errors.ts';

export interface JsonPatchOperation {
  op: string;
  path?: string;
  from?: string;
  value?: unknown;
}

export const maxJsonPatchOperations = 10000;

type Container = Record<string, unknown> | unknown[];

class OpError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Go's json type names, for decode errors worded as upstream's. */
const jsonTypeName = (v: unknown) =>
  Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;

/** Checks the shape of a decoded `application/json-patch+json` body (400 / 413 as the API server answers). */
export function decodeJsonPatch(body: unknown): JsonPatchOperation[] {
  if (!Array.isArray(body)) {
    throw badRequestError(`json: cannot unmarshal ${jsonTypeName(body)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of body) {
    if (op !== null && !isObject(op)) {
      throw badRequestError(`json: cannot unmarshal ${jsonTypeName(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  if (body.length > maxJsonPatchOperations) {
    throw new ApiError(
      413,
      'RequestEntityTooLarge',
      `The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${body.length}`,
    );
  }
  return body.map((op) => (op ?? {}) as JsonPatchOperation);
}

/** Applies the operations in order and returns the patched copy. */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const ops = decodeJsonPatch(patch);
  // The root is held in a box so `replace ""` can swap it.
  const box = { root: structuredClone(doc) };
  try {
    for (const op of ops) applyOne(box, op);
  } catch (err) {
    if (err instanceof OpError) throw patchRejectedError(err.message);
    throw err;
  }
  return box.root;
}

/** RFC 6901: `~1` is `/`, `~0` is `~` (in that order). */
export const decodePointerToken = (t: string) => t.replace(/~1/g, '/').replace(/~0/g, '~');
export const encodePointerToken = (t: string) => t.replace(/~/g, '~0').replace(/\//g, '~1');

function pathOf(op: JsonPatchOperation, field: 'path' | 'from'): string {
  const p = op[field];
  if (typeof p !== 'string') throw new OpError(`${op.op} operation failed to decode ${field}: missing value`);
  return p;
}

/** Go's strconv.Atoi acceptance: optional sign, digits. */
function parseIndex(key: string, path: string, verb: string): number {
  if (!/^[+-]?\d+$/.test(key)) {
    throw new OpError(`error in ${verb} for path: '${path}': strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  }
  return Number(key);
}

const invalidIndex = (verb: string, path: string, idx: number) =>
  new OpError(`error in ${verb} for path: '${path}': Unable to access invalid index: ${idx}: invalid index referenced`);

/** The container holding the last token of `path`, or undefined when some step is missing or not a container. */
function findParent(root: unknown, path: string): { parent: Container; key: string } | undefined {
  const tokens = path.split('/');
  if (tokens.length < 2 || tokens[0] !== '') return undefined;
  let cur: unknown = root;
  for (const raw of tokens.slice(1, -1)) {
    const tok = decodePointerToken(raw);
    if (Array.isArray(cur)) {
      if (!/^[+-]?\d+$/.test(tok)) return undefined;
      let i = Number(tok);
      if (i < 0) i += cur.length;
      if (i < 0 || i >= cur.length) return undefined;
      cur = cur[i];
    } else if (isObject(cur)) {
      if (!has(cur, tok)) return undefined;
      cur = cur[tok];
    } else return undefined;
    if (!isContainer(cur)) return undefined;
  }
  if (!isContainer(cur)) return undefined;
  return { parent: cur, key: decodePointerToken(tokens[tokens.length - 1]!) };
}

function getChild(parent: Container, key: string, path: string, verb: string): unknown {
  if (Array.isArray(parent)) {
    let i = parseIndex(key, path, verb);
    if (i < 0) {
      if (i < -parent.length) throw invalidIndex(verb, path, i);
      i += parent.length;
    }
    if (i >= parent.length) throw invalidIndex(verb, path, i);
    return parent[i];
  }
  if (!has(parent, key)) throw new OpError(`${verb} operation does not apply: doc is missing key: ${path}: missing value`);
  return parent[key];
}

function addChild(parent: Container, key: string, value: unknown, path: string, verb = 'add'): void {
  if (!Array.isArray(parent)) {
    parent[key] = value;
    return;
  }
  if (key === '-') {
    parent.push(value);
    return;
  }
  let i = parseIndex(key, path, verb);
  if (i < 0) {
    if (i < -(parent.length + 1)) throw invalidIndex(verb, path, i);
    i += parent.length + 1;
  }
  if (i > parent.length) throw invalidIndex(verb, path, i);
  parent.splice(i, 0, value);
}

function removeChild(parent: Container, key: string, path: string, verb = 'remove'): void {
  if (!Array.isArray(parent)) {
    if (!has(parent, key)) {
      throw new OpError(`error in ${verb} for path: '${path}': Unable to remove nonexistent key: ${key}: missing value`);
    }
    delete parent[key];
    return;
  }
  let i = parseIndex(key, path, verb);
  if (i < 0) {
    if (i < -parent.length) throw invalidIndex(verb, path, i);
    i += parent.length;
  }
  if (i >= parent.length) throw invalidIndex(verb, path, i);
  parent.splice(i, 1);
}

function locate(root: unknown, path: string, what: string): { parent: Container; key: string } {
  const found = findParent(root, path);
  if (!found) throw new OpError(`${what}: missing value`);
  return found;
}

function applyOne(box: { root: unknown }, op: JsonPatchOperation): void {
  const value = has(op, 'value') ? op.value ?? null : null;
  switch (op.op) {
    case 'add': {
      const path = pathOf(op, 'path');
      if (path === '') {
        box.root = structuredClone(value);
        return;
      }
      const { parent, key } = locate(box.root, path, `add operation does not apply: doc is missing path: ${JSON.stringify(path)}`);
      addChild(parent, key, structuredClone(value), path);
      return;
    }
    case 'remove': {
      const path = pathOf(op, 'path');
      const { parent, key } = locate(box.root, path, `remove operation does not apply: doc is missing path: ${JSON.stringify(path)}`);
      removeChild(parent, key, path);
      return;
    }
    case 'replace': {
      const path = pathOf(op, 'path');
      if (path === '') {
        if (!isContainer(value)) throw new OpError('replace operation value must be object or array');
        box.root = structuredClone(value);
        return;
      }
      const { parent, key } = locate(box.root, path, `replace operation does not apply: doc is missing path: ${path}`);
      getChild(parent, key, path, 'replace'); // must exist (RFC 6902 §4.3)
      if (Array.isArray(parent)) {
        let i = Number(key);
        if (i < 0) i += parent.length;
        parent[i] = structuredClone(value);
      } else parent[key] = structuredClone(value);
      return;
    }
    case 'move': {
      const from = pathOf(op, 'from');
      const path = pathOf(op, 'path');
      if (path === from) return;
      if (path.startsWith(`${from}/`)) throw new OpError(`move operation does not apply: ${path} is a child of ${from}`);
      const src = locate(box.root, from, `move operation does not apply: doc is missing from path: ${from}`);
      const moved = getChild(src.parent, src.key, from, 'move');
      removeChild(src.parent, src.key, from, 'move');
      const dst = locate(box.root, path, `move operation does not apply: doc is missing destination path: ${path}`);
      addChild(dst.parent, dst.key, moved, path, 'move');
      return;
    }
    case 'copy': {
      const from = pathOf(op, 'from');
      const path = pathOf(op, 'path');
      const src = locate(box.root, from, `copy operation does not apply: doc is missing from path: ${from}`);
      const copied = structuredClone(getChild(src.parent, src.key, from, 'copy'));
      const dst = locate(box.root, path, `copy operation does not apply: doc is missing destination path: ${path}`);
      addChild(dst.parent, dst.key, copied, path, 'copy');
      return;
    }
    case 'test': {
      const path = pathOf(op, 'path');
      let actual: unknown;
      if (path === '') actual = box.root;
      else {
        const { parent, key } = locate(box.root, path, `test operation does not apply: is missing path: ${path}`);
        actual = getChild(parent, key, path, 'test');
      }
      if (!jsonEqual(actual, value)) throw new OpError(`testing value ${path} failed: test failed`);
      return;
    }
    default:
      throw new OpError(`Unexpected kind: ${typeof op.op === 'string' ? op.op : 'unknown'}`);
  }
}

/** Structural JSON equality (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => has(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}
