import type { Etcd3, IRangeRequest, IRangeResponse, ITxnRequest, ITxnResponse } from 'etcd3';
import type { KeyValue, ListOptions, ListResult, Store, Watch, WatchEvent } from '../store.ts';
import { StoreError } from '../store-error.ts';
import { connectEtcd, type EtcdTlsOptions } from './connect.ts';
import { isCompacted, isTransient, isUnsent, toStoreError } from './errors.ts';
import { EtcdWatch } from './etcd-watch.ts';
import { KeySpace } from './key-space.ts';
import { retry } from './retry.ts';

export interface EtcdStoreOptions {
  /** Client URLs of the etcd members, e.g. ['http://127.0.0.1:2379']. */
  endpoints: string[];
  /** Put in front of every key (default '': keys are stored as given, /registry/...). */
  prefix?: string;
  tls?: EtcdTlsOptions;
  /** How long reads (and writes that never reached etcd) are retried while etcd is unreachable. Default 5 s. */
  retryTimeoutMs?: number;
  /**
   * Deadline of each call. Default 15 s: above etcd's own request timeout (5 s + 2 election timeouts), after which
   * a write proposed to a leader that died fails with 'request timed out'. Shorter fails such writes sooner.
   */
  callTimeoutMs?: number;
}

/**
 * Opens a Store on etcd v3 and checks that etcd answers (else StoreError 'Unavailable').
 * Revisions are etcd's; every write is one transaction, as the Kubernetes API server does it.
 *
 *   const store = await openEtcdStore({ endpoints: ['http://127.0.0.1:2379'] });
 */
export async function openEtcdStore(options: EtcdStoreOptions): Promise<EtcdStore> {
  const store = new EtcdStore(options);
  try {
    await store.currentRevision();
  } catch (err) {
    await store.close();
    if (err instanceof StoreError && err.kind === 'Unavailable') {
      const why = err.message.replace(/^Unavailable: \(all keys\): /, '');
      throw new StoreError('Unavailable', '', `Unavailable: etcd at ${options.endpoints.join(', ')} does not answer: ${why}`);
    }
    throw err;
  }
  return store;
}

/**
 * The verbs, each one etcd request:
 *
 *   create   txn  if version(k) = 0                          then put               else get k → AlreadyExists
 *   update   txn  if version(k) > 0 ∧ mod_revision(k) = r    then put (prev_kv)     else get k → NotFound | Conflict
 *   delete   txn  if version(k) > 0 [∧ mod_revision(k) = r]  then delete (prev_kv) else get k → NotFound | Conflict
 *   get      range k
 *   list     range [p, p') at a revision with the limit; `more` and `remaining` from etcd's more and count
 *   watch    a watch stream from afterRevision + 1 with prev_kv (etcd-watch.ts)
 *   compact  compaction (physical: the call returns once the history is gone)
 *
 * Reads are retried while etcd is unreachable; writes only when the request never left this process,
 * since a write whose answer was lost may have been applied.
 */
export class EtcdStore implements Store {
  readonly #client: Etcd3;
  readonly #keys: KeySpace;
  readonly #retryMs: number;
  readonly #watches = new Set<EtcdWatch>();
  /** The newest compacted revision this process knows of (a lower bound of etcd's). */
  #compacted = 0;
  #closed = false;

  constructor(options: EtcdStoreOptions) {
    if (!Array.isArray(options?.endpoints)) {
      throw new TypeError(`openEtcdStore: want { endpoints: ['http://host:port', …] }, got ${JSON.stringify(options)}`);
    }
    this.#client = connectEtcd({ endpoints: options.endpoints, tls: options.tls, callTimeoutMs: options.callTimeoutMs });
    this.#keys = new KeySpace(options.prefix ?? '');
    this.#retryMs = options.retryTimeoutMs ?? 5_000;
  }

  async currentRevision(): Promise<number> {
    const res = await this.#range({ key: this.#probeKey(), count_only: true }, '');
    return Number(res.header.revision);
  }

