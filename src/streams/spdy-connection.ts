/**
 * A SPDY/3.1 connection over any byte Duplex (a TCP/TLS socket after an HTTP upgrade, or a WebSocket
 * unwrapped into bytes), in the client or the server role, compatible with moby/spdystream — the library
 * kubectl, the kubelet and containerd's CRI stream server use.
 *
 *   const conn = new SpdyConnection(socket, { role: 'client' });
 *   const stdout = await conn.openStream({ streamtype: 'stdout' });   // resolves on the peer's SYN_REPLY
 *   stdout.on('data', (b) => …);
 *
 *   const server = new SpdyConnection(socket, { role: 'server' });
 *   server.on('stream', (s) => { s.reply(); s.pipe(s); });           // an echo server
 *
 * Flow control: spdystream neither sends WINDOW_UPDATE nor honours it (both are ignored as "unhandled
 * frame types"), so this connection does the same: it never limits what it sends, never sends WINDOW_UPDATE,
 * and ignores SETTINGS/WINDOW_UPDATE. Backpressure is TCP's: when a stream's reader falls behind, the whole
 * socket pauses (spdystream blocks its frame reader the same way).
 *
 * PINGs from the peer (the id parity differs from ours) are echoed; `ping()` sends our own.
 */
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import {
  FLAG_FIN,
  FLAG_UNIDIRECTIONAL,
  RstStatus,
  SpdyFrameParser,
  encodeDataFrameParts,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  encodeSynStream,
  type SpdyFrame,
} from './spdy-frames.ts';
import { HeaderDeflater, HeaderInflater, decodeHeaderBlock, encodeHeaderBlock, type SpdyHeaders } from './spdy-headers.ts';

export interface SpdyConnectionOptions {
  role: 'client' | 'server';
  /** Largest DATA payload this side sends per frame (default 64 KiB). */
  maxDataFrame?: number;
  /** Read buffer per stream before the socket pauses (default 256 KiB). */
  streamHighWaterMark?: number;
}

export interface OpenStreamOptions {
  /** Send SYN_STREAM with FIN: nothing will be written on the stream. */
  fin?: boolean;
  /** Reject when no SYN_REPLY arrives in time (default: wait forever, as spdystream's Wait does). */
  replyTimeoutMs?: number;
}

/** One SPDY stream as a Duplex: reads are the peer's DATA, writes become DATA frames, end() sends FIN. */
export class SpdyStream extends Duplex {
  /** For streams the peer opened: its SYN_STREAM headers. For ours: the headers we sent. */
  readonly headers: SpdyHeaders;
  /** Headers of the peer's SYN_REPLY (streams we opened). */
  replyHeaders: SpdyHeaders | undefined;
  /** Set when a RST_STREAM ended the stream (received or sent): its status code. */
  resetStatus: number | undefined;
  /** Set when the peer reset the stream (as opposed to us). */
  resetByPeer = false;
  private ready: boolean;
  private pending: { chunk: Buffer; cb: (err?: Error | null) => void }[] = [];
  private pendingFinal: ((err?: Error | null) => void) | undefined;
  localFin = false;
  remoteFin = false;
  private gone = false;

  constructor(
    private readonly conn: SpdyConnection,
    readonly id: number,
    headers: SpdyHeaders,
    opts: { ready: boolean; highWaterMark: number },
  ) {
    super({ readableHighWaterMark: opts.highWaterMark, writableHighWaterMark: opts.highWaterMark, allowHalfOpen: true });
    this.headers = headers;
    this.ready = opts.ready;
  }

  /** Answers a stream the peer opened (servers must reply before the peer may send). */
  reply(headers: Record<string, string | string[]> = {}, fin = false): void {
    if (this.ready || this.gone) return;
    this.conn._sendReply(this, headers, fin);
    if (fin) this.localFin = true;
    this._markReady();
  }

  /** Aborts the stream with RST_STREAM (default CANCEL). */
  reset(status: number = RstStatus.CANCEL): void {
    if (this.gone) return;
    this.conn._sendReset(this, status);
    this._terminate(status, false);
  }

  /** True once the stream is finished in both directions or reset. */
  get finished(): boolean {
    return this.gone;
  }

  // ---- internals used by SpdyConnection ----

