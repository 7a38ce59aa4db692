/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), applied server-side as apimachinery's
 * `strategicpatch.StrategicMergeMapPatch` does, steered by the kind's JSON schema instead of Go struct tags.
 *
 *   strategicMergePatch(livePod, {
 *     metadata: { labels: { env: 'prod' } },
 *     spec: { '$setElementOrder/containers': [{ name: 'kubia' }], containers: [{ name: 'kubia', image: 'luksa/kubia:v2' }] },
 *   }, podSchema);
 *
 * Rules (K8S-FACTS §1.1–1.2): maps merge key by key and `null` deletes; a list field merges only when its schema
 * says `x-kubernetes-patch-strategy: merge` (by `x-kubernetes-patch-merge-key` for lists of objects, as a set union
 * for lists of scalars) and is otherwise replaced; `x-kubernetes-list-type` plays no part, exactly as upstream.
 * Directives: `$patch` (replace/delete/merge) in maps and list elements, `$setElementOrder/<f>`,
 * `$deleteFromPrimitiveList/<f>`, `$retainKeys`. Where the schema does not describe a subtree, it merges like a JSON
 * merge patch (lists replaced) and directives are still consumed, never stored.
 *
 * Errors mirror the API server: malformed directives are 400, lists of lists 422, and the rest (missing merge key,
 * order mismatch, `$patch: merge` in a list, …) the 500 with upstream's wording that kubectl prints as
 * `Error from server: …`. Inputs are not modified.
 */
import { badRequestError } from './api-error.ts';
import { goValue, patchFailedError, patchRejectedError } from './patch-errors.ts';

/** The parts of a (TypeBox-made, fully inlined) JSON schema that steer the merge. */
export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  /** Maps (`map[string]T`): the value schema. `true`/absent with no `properties` = free-form. */
  additionalProperties?: SchemaNode | boolean;
  /** TypeBox's `Type.Record` form of a map. */
  patternProperties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  /** Anything else a schema carries (descriptions, formats, TypeBox's own keys) is ignored. */
  [key: string]: unknown;
}

type JsonMap = Record<string, unknown>;

const directiveMarker = '$patch';
const retainKeysDirective = '$retainKeys';
const setElementOrderPrefix = '$setElementOrder';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';

const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

// ---- errors (texts from apimachinery's mergepatch package) -------------------------------------------------

const errBadPatchFormatForPrimitiveList = () => badRequestError('invalid patch format of primitive list');
const errBadPatchFormatForRetainKeys = () => badRequestError('invalid patch format of retainKeys');
const errBadPatchFormatForSetElementOrderList = () => badRequestError('invalid patch format of setElementOrder list');
const errNoListOfLists = () => patchRejectedError('lists of lists are not supported');
const errNoMergeKey = (m: JsonMap, key: string) =>
  patchFailedError(`map: ${goValue(m)} does not contain declared merge key: ${key}`);
const errBadPatchType = (t: unknown, m: JsonMap) => patchFailedError(`unknown patch type: ${goValue(t)} in map: ${goValue(m)}`);

/** Go's names for decoded JSON types, for `expected a …, but received a …` and decode errors. */
const goTypeName = (v: unknown) =>
  Array.isArray(v) ? '[]interface {}' : isMap(v) ? 'map[string]interface {}' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? 'float64' : '<nil>';
const errBadArgType = (expected: string, actual: unknown) =>
  patchFailedError(`expected a ${expected}, but received a ${goTypeName(actual)}`);

// ---- schema lookups -----------------------------------------------------------------------------------------

/** The node that carries structure, looking through anyOf/oneOf/allOf wrappers (nullable, int-or-string, …). */
function structural(node: SchemaNode | undefined): SchemaNode | undefined {
  if (!node) return undefined;
  if (node.properties || node.items || isMap(node.additionalProperties) || node.patternProperties) return node;
  for (const sub of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) {
    const found = structural(sub);
    if (found) return found;
  }
  return undefined;
}

/** Schema of field `key` of an object node; undefined when the schema says nothing (free-form or unknown). */
function fieldSchema(node: SchemaNode | undefined, key: string): SchemaNode | undefined {
  const s = structural(node);
  if (!s) return undefined;
  const prop = s.properties?.[key];
  if (prop) return prop;
  if (isMap(s.additionalProperties)) return s.additionalProperties as SchemaNode;
  if (s.patternProperties) return Object.values(s.patternProperties)[0];
  return undefined;
}