  /**
   * etcd does not tell its compacted revision, but a read below it fails: starting from the newest compaction this
   * process knows of, probe, and binary-search upwards only when someone compacted further. Returns 0 when
   * etcd never compacted.
   */
  async compactedRevision(): Promise<number> {
    const readable = async (revision: number): Promise<boolean> => {
      try {
        await this.#range({ key: this.#probeKey(), count_only: true, revision }, '');
        return true;
      } catch (err) {
        if (err instanceof StoreError && err.kind === 'Compacted') return false;
        throw err;
      }
    };
    if (await readable(Math.max(this.#compacted, 1))) return this.#compacted;
    let lo = Math.max(this.#compacted, 1); // not readable
    let hi = await this.currentRevision(); // always readable
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await readable(mid)) hi = mid;
      else lo = mid;
    }
    this.#learnCompacted(hi);
    return this.#compacted;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const res = await this.#range({ key: this.#keys.encode(key) }, key);
    const kv = res.kvs[0];
    return kv ? this.#keys.toKeyValue(kv) : undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const revision = options.revision && options.revision > 0 ? options.revision : 0;
    if (revision > 0 && revision < this.#compacted) throw compactedError(prefix, revision, this.#compacted);
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const range = this.#keys.rangeAfter(prefix, options.startAfter);
    if (!range) {
      // Nothing can follow startAfter: still answer at (and check) the asked revision.
      const res = await this.#range({ key: this.#probeKey(), count_only: true, revision }, prefix);
      return { items: [], revision: revision || Number(res.header.revision), more: false };
    }
    const res = await this.#range({ key: range.key, range_end: range.rangeEnd, revision, limit }, prefix);
    const items = res.kvs.map((kv) => this.#keys.toKeyValue(kv));
    const result: ListResult = { items, revision: revision || Number(res.header.revision), more: res.more };
    if (res.more) result.remaining = Number(res.count) - items.length;
    return result;
  }

  async count(prefix: string): Promise<number> {
    const range = this.#keys.range(prefix);
    const res = await this.#range({ key: range.key, range_end: range.rangeEnd, count_only: true }, prefix);
    return Number(res.count);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const k = this.#encodeKey(key);
    const res = await this.#txn(
      {
        compare: [{ key: k, target: 'Version', result: 'Equal', version: 0 }],
        success: [{ request_put: { key: k, value: Buffer.from(value, 'utf8') } }],
        failure: [{ request_range: { key: k } }],
      },
      key,
    );
    if (!res.succeeded) throw new StoreError('AlreadyExists', key);
    const revision = Number(res.header.revision);
    return { key, value, createRevision: revision, modRevision: revision };
  }

  async update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    const k = this.#encodeKey(key);
    const res = await this.#txn(
      {
        compare: [
          { key: k, target: 'Version', result: 'Greater', version: 0 },
          { key: k, target: 'Mod', result: 'Equal', mod_revision: expectedRevision },
        ],
        success: [{ request_put: { key: k, value: Buffer.from(value, 'utf8'), prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      },
      key,
    );
    if (!res.succeeded) throw this.#preconditionFailed(key, res, expectedRevision);
    const prev = res.responses[0]!.response_put.prev_kv;
    const revision = Number(res.header.revision);
    return { key, value, createRevision: Number(prev.create_revision), modRevision: revision };
  }

  async delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    const k = this.#encodeKey(key);
    const res = await this.#txn(
      {
        compare: [
          { key: k, target: 'Version', result: 'Greater', version: 0 },
          ...(expectedRevision === undefined ? [] : [{ key: k, target: 'Mod' as const, result: 'Equal' as const, mod_revision: expectedRevision }]),
        ],
        success: [{ request_delete_range: { key: k, prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      },
      key,
    );
    if (!res.succeeded) throw this.#preconditionFailed(key, res, expectedRevision);
    const prev = res.responses[0]!.response_delete_range.prev_kvs[0];
    if (!prev) throw new StoreError('NotFound', key); // cannot happen: the compare saw the key in the same txn
    return { ...this.#keys.toKeyValue(prev), modRevision: Number(res.header.revision) };
  }

  watch(prefix: string, afterRevision: number, onEvent: (event: WatchEvent) => void, onError: (err: Error) => void): Watch {
    const failed = (err: StoreError): Watch => {
      let cancelled = false;
      queueMicrotask(() => cancelled || onError(err));
      return { cancel: () => void (cancelled = true) };
    };
    if (this.#closed) return failed(new StoreError('Unavailable', prefix, 'store is closed'));
    if (afterRevision < this.#compacted) return failed(compactedError(prefix, afterRevision, this.#compacted));
    const watch: EtcdWatch = new EtcdWatch({
      client: this.#client,
      keys: this.#keys,
      prefix,
      range: this.#keys.range(prefix),
      afterRevision: Math.max(afterRevision, 0),
      onEvent,
      onError,
      onCompacted: (revision) => this.#learnCompacted(revision),
      onEnd: () => this.#watches.delete(watch),
    });
    this.#watches.add(watch);
    return watch;
  }

  async compact(revision: number): Promise<void> {
    this.#assertOpen('');
    if (revision <= this.#compacted) return;
    try {
      await retry(() => this.#client.kv.compact({ revision, physical: true }, { deadline: Date.now() + 300_000 }), isTransient, this.#retryMs, () => this.#closed);
    } catch (err) {
      // Already compacted at or past `revision` (by us or another client): nothing to do, as with SQLite.
      if (!isCompacted(err)) throw toStoreError(err, '');
    }
    this.#learnCompacted(revision);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const watch of [...this.#watches]) watch.fail(new StoreError('Unavailable', '', 'store is closed'));
    this.#client.close();
  }

  /** A range, retried while etcd is unreachable; failures as StoreErrors. */
  async #range(req: IRangeRequest, key: string): Promise<IRangeResponse> {
    this.#assertOpen(key);
    try {
      return await retry(() => this.#client.kv.range(req), isTransient, this.#retryMs, () => this.#closed);
    } catch (err) {
      throw toStoreError(err, key);
    }
  }

  /** A write transaction, retried only while it certainly never reached etcd. */
  async #txn(req: ITxnRequest, key: string): Promise<ITxnResponse> {
    this.#assertOpen(key);
    try {
      return await retry(() => this.#client.kv.txn(req), isUnsent, this.#retryMs, () => this.#closed);
    } catch (err) {
      throw toStoreError(err, key);
    }
  }

  /** Why an update or delete txn took its failure branch, read from the key's current state (its range response). */
  #preconditionFailed(key: string, res: ITxnResponse, expectedRevision: number | undefined): StoreError {
    const current = res.responses[0]?.response_range.kvs[0];
    if (!current) return new StoreError('NotFound', key);
    return new StoreError('Conflict', key, `Conflict: ${key} is at revision ${current.mod_revision}, not ${expectedRevision}`);
  }

  #encodeKey(key: string): Buffer {
    if (key === '') throw new StoreError('NotFound', key, 'the empty key cannot be stored');
    return this.#keys.encode(key);
  }

  /** Some key to read when only the response header matters (etcd refuses the empty key). */
  #probeKey(): Buffer {
    const key = this.#keys.encode('');
    return key.length > 0 ? key : Buffer.from([0]);
  }

  #learnCompacted(revision: number): void {
    if (revision > this.#compacted) this.#compacted = revision;
  }

  #assertOpen(key: string): void {
    if (this.#closed) throw new StoreError('Unavailable', key, 'store is closed');
  }
}

function compactedError(key: string, requested: number, compacted: number): StoreError {
  return new StoreError('Compacted', key, `Compacted: revision ${requested} of ${key || '(all keys)'} is older than the compacted revision ${compacted}`);
}
