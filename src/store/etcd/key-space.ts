import type { IKeyValue } from 'etcd3';
import type { KeyValue } from '../store.ts';

/** An etcd key range as the API takes it: [key, rangeEnd), where rangeEnd = [0] means "to the end of the keyspace". */
export interface KeyRange {
  key: Buffer;
  rangeEnd: Buffer;
}

/**
 * The mapping between store keys (strings) and etcd keys (bytes under a fixed prefix). Keys and values are UTF-8.
 *
 *   const keys = new KeySpace('/test-3');
 *   keys.encode('/registry/pods/a')  // bytes of '/test-3/registry/pods/a'
 *   keys.range('/registry/pods/')    // ['/test-3/registry/pods/', '/test-3/registry/pods0')
 */
export class KeySpace {
  readonly #prefix: Buffer;

  constructor(readonly prefix: string) {
    this.#prefix = Buffer.from(prefix, 'utf8');
  }

  encode(key: string): Buffer {
    return Buffer.from(this.prefix + key, 'utf8');
  }

  decode(raw: Buffer): string {
    if (!raw.subarray(0, this.#prefix.length).equals(this.#prefix)) {
      throw new Error(`etcd key ${JSON.stringify(raw.toString('utf8'))} is outside the store prefix ${JSON.stringify(this.prefix)}`);
    }
    return raw.subarray(this.#prefix.length).toString('utf8');
  }

  /** Every key that starts with `prefix` (a plain string prefix; '' is the whole store). */
  range(prefix: string): KeyRange {
    const key = this.encode(prefix);
    // The empty key with range_end [0] is etcd's spelling of "all keys".
    if (key.length === 0) return { key: Buffer.from([0]), rangeEnd: Buffer.from([0]) };
    return { key, rangeEnd: prefixEnd(key) };
  }

  /** The part of `range(prefix)` after `startAfter` (exclusive); undefined when nothing of the range is left. */
  rangeAfter(prefix: string, startAfter: string | undefined): KeyRange | undefined {
    const range = this.range(prefix);
    if (startAfter === undefined || startAfter === '') return range;
    const next = Buffer.concat([this.encode(startAfter), Buffer.from([0])]); // the smallest key greater than startAfter
    const key = Buffer.compare(next, range.key) > 0 ? next : range.key;
    const open = range.rangeEnd.length === 1 && range.rangeEnd[0] === 0;
    if (!open && Buffer.compare(key, range.rangeEnd) >= 0) return undefined;
    return { key, rangeEnd: range.rangeEnd };
  }

  toKeyValue(kv: IKeyValue): KeyValue {
    return {
      key: this.decode(kv.key),
      value: kv.value.toString('utf8'),
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
    };
  }
}

/** The smallest key greater than every key that starts with `prefix` ([0] when there is none: the end of the keyspace). */
export function prefixEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i]! < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i]! += 1;
      return end;
    }
  }
  return Buffer.from([0]);
}
