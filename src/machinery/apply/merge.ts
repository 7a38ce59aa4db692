/**
 * Merges an applied configuration onto the live object (SMD's TypedValue.Merge, config wins):
 * maps merge key by key, list-map and set items merge by key / value, and scalars, atomic lists and atomic maps
 * are replaced. A `null` in the configuration clears the field.
 *
 * Item order follows SMD: items only in the live list keep their place, items named by the configuration come in
 * its order, and new items are inserted where the configuration puts them.
 *
 * @example
 *   mergeObjects({ spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b' }] } },
 *                { spec: { containers: [{ name: 'a', image: 'y' }] } }, podSchema)
 *   // { spec: { containers: [{ name: 'a', image: 'y' }, { name: 'b' }] } }
 */
import type { TSchema } from '@sinclair/typebox';
import { indexItems } from './compare.ts';
import { entrySchema, isObject, shapeOf } from './schema-shape.ts';

export function mergeObjects<T>(live: T, config: unknown, schema: TSchema | undefined): T {
  return merge(live, config, schema) as T;
}

function merge(l: unknown, r: unknown, node: TSchema | undefined): unknown {
  if (r === undefined) return structuredClone(l);
  if (l === undefined || l === null) return structuredClone(r);
  const shape = shapeOf(node, r);
  if (shape.type === 'list') {
    if (shape.relation === 'atomic' || !Array.isArray(l) || !Array.isArray(r)) return structuredClone(r);
    return mergeList(shape, l, r);
  }
  if (shape.type === 'map' && !shape.atomic && isObject(l) && isObject(r)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(l)) out[k] = k in r ? merge(v, r[k], entrySchema(shape, k)) : structuredClone(v);
    for (const [k, v] of Object.entries(r)) if (!(k in l)) out[k] = structuredClone(v);
    for (const [k, v] of Object.entries(out)) if (v === null && r[k] === null) delete out[k];
    return out;
  }
  return structuredClone(r);
}

function mergeList(shape: Parameters<typeof indexItems>[0], l: unknown[], r: unknown[]): unknown[] {
  const lItems = indexItems(shape, l);
  const rItems = indexItems(shape, r);
  const lOrder = [...lItems.keys()];
  const rOrder = [...rItems.keys()];
  const shared = rOrder.filter((k) => lItems.has(k));
  let nextShared = shared.shift();
  const out: unknown[] = [];
  const done = new Set<string>();
  const emit = (k: string) => {
    done.add(k);
    out.push(merge(lItems.get(k)?.item, rItems.get(k)?.item, shape.item));
  };
  let li = 0;
  let ri = 0;
  while (li < lOrder.length || ri < rOrder.length) {
    if (li < lOrder.length && done.has(lOrder[li])) {
      li++; // already placed where the configuration put it
      continue;
    }
    if (li < lOrder.length && ri < rOrder.length) {
      const k = lOrder[li];
      if (k === rOrder[ri]) {
        emit(k);
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (rItems.has(k) && nextShared !== undefined && nextShared !== k) {
        li++; // a shared item, but not the one due now
        continue;
      }
    }
    if (li < lOrder.length && !rItems.has(lOrder[li])) {
      emit(lOrder[li++]);
      continue;
    }
    if (ri < rOrder.length) {
      const k = rOrder[ri++];
      if (!done.has(k)) emit(k);
      if (nextShared === k) nextShared = shared.shift();
    } else li++;
  }
  return out;
}
