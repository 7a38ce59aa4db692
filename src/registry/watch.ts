import type { KubeObject } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { apiVersionOf } from '../api/resources.ts';
import { goneError, internalError } from '../machinery/api-error.ts';
import type { Status } from '../machinery/api-error.ts';
import type { Store, Watch, WatchEvent } from '../store/store.ts';
import { isStoreError } from '../store/store-error.ts';
import { decode } from './codec.ts';
import { narrowedPrefix } from './list.ts';
import { parseResourceVersion, validateWatchOptions } from './list-options.ts';
import type { WatchEventType, WatchHandle, WatchOptions } from './rest.ts';
import { selectionFor } from './selection.ts';

type Send = (type: WatchEventType, object: KubeObject | Status) => void;

/** Bookmark period (apiserver's cacher sends one about every minute). Tests may lower it. */
export const watchTiming = { bookmarkIntervalMs: 60_000 };

/**
 * WATCH with Kubernetes semantics over the Store.
 * - resourceVersion unset or "0" (or sendInitialEvents=true): a synthetic ADDED per matching object, then changes;
 * - "N": every change after N;
 * - selectors: an object that stops matching arrives as DELETED (its previous state), one that starts matching as ADDED;
 * - allowWatchBookmarks: a BOOKMARK about every minute; sendInitialEvents: one marked `k8s.io/initial-events-end`
 *   after the initial ADDEDs;
 * - a compacted start: one ERROR (410 Expired) and the end.
 * Events reach `send` in revision order, never before this function has returned the handle.
 *
 *   const w = await watchResource(store, pods, 'default', { resourceVersion: '42' }, (type, obj) => …);
 *   w.stop();
 */
export async function watchResource(
  store: Store,
  info: ResourceInfo,
  namespace: string | undefined,
  options: WatchOptions,
  send: Send,
): Promise<WatchHandle> {
  validateWatchOptions(options);
  const sel = selectionFor(info.plural, options.labelSelector, options.fieldSelector);
  const rv = parseResourceVersion(options.resourceVersion);
  const prefix = narrowedPrefix(info, namespace, sel);
  const initial = options.sendInitialEvents === true || (options.sendInitialEvents === undefined && (rv === undefined || rv === 0));

  const out = new EventQueue(send);
  let startRev: number;
  if (initial) {
    const page = await store.list(prefix);
    startRev = page.revision;
    for (const kv of page.items) {
      const obj = decode(info, kv);
      if (sel.matches(obj)) out.push('ADDED', obj);
    }
    if (options.sendInitialEvents === true) {
      out.push('BOOKMARK', bookmark(info, startRev, true));
    }
  } else {
    startRev = rv ?? (await store.currentRevision());
  }

  let lastRev = startRev;
  const onEvent = (e: WatchEvent) => {
    const rev = e.kv.modRevision;
    if (rev <= startRev || out.closed) return;
    lastRev = rev;
    if (sel.everything) {
      out.push(e.type === 'create' ? 'ADDED' : e.type === 'update' ? 'MODIFIED' : 'DELETED', decode(info, e.kv));
      return;
    }
    const cur = e.type === 'delete' ? undefined : decode(info, e.kv);
    const curMatch = cur !== undefined && sel.matches(cur);
    let prev: KubeObject | undefined;
    if (e.type === 'delete') prev = decode(info, e.kv);
    else if (e.prev) prev = decode(info, { ...e.prev, modRevision: rev });
    const prevMatch = e.type === 'create' ? false : prev !== undefined ? sel.matches(prev) : curMatch;
    if (curMatch && prevMatch) out.push('MODIFIED', cur!);
    else if (curMatch) out.push('ADDED', cur!);
    else if (prevMatch && prev) out.push('DELETED', prev);
  };
  const onError = (err: Error) => {
    if (out.closed) return;
    if (isStoreError(err, 'Compacted')) {
      void store.compactedRevision().then((compacted) => out.fail(goneError(`too old resource version: ${startRev} (${compacted})`).toStatus()));
      return;
    }
    out.fail(internalError(err.message).toStatus());
  };
  let timer: NodeJS.Timeout | undefined;
  let storeWatch: Watch | undefined;
  out.onClose = () => {
    storeWatch?.cancel();
    if (timer) clearInterval(timer);
  };
  storeWatch = store.watch(prefix, startRev, onEvent, onError);
  if (out.closed) storeWatch.cancel();
  if (options.allowWatchBookmarks && !out.closed) {
    timer = setInterval(() => out.push('BOOKMARK', bookmark(info, lastRev, false)), watchTiming.bookmarkIntervalMs);
    timer.unref();
  }
  out.open();
  return { stop: () => out.stop() };
}

function bookmark(info: ResourceInfo, rev: number, initialEventsEnd: boolean): KubeObject {
  const metadata: KubeObject['metadata'] = { resourceVersion: String(rev) };
  if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
  return { kind: info.kind, apiVersion: apiVersionOf(info), metadata };
}

/** Holds events until the caller has its handle (opened on the next macrotask turn), then delivers them in order. */
class EventQueue {
  readonly #send: Send;
  #buffer: Array<[WatchEventType, KubeObject | Status]> | undefined = [];
  #closed = false;
  #dropBuffered = false;
  onClose: (() => void) | undefined;

  constructor(send: Send) {
    this.#send = send;
  }

  get closed(): boolean {
    return this.#closed;
  }

  push(type: WatchEventType, obj: KubeObject | Status): void {
    if (this.#closed) return;
    if (this.#buffer) this.#buffer.push([type, obj]);
    else this.#deliver(type, obj);
  }

  /** Sends an ERROR event and ends the watch. */
  fail(status: Status): void {
    this.push('ERROR', status);
    this.#close(false);
  }

  /** The client is gone: nothing more is sent. */
  stop(): void {
    this.#close(true);
  }

  open(): void {
    setImmediate(() => {
      const buffered = this.#buffer ?? [];
      this.#buffer = undefined;
      for (const [type, obj] of buffered) {
        if (this.#dropBuffered) return;
        this.#deliver(type, obj);
      }
    });
  }

  #close(drop: boolean): void {
    if (drop) this.#dropBuffered = true;
    if (this.#closed) return;
    this.#closed = true;
    this.onClose?.();
  }

  #deliver(type: WatchEventType, obj: KubeObject | Status): void {
    try {
      this.#send(type, obj);
    } catch {
      this.stop();
    }
  }
}
