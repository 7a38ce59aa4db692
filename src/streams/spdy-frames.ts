/**
 * SPDY/3.1 frame encoding and incremental decoding (no header compression here: header blocks stay as the
 * compressed bytes; `spdy-headers.ts` turns them into name/value pairs).
 *
 *   const parser = new SpdyFrameParser();
 *   socket.on('data', (chunk) => { for (const f of parser.push(chunk)) handle(f); });
 *   socket.write(encodeDataFrame(1, Buffer.from('hi'), FLAG_FIN));
 *
 * Layouts (all big-endian):
 *   control: 1|version(15)=3|type(16) flags(8)|length(24) payload
 *   data:    0|streamId(31)          flags(8)|length(24) payload
 */

export const SPDY_VERSION = 3;

export const FrameType = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

/** FIN on DATA, SYN_STREAM, SYN_REPLY and HEADERS. */
export const FLAG_FIN = 0x01;
/** UNIDIRECTIONAL on SYN_STREAM. */
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes. */
export const RstStatus = {
  PROTOCOL_ERROR: 1,
  INVALID_STREAM: 2,
  REFUSED_STREAM: 3,
  UNSUPPORTED_VERSION: 4,
  CANCEL: 5,
  INTERNAL_ERROR: 6,
  FLOW_CONTROL_ERROR: 7,
  STREAM_IN_USE: 8,
  STREAM_ALREADY_CLOSED: 9,
  FRAME_TOO_LARGE: 11,
} as const;

/** Largest payload a frame can carry (24-bit length). */
export const MAX_FRAME_PAYLOAD = 0xffffff;