  _markReady(): void {
    this.ready = true;
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) this.conn._writeData(this, p.chunk, p.cb);
    if (this.pendingFinal) {
      const cb = this.pendingFinal;
      this.pendingFinal = undefined;
      this._final(cb);
    }
  }

  _remoteData(data: Buffer): void {
    if (this.remoteFin || this.gone) return;
    if (data.length && !this.push(data)) this.conn._block(this);
  }

  _remoteFin(): void {
    if (this.remoteFin) return;
    this.remoteFin = true;
    this.push(null);
    this._maybeDone();
  }

  /** Reset (either way) or connection loss: end the readable side, drop further writes. */
  _terminate(status: number | undefined, byPeer: boolean): void {
    if (this.gone) return;
    this.gone = true;
    this.resetStatus = status;
    this.resetByPeer = byPeer;
    if (!this.remoteFin) {
      this.remoteFin = true;
      this.push(null);
    }
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) p.cb();
    if (this.pendingFinal) {
      const cb = this.pendingFinal;
      this.pendingFinal = undefined;
      cb();
    }
    this.conn._forget(this);
    if (status !== undefined) this.emit('reset', status, byPeer);
  }

  _maybeDone(): void {
    if (this.localFin && this.remoteFin && !this.gone) {
      this.gone = true;
      this.conn._forget(this);
    }
  }

  override _read(): void {
    this.conn._unblock(this);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.gone || this.localFin) return cb();
    if (!this.ready) {
      this.pending.push({ chunk, cb });
      return;
    }
    this.conn._writeData(this, chunk, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (this.gone || this.localFin) return cb();
    if (!this.ready) {
      this.pendingFinal = cb;
      return;
    }
    this.localFin = true;
    this.conn._sendFin(this);
    this._maybeDone();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.gone) {
      if (this.remoteFin) {
        // The peer is done and we stopped (e.g. a for-await loop finished: it destroys with an AbortError while
        // our side is still open): forget the stream without a frame. A RST here makes containerd's stream
        // server drop an exec session before it writes the Status (seen 5 times in 30 runs); kubectl never
        // sends one at that point. Call end() to half-close explicitly, reset() to abort.
        this.localFin = true;
        this._maybeDone();
      } else {
        if (!this.conn.closed) this.conn._sendReset(this, RstStatus.CANCEL);
        this._terminate(RstStatus.CANCEL, false);
      }
    }
    this.conn._unblock(this);
    cb(err);
  }
}

interface PendingOpen {
  resolve: (s: SpdyStream) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

export class SpdyConnection extends EventEmitter {
  readonly role: 'client' | 'server';
  private readonly parser = new SpdyFrameParser();
  private readonly deflater = new HeaderDeflater();
  private readonly inflater = new HeaderInflater();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly opening = new Map<number, PendingOpen>();
  private readonly pings = new Map<number, { resolve: (ms: number) => void; reject: (e: Error) => void; t0: number }>();
  private readonly blocked = new Set<SpdyStream>();
  private readonly drainWaiters: (() => void)[] = [];
  private readonly maxDataFrame: number;
  private readonly hwm: number;
  private nextStreamId: number;
  private nextPingId: number;
  private lastPeerStreamId = 0;
  private queue: SpdyFrame[] = [];
  private inflating = false;
  private goneAway = false;
  private peerGoneAway = false;
  closed = false;
  /** Resolves when the underlying socket is gone (with the error that ended it, if any). */
  readonly done: Promise<Error | undefined>;
  private resolveDone!: (e: Error | undefined) => void;

