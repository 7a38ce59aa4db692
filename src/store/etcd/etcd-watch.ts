import type { Etcd3, IEvent, IWatchResponse } from 'etcd3';
import type { Watch, WatchEvent } from '../store.ts';
import { StoreError } from '../store-error.ts';
import { isTransient } from './errors.ts';
import type { KeyRange, KeySpace } from './key-space.ts';

type WatchStream = Awaited<ReturnType<Etcd3['watchClient']['watch']>>;

export interface EtcdWatchOptions {
  client: Etcd3;
  keys: KeySpace;
  /** The store prefix being watched (for error messages) and its etcd range. */
  prefix: string;
  range: KeyRange;
  afterRevision: number;
  onEvent: (event: WatchEvent) => void;
  onError: (err: Error) => void;
  /** Told the revision etcd reports as compacted when it refuses the watch. */
  onCompacted: (revision: number) => void;
  /** Called once when the watch has ended, however it ended. */
  onEnd: () => void;
}

/**
 * One store watch = one etcd watch stream, started at afterRevision + 1 with prev_kv.
 *
 *   stream lost (member killed, restarted, unreachable)
 *     → reopen after a backoff (50 ms doubling to 1 s) on any member, from the last delivered revision + 1
 *   etcd: compact_revision set → onError(StoreError 'Compacted'), nothing more
 *
 * Events arrive in revision order and each whole revision in one response, so "last delivered + 1" loses and
 * repeats nothing; events at or below the last delivered revision are dropped all the same.
 */
export class EtcdWatch implements Watch {
  readonly #o: EtcdWatchOptions;
  #last: number;
  #stream: WatchStream | undefined;
  #timer: NodeJS.Timeout | undefined;
  #backoffMs = BACKOFF_MIN_MS;
  #done = false;

  constructor(options: EtcdWatchOptions) {
    this.#o = options;
    this.#last = options.afterRevision;
    void this.#open();
  }

  cancel(): void {
    this.#finish();
  }

  /** Ends the watch with `err` (delivered once, unless the watch already ended). */
  fail(err: Error): void {
    if (this.#done) return;
    this.#finish();
    this.#o.onError(err);
  }

  async #open(): Promise<void> {
    this.#timer = undefined;
    if (this.#done) return;
    let stream: WatchStream;
    try {
      stream = await this.#o.client.watchClient.watch();
    } catch (err) {
      if (isTransient(err)) this.#reopenLater();
      else this.fail(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (this.#done) {
      closeStream(stream);
      return;
    }
    this.#stream = stream;
    stream.on('data', (res: IWatchResponse) => {
      if (stream === this.#stream) this.#onResponse(res);
    });
    stream.on('error', (err: Error) => {
      if (stream === this.#stream) this.#onLost(stream, err);
    });
    stream.on('end', () => {
      if (stream === this.#stream) this.#onLost(stream, new Error('the etcd watch stream ended'));
    });
    stream.write({
      create_request: { key: this.#o.range.key, range_end: this.#o.range.rangeEnd, start_revision: this.#last + 1, prev_kv: true },
    });
  }

  #onResponse(res: IWatchResponse): void {
    const compacted = Number(res.compact_revision);
    if (compacted > 0) {
      this.#o.onCompacted(compacted);
      const where = this.#o.prefix || '(all keys)';
      this.fail(new StoreError('Compacted', this.#o.prefix, `Compacted: watch of ${where} from revision ${this.#last + 1}: etcd compacted up to ${compacted}`));
      return;
    }
    if (res.canceled) {
      this.fail(new Error(`etcd cancelled the watch of ${this.#o.prefix || '(all keys)'}: ${res.cancel_reason || 'no reason given'}`));
      return;
    }
    if (res.created) this.#backoffMs = BACKOFF_MIN_MS;
    for (const e of res.events) {
      const event = this.#toEvent(e);
      if (event.kv.modRevision <= this.#last) continue;
      this.#last = event.kv.modRevision;
      try {
        this.#o.onEvent(event);
      } catch (err) {
        this.fail(err instanceof Error ? err : new Error(String(err)));
      }
      if (this.#done) return;
    }
  }

  #onLost(stream: WatchStream, err: Error): void {
    this.#stream = undefined;
    closeStream(stream);
    // A stream ends on connection loss, member shutdown, or a member-side error: all worth a fresh stream, unless
    // gRPC says the request itself is wrong.
    const code = (err as { code?: number }).code;
    if (code !== undefined && PERMANENT_CODES.has(code)) this.fail(err);
    else this.#reopenLater();
  }

  #reopenLater(): void {
    if (this.#done) return;
    this.#timer = setTimeout(() => void this.#open(), this.#backoffMs);
    this.#backoffMs = Math.min(this.#backoffMs * 2, BACKOFF_MAX_MS);
  }

  #toEvent(e: IEvent): WatchEvent {
    const kv = this.#o.keys.toKeyValue(e.kv);
    const prev = e.prev_kv ? this.#o.keys.toKeyValue(e.prev_kv) : undefined;
    if (e.type === 'Delete') {
      // etcd's delete event has only the key and the deletion's revision: the last value comes from prev_kv.
      return { type: 'delete', kv: { key: kv.key, value: prev?.value ?? '', createRevision: prev?.createRevision ?? 0, modRevision: kv.modRevision }, ...(prev ? { prev } : {}) };
    }
    if (kv.createRevision === kv.modRevision) return { type: 'create', kv };
    return { type: 'update', kv, ...(prev ? { prev } : {}) };
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#stream) closeStream(this.#stream);
    this.#stream = undefined;
    this.#o.onEnd();
  }
}

const BACKOFF_MIN_MS = 50;
const BACKOFF_MAX_MS = 1_000;
/** gRPC codes after which a new stream would fail the same way: INVALID_ARGUMENT, PERMISSION_DENIED, UNIMPLEMENTED, UNAUTHENTICATED. */
const PERMANENT_CODES = new Set([3, 7, 12, 16]);

/** Ends our side first, so etcd3 does not take our own cancellation for a failed member and reset its connections. */
function closeStream(stream: WatchStream): void {
  (stream as unknown as NodeJS.EventEmitter).removeAllListeners('data');
  stream.on('error', () => {}); // the CANCELLED status of our own cancel
  stream.end();
  stream.cancel();
}
