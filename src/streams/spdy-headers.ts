/**
 * SPDY/3 header blocks: the name/value block layout and its zlib compression with the SPDY/3 dictionary.
 * There is ONE compression context per direction for the whole connection, so keep one `HeaderDeflater` for
 * what you send and one `HeaderInflater` for what you receive, per connection.
 *
 *   const out = new HeaderDeflater();
 *   socket.write(encodeSynStream(1, out.deflate(encodeHeaderBlock({ streamtype: 'error' }))));
 *   const inn = new HeaderInflater();
 *   const headers = decodeHeaderBlock(await inn.inflate(frame.headerBlock));   // { streamtype: 'error' }
 *
 * Outbound blocks are written as zlib *stored* blocks, each followed by the sync marker `00 00 00 ff ff`
 * (an empty stored block): no deflate state, valid zlib for every reader. Go's flate reader (kubectl,
 * containerd's stream server) only hands over a block's bytes once it has seen the marker.
 * Inbound blocks go through a real zlib inflate stream kept open across frames (Z_SYNC_FLUSH per block).
 */
import { constants, createInflate, type Inflate } from 'node:zlib';

const WORDS = [
  'options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset', 'accept-encoding', 'accept-language',
  'accept-ranges', 'age', 'allow', 'authorization', 'cache-control', 'connection', 'content-base', 'content-encoding',
  'content-language', 'content-length', 'content-location', 'content-md5', 'content-range', 'content-type', 'date', 'etag',
  'expect', 'expires', 'from', 'host', 'if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since',
  'last-modified', 'location', 'max-forwards', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'range', 'referer',
  'retry-after', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary', 'via', 'warning',
  'www-authenticate', 'method', 'get', 'status', '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie', 'keep-alive',
  'origin',
];
const TAIL =
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
  '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized' +
  '403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable' +
  'Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT' +
  'chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,' +
  'text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';

function buildDictionary(): Buffer {
  const parts: Buffer[] = [];
  for (const w of WORDS) {
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32BE(w.length, 0);
    parts.push(len, Buffer.from(w, 'latin1'));
  }
  parts.push(Buffer.from(TAIL, 'latin1'));
  return Buffer.concat(parts);
}

/** The SPDY/3 header compression dictionary (1423 bytes, as in the draft-3 spec and moby/spdystream). */
export const SPDY3_DICTIONARY: Buffer = buildDictionary();

export function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  const MOD = 65521;
  for (let i = 0; i < buf.length; ) {
    const end = Math.min(buf.length, i + 3800);
    for (; i < end; i++) {
      a += buf[i]!;
      b += a;
    }
    a %= MOD;
    b %= MOD;
  }
  return ((b << 16) | a) >>> 0;
}

/** Header names are lowercase on the wire (Go's reader rejects others); multiple values are NUL-joined. */
export type SpdyHeaders = Record<string, string>;

export function encodeHeaderBlock(headers: Record<string, string | string[]>): Buffer {
  const pairs = Object.entries(headers).map(([k, v]) => [Buffer.from(k.toLowerCase(), 'utf8'), Buffer.from(Array.isArray(v) ? v.join('\0') : v, 'utf8')] as const);
  const size = 4 + pairs.reduce((n, [k, v]) => n + 8 + k.length + v.length, 0);
  const out = Buffer.allocUnsafe(size);
  out.writeUInt32BE(pairs.length, 0);
  let off = 4;
  for (const [k, v] of pairs) {
    out.writeUInt32BE(k.length, off);
    k.copy(out, off + 4);
    off += 4 + k.length;
    out.writeUInt32BE(v.length, off);
    v.copy(out, off + 4);
    off += 4 + v.length;
  }
  return out;
}

/** Parses an uncompressed block; repeated values stay NUL-joined (`a\0b`). */
export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const fail = (why: string): never => {
    throw new Error(`SPDY header block (${block.length} bytes): ${why}`);
  };
  if (block.length < 4) fail('shorter than its pair count');
  const n = block.readUInt32BE(0);
  const headers: SpdyHeaders = {};
  let off = 4;
  const str = (): string => {
    if (off + 4 > block.length) fail('truncated length');
    const len = block.readUInt32BE(off);
    if (off + 4 + len > block.length) fail(`string of ${len} bytes runs past the end`);
    const s = block.toString('utf8', off + 4, off + 4 + len);
    off += 4 + len;
    return s;
  };
  for (let i = 0; i < n; i++) {
    const name = str();
    const value = str();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}\0${value}`;
  }
  return headers;
}

const SYNC_MARKER = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

/** Outbound compression context (stored blocks + sync marker; see the file comment). */
export class HeaderDeflater {
  private started = false;

  deflate(raw: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      // CMF 0x78 (deflate, 32 KiB window), FLG 0x20 (FDICT; 0x7820 % 31 == 0), then the dictionary's adler32.
      const zhead = Buffer.from([0x78, 0x20, 0, 0, 0, 0]);
      zhead.writeUInt32BE(adler32(SPDY3_DICTIONARY), 2);
      parts.push(zhead);
      this.started = true;
    }
    for (let off = 0; off < raw.length; off += 0xffff) {
      const chunk = raw.subarray(off, Math.min(raw.length, off + 0xffff));
      const h = Buffer.allocUnsafe(5);
      h[0] = 0x00; // BFINAL=0, BTYPE=00 (stored)
      h.writeUInt16LE(chunk.length, 1);
      h.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(h, chunk);
    }
    parts.push(SYNC_MARKER);
    return Buffer.concat(parts);
  }
}

/** Inbound decompression context: one zlib stream for the connection, flushed per header block. */
export class HeaderInflater {
  private readonly z: Inflate;
  private collected: Buffer[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;

  constructor() {
    this.z = createInflate({ dictionary: SPDY3_DICTIONARY });
    this.z.on('data', (c: Buffer) => this.collected.push(c));
    this.z.on('error', (err: Error) => {
      this.failure = new Error(`SPDY header decompression failed: ${err.message}`);
    });
  }

  /** Inflates one block; calls are serialised, so blocks come back in the order they were given. */
  inflate(block: Buffer): Promise<Buffer> {
    const p = this.queue.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          if (this.failure) return reject(this.failure);
          const onError = () => reject(this.failure);
          this.z.once('error', onError);
          this.z.write(block);
          this.z.flush(constants.Z_SYNC_FLUSH, () => {
            this.z.off('error', onError);
            if (this.failure) return reject(this.failure);
            const out = Buffer.concat(this.collected);
            this.collected = [];
            resolve(out);
          });
        }),
    );
    this.queue = p.catch(() => {});
    return p;
  }

  close(): void {
    this.z.close();
  }
}