  constructor(
    readonly socket: Duplex,
    opts: SpdyConnectionOptions,
  ) {
    super();
    this.role = opts.role;
    this.maxDataFrame = opts.maxDataFrame ?? 64 * 1024;
    this.hwm = opts.streamHighWaterMark ?? 256 * 1024;
    this.nextStreamId = this.role === 'client' ? 1 : 2;
    this.nextPingId = this.role === 'client' ? 1 : 2;
    this.done = new Promise((r) => (this.resolveDone = r));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      const waiters = this.drainWaiters.splice(0);
      for (const w of waiters) w();
    });
    socket.on('end', () => this.shutdown(undefined));
    socket.on('close', () => this.shutdown(undefined));
    socket.on('error', (err: Error) => this.shutdown(err));
  }

  /** Opens a stream; resolves once the peer's SYN_REPLY arrives, rejects on RST_STREAM or connection loss. */
  openStream(headers: Record<string, string | string[]>, opts: OpenStreamOptions = {}): Promise<SpdyStream> {
    if (this.closed) return Promise.reject(new Error('SPDY connection is closed'));
    if (this.peerGoneAway || this.goneAway) return Promise.reject(new Error('SPDY connection is going away: no new streams'));
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const norm: SpdyHeaders = {};
    for (const [k, v] of Object.entries(headers)) norm[k.toLowerCase()] = Array.isArray(v) ? v.join('\0') : v;
    const stream = new SpdyStream(this, id, norm, { ready: false, highWaterMark: this.hwm });
    this.streams.set(id, stream);
    if (opts.fin) stream.localFin = true;
    const p = new Promise<SpdyStream>((resolve, reject) => {
      const pending: PendingOpen = { resolve, reject };
      if (opts.replyTimeoutMs) {
        pending.timer = setTimeout(() => {
          this.opening.delete(id);
          stream.reset(RstStatus.CANCEL);
          reject(new Error(`SPDY stream ${id} (${JSON.stringify(norm)}): no reply within ${opts.replyTimeoutMs} ms`));
        }, opts.replyTimeoutMs);
      }
      this.opening.set(id, pending);
    });
    this.writeRaw(encodeSynStream(id, this.deflater.deflate(encodeHeaderBlock(headers)), { flags: opts.fin ? FLAG_FIN : 0 }));
    return p;
  }

  /** Sends a PING and resolves with the round trip in ms. */
  ping(timeoutMs = 10_000): Promise<number> {
    if (this.closed) return Promise.reject(new Error('SPDY connection is closed'));
    const id = this.nextPingId;
    this.nextPingId = this.nextPingId > 0x7ffffffd ? (this.role === 'client' ? 1 : 2) : this.nextPingId + 2;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pings.delete(id);
        reject(new Error(`SPDY ping ${id}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pings.set(id, {
        resolve: (ms) => {
          clearTimeout(timer);
          resolve(ms);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
        t0: performance.now(),
      });
      this.writeRaw(encodePing(id));
    });
  }

  /** Sends GOAWAY: the peer must open no more streams; existing ones continue. */
  goAway(status = 0): void {
    if (this.goneAway || this.closed) return;
    this.goneAway = true;
    this.writeRaw(encodeGoAway(this.lastPeerStreamId, status));
  }

  /** GOAWAY, then close the socket (after what is queued has been written). */
  close(): void {
    if (this.closed) return;
    this.goAway();
    this.socket.end();
  }

  destroy(err?: Error): void {
    this.socket.destroy();
    this.shutdown(err);
  }

  get activeStreams(): number {
    return this.streams.size;
  }

  // ---- frame input ----

  private onData(chunk: Buffer): void {
    let frames: SpdyFrame[];
    try {
      frames = this.parser.push(chunk);
    } catch (err) {
      this.destroy(err as Error);
      return;
    }
    for (const f of frames) this.queue.push(f);
    this.processQueue();
  }

  private processQueue(): void {
    while (!this.inflating && this.queue.length && !this.closed) {
      const f = this.queue[0]!;
      if ((f.type === 'syn_stream' || f.type === 'syn_reply' || f.type === 'headers') && f.headerBlock.length) {
        this.inflating = true;
        this.inflater.inflate(f.headerBlock).then(
          (raw) => {
            this.inflating = false;
            this.queue.shift();
            try {
              this.handle(f, decodeHeaderBlock(raw));
            } catch (err) {
              this.destroy(err as Error);
              return;
            }
            this.processQueue();
          },
          (err: Error) => {
            this.inflating = false;
            this.destroy(err);
          },
        );
        return;
      }
      this.queue.shift();
      try {
        this.handle(f, {});
      } catch (err) {
        this.destroy(err as Error);
        return;
      }
    }
  }

  private handle(f: SpdyFrame, headers: SpdyHeaders): void {
    switch (f.type) {
      case 'data': {
        const s = this.streams.get(f.streamId);
        if (!s) return; // already gone (spdystream ignores these too)
        s._remoteData(f.data);
        if (f.flags & FLAG_FIN) s._remoteFin();
        return;
      }
      case 'syn_stream':
        return this.onSynStream(f.streamId, f.flags, headers);
      case 'syn_reply': {
        const s = this.streams.get(f.streamId);
        const pending = this.opening.get(f.streamId);
        if (!s || !pending) return;
        this.opening.delete(f.streamId);
        if (pending.timer) clearTimeout(pending.timer);
        s.replyHeaders = headers;
        s._markReady();
        if (f.flags & FLAG_FIN) s._remoteFin();
        pending.resolve(s);
        return;
      }
      case 'headers': {
        const s = this.streams.get(f.streamId);
        if (s) {
          s.emit('headers', headers);
          if (f.flags & FLAG_FIN) s._remoteFin();
        }
        return;
      }
      case 'rst_stream': {
        const s = this.streams.get(f.streamId);
        const pending = this.opening.get(f.streamId);
        if (pending) {
          this.opening.delete(f.streamId);
          if (pending.timer) clearTimeout(pending.timer);
          pending.reject(new Error(`SPDY stream ${f.streamId} (${JSON.stringify(s?.headers ?? {})}) was refused: RST_STREAM status ${f.status}`));
        }
        s?._terminate(f.status, true);
        return;
      }
      case 'ping': {
        const mine = (f.id & 1) === (this.role === 'client' ? 1 : 0);
        if (!mine) {
          this.writeRaw(encodePing(f.id));
          this.emit('ping', f.id);
          return;
        }
        const p = this.pings.get(f.id);
        if (p) {
          this.pings.delete(f.id);
          p.resolve(performance.now() - p.t0);
        }
        return;
      }
      case 'goaway':
        this.peerGoneAway = true;
        this.emit('goaway', f.lastGoodStreamId, f.status);
        return;
      case 'settings':
      case 'window_update':
      case 'unknown':
        return; // no flow control (see the file comment)
    }
  }

  private onSynStream(id: number, flags: number, headers: SpdyHeaders): void {
    const peerParity = this.role === 'client' ? 0 : 1;
    if (id === 0 || (id & 1) !== peerParity || id <= this.lastPeerStreamId) {
      this.writeRaw(encodeRstStream(id, RstStatus.PROTOCOL_ERROR));
      return;
    }
    this.lastPeerStreamId = id;
    if (this.goneAway) {
      this.writeRaw(encodeRstStream(id, RstStatus.REFUSED_STREAM));
      return;
    }
    const s = new SpdyStream(this, id, headers, { ready: false, highWaterMark: this.hwm });
    this.streams.set(id, s);
    if (flags & FLAG_UNIDIRECTIONAL) s.localFin = true;
    if (flags & FLAG_FIN) s._remoteFin();
    if (this.listenerCount('stream') === 0) {
      s.reset(RstStatus.REFUSED_STREAM);
      return;
    }
    this.emit('stream', s);
  }

  // ---- output, used by SpdyStream ----

  private writeRaw(buf: Buffer | Buffer[]): boolean {
    if (this.closed || this.socket.destroyed || !this.socket.writable) return true;
    if (Array.isArray(buf)) {
      let ok = true;
      for (const b of buf) ok = this.socket.write(b);
      return ok;
    }
    return this.socket.write(buf);
  }

  _writeData(s: SpdyStream, chunk: Buffer, cb: (err?: Error | null) => void): void {
    let ok = true;
    for (let off = 0; off < chunk.length; off += this.maxDataFrame) {
      const part = chunk.subarray(off, Math.min(chunk.length, off + this.maxDataFrame));
      ok = this.writeRaw(encodeDataFrameParts(s.id, part));
    }
    if (ok || this.closed) cb();
    else this.drainWaiters.push(() => cb());
  }

  _sendFin(s: SpdyStream): void {
    this.writeRaw(encodeDataFrameParts(s.id, Buffer.alloc(0), FLAG_FIN));
  }

  _sendReply(s: SpdyStream, headers: Record<string, string | string[]>, fin: boolean): void {
    this.writeRaw(encodeSynReply(s.id, this.deflater.deflate(encodeHeaderBlock(headers)), fin ? FLAG_FIN : 0));
  }

  _sendReset(s: SpdyStream, status: number): void {
    this.writeRaw(encodeRstStream(s.id, status));
  }

  _forget(s: SpdyStream): void {
    this.streams.delete(s.id);
    this._unblock(s);
  }

  _block(s: SpdyStream): void {
    this.blocked.add(s);
    this.socket.pause();
  }

  _unblock(s: SpdyStream): void {
    if (this.blocked.delete(s) && this.blocked.size === 0 && !this.closed) this.socket.resume();
  }

  private shutdown(err: Error | undefined): void {
    if (this.closed) return;
    // Frames already parsed still get delivered (the peer's last DATA and FIN often arrive with the close).
    if (this.inflating || this.queue.length) {
      const wait = () => {
        if (this.inflating || this.queue.length) setImmediate(wait);
        else this.finishShutdown(err);
      };
      setImmediate(wait);
      return;
    }
    this.finishShutdown(err);
  }

  private finishShutdown(err: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    const e = err ?? new Error('SPDY connection closed');
    for (const [id, p] of this.opening) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new Error(`SPDY stream ${id}: connection closed before the reply (${e.message})`));
    }
    this.opening.clear();
    for (const p of this.pings.values()) p.reject(e);
    this.pings.clear();
    for (const s of [...this.streams.values()]) s._terminate(undefined, true);
    this.streams.clear();
    this.blocked.clear();
    const waiters = this.drainWaiters.splice(0);
    for (const w of waiters) w();
    this.inflater.close();
    if (!this.socket.destroyed) {
      if (err) this.socket.destroy();
      else this.socket.end(); // flush what is queued; the socket closes once both sides have ended
    }
    this.emit('close', err);
    this.resolveDone(err);
  }
}