const itemSchema = (node: SchemaNode | undefined) => structural(node)?.items;

function patchMeta(node: SchemaNode | undefined): { merge: boolean; replace: boolean; mergeKey: string } {
  const raw = node?.['x-kubernetes-patch-strategy'] ?? structural(node)?.['x-kubernetes-patch-strategy'] ?? '';
  const strategies = raw.split(',').map((s) => s.trim());
  const mergeKey = node?.['x-kubernetes-patch-merge-key'] ?? structural(node)?.['x-kubernetes-patch-merge-key'] ?? '';
  return { merge: strategies.includes('merge'), replace: strategies.includes('replace'), mergeKey };
}

// ---- entry point --------------------------------------------------------------------------------------------

/**
 * Applies `patch` to `original` and returns the result (a new object).
 * `schema` describes the object's kind; `undefined` merges it all like a JSON merge patch.
 */
export function strategicMergePatch(original: unknown, patch: unknown, schema: SchemaNode | undefined): unknown {
  if (patch === null || patch === undefined) return structuredClone(original);
  if (!isMap(patch)) {
    const t = Array.isArray(patch) ? 'array' : typeof patch === 'boolean' ? 'bool' : typeof patch;
    throw badRequestError(`json: cannot unmarshal ${t} into Go value of type map[string]interface {}`);
  }
  const base = isMap(original) ? structuredClone(original) : {};
  return mergeMap(base, structuredClone(patch), schema);
}

// ---- maps ---------------------------------------------------------------------------------------------------

/** Merges `patch` into `orig` (both owned here and mutated) and returns the result. */
function mergeMap(orig: JsonMap, patch: JsonMap, node: SchemaNode | undefined): JsonMap {
  if (has(patch, directiveMarker)) {
    const directive = patch[directiveMarker];
    if (directive === 'replace') {
      delete patch[directiveMarker];
      return mergeMap({}, patch, node);
    }
    if (directive === 'delete') return {};
    throw errBadPatchType(directive, patch);
  }

  applyRetainKeys(orig, patch);
  applySetElementOrders(orig, patch, node);

  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(deleteFromPrimitiveListPrefix)) {
      deleteFromPrimitiveList(orig, extractKey(key, deleteFromPrimitiveListPrefix), value);
      continue;
    }
    if (value === null) {
      delete orig[key];
      continue;
    }
    const fnode = fieldSchema(node, key);
    const cur = orig[key];
    if (isMap(cur) && isMap(value)) {
      orig[key] = patchMeta(fnode).replace ? mergeMap({}, value, fnode) : mergeMap(cur, value, fnode);
    } else if (Array.isArray(cur) && Array.isArray(value)) {
      orig[key] = mergeList(cur, value, fnode);
    } else {
      // Absent, null or of another type: the patch value wins, built from nothing so directives are consumed.
      orig[key] = build(value, fnode);
    }
  }
  return orig;
}

/** A patch value with no live counterpart: its directives applied against an empty value. */
function build(value: unknown, node: SchemaNode | undefined): unknown {
  if (isMap(value)) return mergeMap({}, value, node);
  if (Array.isArray(value)) return mergeList([], value, node);
  return value;
}

/** `$deleteFromPrimitiveList/<f>` and `$setElementOrder/<f>` must name the field after one slash. */
function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === setElementOrderPrefix ? errBadPatchFormatForSetElementOrderList() : errBadPatchFormatForPrimitiveList();
  }
  return key.slice(slash + 1);
}

/** `$retainKeys: [..]`: live keys not listed go away; every non-null patch key must be listed. */
function applyRetainKeys(orig: JsonMap, patch: JsonMap): void {
  if (!has(patch, retainKeysDirective)) return;
  const keep = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(keep)) throw errBadPatchFormatForRetainKeys();
  const kept = new Set<unknown>(keep);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(deleteFromPrimitiveListPrefix) || k.startsWith(setElementOrderPrefix)) continue;
    if (!kept.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(orig)) if (!kept.has(k)) delete orig[k];
}