export type SpdyFrame =
  | { type: 'data'; streamId: number; flags: number; data: Buffer }
  | { type: 'syn_stream'; streamId: number; associatedTo: number; priority: number; slot: number; flags: number; headerBlock: Buffer }
  | { type: 'syn_reply'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; flags: number; entries: { flags: number; id: number; value: number }[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'headers'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'window_update'; streamId: number; delta: number }
  | { type: 'unknown'; frameType: number; flags: number; payload: Buffer };

export class SpdyProtocolError extends Error {
  constructor(message: string) {
    super(`SPDY protocol error: ${message}`);
    this.name = 'SpdyProtocolError';
  }
}

function controlHeader(type: number, flags: number, length: number): Buffer {
  if (length > MAX_FRAME_PAYLOAD) throw new RangeError(`SPDY control frame type ${type}: payload ${length} bytes exceeds ${MAX_FRAME_PAYLOAD}`);
  const h = Buffer.allocUnsafe(8);
  h.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE(((flags & 0xff) << 24 | length) >>> 0, 4);
  return h;
}

function checkStreamId(streamId: number): void {
  if (!Number.isInteger(streamId) || streamId < 0 || streamId > 0x7fffffff) throw new RangeError(`SPDY stream id out of range: ${streamId}`);
}

/** DATA frame header + payload as one buffer (or two chunks for large payloads: see `encodeDataFrameParts`). */
export function encodeDataFrame(streamId: number, data: Buffer, flags = 0): Buffer {
  return Buffer.concat(encodeDataFrameParts(streamId, data, flags));
}

/** DATA frame as [header, payload] so large payloads are not copied. */
export function encodeDataFrameParts(streamId: number, data: Buffer, flags = 0): Buffer[] {
  checkStreamId(streamId);
  if (data.length > MAX_FRAME_PAYLOAD) throw new RangeError(`SPDY data frame on stream ${streamId}: ${data.length} bytes exceeds ${MAX_FRAME_PAYLOAD}`);
  const h = Buffer.allocUnsafe(8);
  h.writeUInt32BE(streamId, 0);
  h.writeUInt32BE(((flags & 0xff) << 24 | data.length) >>> 0, 4);
  return data.length ? [h, data] : [h];
}

export function encodeSynStream(streamId: number, headerBlock: Buffer, opts: { flags?: number; associatedTo?: number; priority?: number; slot?: number } = {}): Buffer {
  checkStreamId(streamId);
  const body = Buffer.allocUnsafe(10);
  body.writeUInt32BE(streamId, 0);
  body.writeUInt32BE(opts.associatedTo ?? 0, 4);
  body.writeUInt8(((opts.priority ?? 0) & 0x7) << 5, 8);
  body.writeUInt8(opts.slot ?? 0, 9);
  return Buffer.concat([controlHeader(FrameType.SYN_STREAM, opts.flags ?? 0, 10 + headerBlock.length), body, headerBlock]);
}

export function encodeSynReply(streamId: number, headerBlock: Buffer, flags = 0): Buffer {
  checkStreamId(streamId);
  const body = Buffer.allocUnsafe(4);
  body.writeUInt32BE(streamId, 0);
  return Buffer.concat([controlHeader(FrameType.SYN_REPLY, flags, 4 + headerBlock.length), body, headerBlock]);
}

export function encodeHeaders(streamId: number, headerBlock: Buffer, flags = 0): Buffer {
  checkStreamId(streamId);
  const body = Buffer.allocUnsafe(4);
  body.writeUInt32BE(streamId, 0);
  return Buffer.concat([controlHeader(FrameType.HEADERS, flags, 4 + headerBlock.length), body, headerBlock]);
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  checkStreamId(streamId);
  const f = controlHeader(FrameType.RST_STREAM, 0, 8);
  const body = Buffer.allocUnsafe(8);
  body.writeUInt32BE(streamId, 0);
  body.writeUInt32BE(status >>> 0, 4);
  return Buffer.concat([f, body]);
}

export function encodeSettings(entries: { flags?: number; id: number; value: number }[], flags = 0): Buffer {
  const body = Buffer.allocUnsafe(4 + 8 * entries.length);
  body.writeUInt32BE(entries.length, 0);
  entries.forEach((e, i) => {
    body.writeUInt32BE((((e.flags ?? 0) & 0xff) << 24 | (e.id & 0xffffff)) >>> 0, 4 + 8 * i);
    body.writeUInt32BE(e.value >>> 0, 8 + 8 * i);
  });
  return Buffer.concat([controlHeader(FrameType.SETTINGS, flags, body.length), body]);
}

export function encodePing(id: number): Buffer {
  const body = Buffer.allocUnsafe(4);
  body.writeUInt32BE(id >>> 0, 0);
  return Buffer.concat([controlHeader(FrameType.PING, 0, 4), body]);
}

export function encodeGoAway(lastGoodStreamId: number, status = 0): Buffer {
  const body = Buffer.allocUnsafe(8);
  body.writeUInt32BE(lastGoodStreamId & 0x7fffffff, 0);
  body.writeUInt32BE(status >>> 0, 4);
  return Buffer.concat([controlHeader(FrameType.GOAWAY, 0, 8), body]);
}

export function encodeWindowUpdate(streamId: number, delta: number): Buffer {
  checkStreamId(streamId);
  const body = Buffer.allocUnsafe(8);
  body.writeUInt32BE(streamId, 0);
  body.writeUInt32BE(delta & 0x7fffffff, 4);
  return Buffer.concat([controlHeader(FrameType.WINDOW_UPDATE, 0, 8), body]);
}

function need(payload: Buffer, n: number, what: string): void {
  if (payload.length < n) throw new SpdyProtocolError(`${what} frame payload is ${payload.length} bytes, needs at least ${n}`);
}

/** Decodes one control frame's payload. */
export function decodeControlFrame(type: number, flags: number, payload: Buffer): SpdyFrame {
  switch (type) {
    case FrameType.SYN_STREAM:
      need(payload, 10, 'SYN_STREAM');
      return {
        type: 'syn_stream',
        streamId: payload.readUInt32BE(0) & 0x7fffffff,
        associatedTo: payload.readUInt32BE(4) & 0x7fffffff,
        priority: payload[8]! >> 5,
        slot: payload[9]!,
        flags,
        headerBlock: payload.subarray(10),
      };
    case FrameType.SYN_REPLY:
      need(payload, 4, 'SYN_REPLY');
      return { type: 'syn_reply', streamId: payload.readUInt32BE(0) & 0x7fffffff, flags, headerBlock: payload.subarray(4) };
    case FrameType.HEADERS:
      need(payload, 4, 'HEADERS');
      return { type: 'headers', streamId: payload.readUInt32BE(0) & 0x7fffffff, flags, headerBlock: payload.subarray(4) };
    case FrameType.RST_STREAM:
      need(payload, 8, 'RST_STREAM');
      return { type: 'rst_stream', streamId: payload.readUInt32BE(0) & 0x7fffffff, status: payload.readUInt32BE(4) };
    case FrameType.SETTINGS: {
      need(payload, 4, 'SETTINGS');
      const n = payload.readUInt32BE(0);
      need(payload, 4 + 8 * n, 'SETTINGS');
      const entries = [];
      for (let i = 0; i < n; i++) {
        const idf = payload.readUInt32BE(4 + 8 * i);
        entries.push({ flags: idf >>> 24, id: idf & 0xffffff, value: payload.readUInt32BE(8 + 8 * i) });
      }
      return { type: 'settings', flags, entries };
    }
    case FrameType.PING:
      need(payload, 4, 'PING');
      return { type: 'ping', id: payload.readUInt32BE(0) };
    case FrameType.GOAWAY:
      need(payload, 4, 'GOAWAY');
      return { type: 'goaway', lastGoodStreamId: payload.readUInt32BE(0) & 0x7fffffff, status: payload.length >= 8 ? payload.readUInt32BE(4) : 0 };
    case FrameType.WINDOW_UPDATE:
      need(payload, 8, 'WINDOW_UPDATE');
      return { type: 'window_update', streamId: payload.readUInt32BE(0) & 0x7fffffff, delta: payload.readUInt32BE(4) & 0x7fffffff };
    default:
      return { type: 'unknown', frameType: type, flags, payload };
  }
}

/**
 * Incremental frame parser: push bytes as they arrive, get whole frames back. Keeps chunks in a list so a
 * 100 MB transfer costs one copy per frame at most (none when a frame lies within one chunk).
 */
export class SpdyFrameParser {
  private chunks: Buffer[] = [];
  private length = 0;

  /** Bytes buffered but not yet part of a whole frame. */
  get buffered(): number {
    return this.length;
  }

  push(chunk: Buffer): SpdyFrame[] {
    if (chunk.length) {
      this.chunks.push(chunk);
      this.length += chunk.length;
    }
    const frames: SpdyFrame[] = [];
    while (this.length >= 8) {
      const head = this.peek(8);
      const len = head.readUInt32BE(4) & 0xffffff;
      if (this.length < 8 + len) break;
      const flags = head[4]!;
      const first = head.readUInt32BE(0);
      this.take(8);
      const payload = this.take(len);
      if (first & 0x80000000) {
        const version = (first >>> 16) & 0x7fff;
        if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported version ${version} in a control frame`);
        frames.push(decodeControlFrame(first & 0xffff, flags, payload));
      } else {
        frames.push({ type: 'data', streamId: first & 0x7fffffff, flags, data: payload });
      }
    }
    return frames;
  }

  /** The first n bytes (n <= length); merges only the leading chunks needed, so tiny chunks stay cheap. */
  private peek(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    let got = 0;
    let i = 0;
    while (got < n) got += this.chunks[i++]!.length;
    const merged = Buffer.concat(this.chunks.slice(0, i), got);
    this.chunks.splice(0, i, merged);
    return merged.subarray(0, n);
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    this.length -= n;
    const first = this.chunks[0]!;
    if (first.length > n) {
      this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    if (first.length === n) {
      this.chunks.shift();
      return first;
    }
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    let i = 0;
    while (off < n) {
      const c = this.chunks[i]!;
      const k = Math.min(c.length, n - off);
      c.copy(out, off, 0, k);
      off += k;
      if (k === c.length) i++;
      else this.chunks[i] = c.subarray(k);
    }
    this.chunks.splice(0, i);
    return out;
  }
}
