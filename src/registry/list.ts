import type { KubeList, KubeObject, ListMeta } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { apiVersionOf, storeKey, storePrefix } from '../api/resources.ts';
import { badRequestError, goneError } from '../machinery/api-error.ts';
import type { KeyValue, Store } from '../store/store.ts';
import { isStoreError } from '../store/store-error.ts';
import { decode, decodeJson } from './codec.ts';
import { decodeContinue, encodeContinue, expiredContinueError } from './continue-token.ts';
import { parseResourceVersion, tooLargeResourceVersionError, validateListOptions } from './list-options.ts';
import type { ListOptions } from './rest.ts';
import type { Selection } from './selection.ts';
import { selectionFor } from './selection.ts';

/** How long a list for a not-yet-seen resourceVersion waits before the 504 (apiserver's cacher: 3 s). */
const FUTURE_RV_WAIT_MS = 3_000;
/** Store page size while filtering with selectors. */
const FILTER_PAGE = 500;

/**
 * LIST with Kubernetes semantics over the Store: label/field selectors, resourceVersion (unset, "0", "N" with
 * NotOlderThan or Exact), limit + continue (tokens pin the first page's revision), remainingItemCount.
 *
 *   const list = await listResource(store, pods, 'default', { labelSelector: 'app=web', limit: 500 });
 *   list.metadata   // { resourceVersion: '42', continue?: '…', remainingItemCount?: 7 }
 */
export async function listResource(store: Store, info: ResourceInfo, namespace: string | undefined, options: ListOptions): Promise<KubeList> {
  const scan = await scanList(store, info, namespace, options);
  const items = scan.objects ?? scan.kvs.map((kv) => decode(info, kv));
  return { apiVersion: apiVersionOf(info), kind: info.listKind, metadata: scan.metadata, items };
}

/** The same list as JSON text; items are not parsed when no selector needs their content (the fast path). */
export async function listResourceJson(store: Store, info: ResourceInfo, namespace: string | undefined, options: ListOptions): Promise<string> {
  const scan = await scanList(store, info, namespace, options);
  const items = scan.objects ? scan.objects.map((o) => JSON.stringify(o)) : scan.kvs.map((kv) => decodeJson(info, kv));
  return `{"apiVersion":${JSON.stringify(apiVersionOf(info))},"kind":${JSON.stringify(info.listKind)},"metadata":${JSON.stringify(scan.metadata)},"items":[${items.join(',')}]}`;
}

interface Scan {
  /** The selected entries (when `objects` is undefined: every entry read, nothing parsed). */
  kvs: KeyValue[];
  /** The selected objects, when the selection had to parse them. */
  objects?: KubeObject[];
  metadata: ListMeta;
}

async function scanList(store: Store, info: ResourceInfo, namespace: string | undefined, options: ListOptions): Promise<Scan> {
  validateListOptions(options);
  const sel = selectionFor(info.plural, options.labelSelector, options.fieldSelector);
  const rv = parseResourceVersion(options.resourceVersion);
  const base = storePrefix(info, namespace);
  const prefix = narrowedPrefix(info, namespace, sel);

  let revision: number | undefined;
  let startAfter: string | undefined;
  if (options.continue) {
    if (rv !== undefined && rv !== 0) throw badRequestError('specifying resource version is not allowed when using continue');
    const token = decodeContinue(options.continue);
    revision = token.rv;
    startAfter = base + token.startAfter;
  } else if (rv !== undefined && rv !== 0) {
    if (options.resourceVersionMatch === 'Exact') revision = rv;
    else await waitForRevision(store, rv);
  }

  const limit = options.limit && options.limit > 0 ? Math.floor(options.limit) : 0;
  const kvs: KeyValue[] = [];
  const objects: KubeObject[] | undefined = sel.everything ? undefined : [];
  let count = 0;
  let more = false;
  let remaining: number | undefined;
  let lastKey: string | undefined;
  let after = startAfter;
  for (;;) {
    const pageSize = limit === 0 ? 0 : sel.everything ? limit - count : Math.max(limit - count, FILTER_PAGE);
    let page;
    try {
      page = await store.list(prefix, { revision, limit: pageSize, startAfter: after });
    } catch (err) {
      if (isStoreError(err, 'FutureRevision')) throw tooLargeResourceVersionError(revision ?? 0, await store.currentRevision());
      throw translateListError(err, options.continue !== undefined && options.continue !== '');
    }
    revision = page.revision;
    let stoppedEarly = false;
    if (objects === undefined) {
      kvs.push(...page.items);
      count += page.items.length;
      if (page.items.length > 0) lastKey = page.items[page.items.length - 1]!.key;
      if (limit > 0 && count >= limit) {
        more = page.more;
        remaining = page.remaining;
        stoppedEarly = true;
      }
    } else {
      for (let i = 0; i < page.items.length; i++) {
        const kv = page.items[i]!;
        lastKey = kv.key;
        const obj = decode(info, kv);
        if (!sel.matches(obj)) continue;
        objects.push(obj);
        count++;
        if (limit > 0 && count >= limit) {
          more = i < page.items.length - 1 || page.more;
          stoppedEarly = true;
          break;
        }
      }
    }
    if (stoppedEarly || !page.more || page.items.length === 0) break;
    after = page.items[page.items.length - 1]!.key;
  }

  const metadata: ListMeta = { resourceVersion: String(revision) };
  if (more && lastKey !== undefined) {
    metadata.continue = encodeContinue(revision!, lastKey.slice(base.length));
    if (remaining !== undefined) metadata.remainingItemCount = remaining;
  }
  return objects ? { kvs, objects, metadata } : { kvs, metadata };
}

/** The smallest key prefix that holds every object the selection can match. */
export function narrowedPrefix(info: ResourceInfo, namespace: string | undefined, sel: Selection): string {
  const ns = info.namespaced ? (namespace ?? sel.namespace) : undefined;
  if (sel.name !== undefined && (!info.namespaced || ns)) return storeKey(info, ns, sel.name);
  return storePrefix(info, ns);
}

function translateListError(err: unknown, continuing: boolean): unknown {
  if (isStoreError(err, 'Compacted')) {
    return continuing ? expiredContinueError() : goneError('The resourceVersion for the provided list is too old.');
  }
  return err;
}

/** Waits (up to 3 s) until the store has reached `rv`; then 504 Too large resource version. */
export async function waitForRevision(store: Store, rv: number): Promise<void> {
  const deadline = Date.now() + FUTURE_RV_WAIT_MS;
  for (;;) {
    const current = await store.currentRevision();
    if (current >= rv) return;
    if (Date.now() >= deadline) throw tooLargeResourceVersionError(rv, current);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