/** `$deleteFromPrimitiveList/<f>: [v…]` removes those scalars from the live list. */
function deleteFromPrimitiveList(orig: JsonMap, field: string, values: unknown): void {
  if (values === null) {
    delete orig[field]; // upstream treats a null deletion list as deleting the field
    return;
  }
  if (!Array.isArray(values)) throw errBadPatchFormatForPrimitiveList();
  const cur = orig[field];
  // Deleting from a list the object does not have is a no-op (upstream would store the deletion list itself).
  if (Array.isArray(cur)) orig[field] = cur.filter((v) => !values.some((d) => d === v));
}

/**
 * `$setElementOrder/<f>`: merges `<f>` now and puts the result in the given order. Items named there come in that
 * order; server-only items keep their live order, interleaved by their live positions.
 */
function applySetElementOrders(orig: JsonMap, patch: JsonMap, node: SchemaNode | undefined): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const order = patch[key];
    delete patch[key];
    const field = extractKey(key, setElementOrderPrefix);
    if (!Array.isArray(order)) throw errBadPatchFormatForSetElementOrderList();
    const fnode = fieldSchema(node, field);
    if (!fnode) continue; // nothing known about the list: merge-patch semantics, the ordering hint is dropped

    const { mergeKey } = patchMeta(fnode);
    const liveList = Array.isArray(orig[field]) ? (orig[field] as unknown[]) : undefined;
    const patchValue = patch[field];
    if (patchValue === null) continue; // the field is being deleted; the main loop does it
    if (patchValue !== undefined && !Array.isArray(patchValue)) throw errBadArgType('[]interface {}', patchValue);
    const patchList = patchValue as unknown[] | undefined;
    validatePatchWithSetOrderList(patchList ?? [], order, mergeKey);

    let merged: unknown[];
    if (liveList && patchList) merged = mergeList(liveList, patchList, fnode);
    else if (patchList) merged = mergeList([], patchList, fnode);
    else if (liveList) merged = liveList;
    else continue;

    // Objects are matched by merge key, scalars by value.
    const matchKey = [...(liveList ?? []), ...(patchList ?? [])].some(isMap) ? mergeKey : '';
    const [named, serverOnly] = partition(merged, order, matchKey);
    orig[field] = normalizeElementOrder(named, serverOnly, order, liveList ?? [], matchKey);
    delete patch[field];
  }
}

/** The patch list's items (directive items aside) must appear in the same relative order as in the order list. */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let items = patchList;
  if (mergeKey) {
    for (const el of patchList) if (!isMap(el)) throw errBadArgType('map[string]interface {}', el);
    items = patchList.filter((el) => (el as JsonMap)[directiveMarker] !== 'delete');
  }
  let p = 0;
  let s = 0;
  while (p < items.length && s < order.length) {
    const item = items[p];
    if (isMap(item) && has(item, directiveMarker)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[s], mergeKey)) p++;
    s++;
  }
  if (p < items.length && s >= order.length) {
    throw patchFailedError(
      `The order in patch list:\n${goValue(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${goValue(order)}\n`,
    );
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isMap(left)) throw errBadArgType('map[string]interface {}', left);
  if (!isMap(right)) throw errBadArgType('map[string]interface {}', right);
  if (!has(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!has(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

// ---- lists --------------------------------------------------------------------------------------------------

/** Merges a patch list into a live list (both owned here) according to the field's patch strategy. */
function mergeList(live: unknown[], patch: unknown[], node: SchemaNode | undefined): unknown[] {
  const meta = patchMeta(node);
  const itemNode = itemSchema(node);
  if (!meta.merge) return patch.map((el) => build(el, itemNode));
  if (live.length === 0 && patch.length === 0) return live;

  const kind = elementKind(live, patch);
  let merged: unknown[];
  let patchItems: unknown[] = patch;
  let serverOrder: unknown[] = live;
  let key = '';

  if (kind === 'scalar') {
    merged = [];
    for (const v of [...live, ...patch]) if (!merged.includes(v)) merged.push(v);
  } else {
    key = meta.mergeKey;
    if (!key) throw patchFailedError('cannot merge lists without merge key for type map');
    let base = live as JsonMap[];
    const plain: JsonMap[] = [];
    let replace = false;
    for (const el of patch as JsonMap[]) {
      if (!has(el, directiveMarker)) {
        plain.push(el);
        continue;
      }
      const directive = el[directiveMarker];
      if (directive === 'delete') {
        if (!has(el, key)) throw errNoMergeKey(el, key);
        base = base.filter((o) => o[key] !== el[key]);
      } else if (directive === 'replace') {
        replace = true; // keep scanning: later directive items are still dropped
      } else if (directive === 'merge') {
        throw patchFailedError('merging lists cannot yet be specified in the patch');
      } else {
        throw errBadPatchType(directive, el);
      }
    }
    if (replace) {
      base = plain.map((el) => mergeMap({}, el, itemNode));
      patchItems = [];
    } else {
      patchItems = plain;
    }
    serverOrder = base;
    merged = [...base];
    for (const el of patchItems as JsonMap[]) {
      if (!has(el, key)) throw errNoMergeKey(el, key);
      const at = merged.findIndex((o) => (o as JsonMap)[key] === el[key]);
      if (at >= 0) merged[at] = mergeMap(merged[at] as JsonMap, el, itemNode);
      else merged.push(mergeMap({}, el, itemNode));
    }
  }

  const [inPatch, serverOnly] = partition(merged, patchItems, key);
  return normalizeElementOrder(inPatch, serverOnly, patchItems, serverOrder, key);
}

/** 'map' or 'scalar' for the elements of both lists; lists of lists are 422 and mixed types 500 (as upstream). */
function elementKind(...lists: unknown[][]): 'map' | 'scalar' {
  let first: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      if (v === null || v === undefined) continue;
      const t = Array.isArray(v) ? 'array' : isMap(v) ? 'map' : typeof v;
      if (first === undefined) {
        if (t === 'array') throw errNoListOfLists();
        first = t;
      } else if (t !== first) {
        throw patchFailedError(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  }
  return first === 'map' ? 'map' : 'scalar';
}

/** Position of `item` in `list`, matching maps by merge key and scalars by value; -1 if absent. */
function indexIn(list: unknown[], item: unknown, key: string): number {
  if (!key) return list.indexOf(item);
  const want = (item as JsonMap)[key];
  return list.findIndex((el) => isMap(el) && el[key] === want);
}

/** Splits `items` into those present in `by` and the rest, keeping their order. */
function partition(items: unknown[], by: unknown[], key: string): [unknown[], unknown[]] {
  const inBy: unknown[] = [];
  const rest: unknown[] = [];
  for (const item of items) {
    if (key) {
      if (!isMap(item)) throw errBadArgType('map[string]interface {}', item);
      if (!has(item, key)) throw errNoMergeKey(item, key);
      for (const el of by) if (!isMap(el)) throw patchFailedError(`value for key ${by.indexOf(el)} is not a map.`);
    }
    (indexIn(by, item, key) >= 0 ? inBy : rest).push(item);
  }
  return [inBy, rest];
}

/** Stable sort of `items` by their position in `order` (items missing from it go last). */
function sortByOrder(items: unknown[], order: unknown[], key: string): unknown[] {
  if (key) {
    for (const el of [...items, ...order]) {
      if (!isMap(el)) throw errBadArgType('map[string]interface {}', el);
      if (!has(el, key)) throw errNoMergeKey(el, key);
    }
  }
  const pos = (item: unknown) => {
    const i = indexIn(order, item, key);
    return i < 0 ? Number.POSITIVE_INFINITY : i;
  };
  return items
    .map((item, i) => ({ item, i, p: pos(item) }))
    .sort((a, b) => a.p - b.p || a.i - b.i)
    .map((x) => x.item);
}

/**
 * Patch items in patch order, server-only items in live order, then interleaved: a server-only item goes first
 * only while it stood before the next patch item in the live list; items new to the list come as soon as they can.
 */
function normalizeElementOrder(patchItems: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], key: string): unknown[] {
  const right = sortByOrder(patchItems, patchOrder, key);
  const left = sortByOrder(serverOnly, serverOrder, key);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], key);
      const ri = indexIn(serverOrder, right[j], key);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}
