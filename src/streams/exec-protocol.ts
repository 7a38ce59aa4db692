/**
 * The remotecommand protocol (exec and attach) in its two shapes, and the translator between them.
 *
 * WebSocket (`v5.channel.k8s.io`, also `v4.channel.k8s.io`): binary messages whose first byte is the channel:
 *   0 stdin (client → server), 1 stdout, 2 stderr, 3 status (one JSON metav1.Status, server → client),
 *   4 resize (client → server, `{"Width":…,"Height":…}`), 255 close (v5 only: `[255, 0]` = stdin reached EOF).
 * SPDY/3.1 (`v4.channel.k8s.io`): one SPDY stream per channel, named by the `streamtype` header:
 *   error, stdin, stdout, stderr, resize. The server writes the Status JSON on `error`, then resets everything.
 *
 *   // API server, kubectl sent a v5 websocket; the backend (agent / containerd) speaks SPDY:
 *   const backend = await dialSpdyUpgrade(target, [EXEC_SPDY_PROTOCOL]);
 *   wss.handleUpgrade(req, socket, head, (ws) =>
 *     bridgeWebSocketToSpdy(ws, new SpdyConnection(backend.socket, { role: 'client' }), { ...parseExecStreamOptions(query), protocol: ws.protocol }));
 */
import type { WebSocket } from 'ws';
import type { SpdyConnection, SpdyStream } from './spdy-connection.ts';

export const WS_CHANNEL = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4, close: 255 } as const;

/** WebSocket subprotocols we accept for exec/attach, in order of preference. */
export const EXEC_WS_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
/** What the translator asks of a SPDY backend (containerd 1.6 answers v4; v4 carries the Status JSON). */
export const EXEC_SPDY_PROTOCOL = 'v4.channel.k8s.io';

/** SPDY `streamtype` header values. */
export const STREAM_TYPE = { error: 'error', stdin: 'stdin', stdout: 'stdout', stderr: 'stderr', resize: 'resize' } as const;

export interface ExecStreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

const truthy = (v: string | null) => v === 'true' || v === '1';

/**
 * The stream options of an exec/attach request (`stdin=true&stdout=true&stderr=true&tty=true`; kubelet-style
 * `=1` works too). As in the kubelet, a TTY merges stderr into stdout, so `stderr` is false under `tty`.
 * Throws when no stream was asked for (the kubelet's "you must specify at least 1 of stdin, stdout, stderr").
 */
export function parseExecStreamOptions(query: URLSearchParams): ExecStreamOptions {
  const tty = truthy(query.get('tty'));
  const opts = { stdin: truthy(query.get('stdin')), stdout: truthy(query.get('stdout')), stderr: truthy(query.get('stderr')) && !tty, tty };
  if (!opts.stdin && !opts.stdout && !opts.stderr) throw new Error('you must specify at least 1 of stdin, stdout, stderr');
  return opts;
}

/** `{"metadata":{},"status":"Success"}` — what the kubelet writes when the command exits 0. */
export const successStatus = () => ({ metadata: {}, status: 'Success' });

/** The Status for a non-zero exit: kubectl prints `command terminated with exit code N` and exits N. */
export const exitCodeStatus = (code: number) => ({
  metadata: {},
  status: 'Failure',
  message: `command terminated with non-zero exit code: exit status ${code}`,
  reason: 'NonZeroExitCode',
  details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
});

export const internalErrorStatus = (message: string) => ({
  metadata: {},
  status: 'Failure',
  message,
  reason: 'InternalError',
  details: { causes: [{ message }] },
  code: 500,
});

/** Reads the exit code out of a Status (0 for Success, undefined when there is none). */
export function exitCodeOf(status: unknown): number | undefined {
  const s = status as { status?: string; reason?: string; details?: { causes?: { reason?: string; message?: string }[] } };
  if (s?.status === 'Success') return 0;
  if (s?.reason !== 'NonZeroExitCode') return undefined;
  const cause = s.details?.causes?.find((c) => c.reason === 'ExitCode');
  return cause?.message !== undefined ? Number(cause.message) : undefined;
}

export interface BridgeOptions extends ExecStreamOptions {
  /** The negotiated websocket subprotocol (`ws.protocol`): v5 knows the close channel. */
  protocol?: string;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

/** Outbound websocket buffering limit before the SPDY side is paused. */
const WS_HIGH_WATER = 1024 * 1024;

/**
 * Carries one exec/attach session between a kubectl websocket (v5/v4 channels) and a SPDY backend
 * connection (client role: this opens the streams). Writes exactly one Status on channel 3, then closes
 * the websocket with 1000 and the SPDY connection. Resolves with the Status written.
 */
export async function bridgeWebSocketToSpdy(ws: WebSocket, conn: SpdyConnection, opts: BridgeOptions): Promise<unknown> {
  const v5 = (opts.protocol ?? ws.protocol) === 'v5.channel.k8s.io';
  // Messages can arrive before the SPDY streams are open: hold them until then.
  const early: Buffer[] = [];
  let onMessage: (data: Buffer) => void = (data) => early.push(data);
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (!isBinary && buf.length === 0) return;
    onMessage(buf);
  });
  let wsClosed = false;
  const wsGone = new Promise<void>((resolve) => {
    ws.once('close', () => {
      wsClosed = true;
      resolve();
    });
  });
  ws.on('error', (err) => opts.log?.('exec websocket error', { error: err.message }));

  let finished = false;
  const finish = async (status: unknown): Promise<unknown> => {
    if (finished) return status;
    finished = true;
    if (!wsClosed && ws.readyState === ws.OPEN) {
      const body = Buffer.from(JSON.stringify(status));
      await new Promise<void>((resolve) => ws.send(Buffer.concat([Buffer.from([WS_CHANNEL.status]), body]), () => resolve()));
      ws.close(1000);
    }
    conn.close();
    return status;
  };

  let streams: { error: SpdyStream; stdin?: SpdyStream; stdout?: SpdyStream; stderr?: SpdyStream; resize?: SpdyStream };
  try {
    const open = (type: string) => conn.openStream({ streamtype: type }, { replyTimeoutMs: 30_000 });
    const [error, stdin, stdout, stderr, resize] = await Promise.all([
      open(STREAM_TYPE.error),
      opts.stdin ? open(STREAM_TYPE.stdin) : undefined,
      opts.stdout ? open(STREAM_TYPE.stdout) : undefined,
      opts.stderr ? open(STREAM_TYPE.stderr) : undefined,
      opts.tty ? open(STREAM_TYPE.resize) : undefined,
    ]);
    streams = { error, stdin, stdout, stderr, resize };
  } catch (err) {
    conn.destroy();
    return finish(internalErrorStatus(`error opening the exec streams on the container runtime: ${(err as Error).message}`));
  }
  const { error, stdin, stdout, stderr, resize } = streams;

  // ---- client → backend ----
  let waitingForDrain = false;
  onMessage = (data) => {
    if (data.length === 0) return;
    const ch = data[0]!;
    const payload = data.subarray(1);
    if (ch === WS_CHANNEL.stdin) {
      if (stdin && !stdin.writableEnded && payload.length && !stdin.write(payload) && !waitingForDrain) {
        waitingForDrain = true;
        ws.pause();
        stdin.once('drain', () => {
          waitingForDrain = false;
          ws.resume();
        });
      }
    } else if (ch === WS_CHANNEL.resize) {
      if (resize && !resize.writableEnded) resize.write(payload);
    } else if (ch === WS_CHANNEL.close && v5) {
      if (payload[0] === WS_CHANNEL.stdin && stdin && !stdin.writableEnded) stdin.end();
    }
  };
  for (const m of early.splice(0)) onMessage(m);

  // ---- backend → client ----
  let wsBuffered = 0;
  const paused = new Set<SpdyStream>();
  const forward = (s: SpdyStream | undefined, ch: number): Promise<void> => {
    if (!s) return Promise.resolve();
    const prefix = Buffer.from([ch]);
    s.on('data', (chunk: Buffer) => {
      if (wsClosed) return;
      const msg = Buffer.concat([prefix, chunk]);
      wsBuffered += msg.length;
      ws.send(msg, () => {
        wsBuffered -= msg.length;
        if (wsBuffered < WS_HIGH_WATER / 2 && paused.size) {
          for (const p of paused) p.resume();
          paused.clear();
        }
      });
      if (wsBuffered > WS_HIGH_WATER) {
        s.pause();
        paused.add(s);
      }
    });
    return new Promise<void>((resolve) => {
      s.once('end', resolve);
      s.once('close', resolve);
    });
  };
  const errorParts: Buffer[] = [];
  error.on('data', (c: Buffer) => errorParts.push(c));
  const errorDone = new Promise<void>((resolve) => {
    error.once('end', resolve);
    error.once('close', resolve);
  });
  const outputs = Promise.all([forward(stdout, WS_CHANNEL.stdout), forward(stderr, WS_CHANNEL.stderr)]);

  // kubectl went away: tear down the backend session.
  void wsGone.then(() => {
    if (!finished) conn.close();
  });

  await Promise.race([Promise.all([errorDone, outputs]), wsGone]);
  if (wsClosed) {
    finished = true;
    conn.close();
    return undefined;
  }
  // Let queued websocket sends go out before the status.
  while (wsBuffered > 0 && !wsClosed) await new Promise((r) => setTimeout(r, 5));
  return finish(statusFromErrorStream(Buffer.concat(errorParts), error));
}

/** Turns what the backend wrote on the error stream into the one Status kubectl gets. */
function statusFromErrorStream(body: Buffer, error: SpdyStream): unknown {
  const text = body.toString('utf8').trim();
  if (text) {
    try {
      const parsed = JSON.parse(text) as { status?: string };
      if (parsed && typeof parsed === 'object' && typeof parsed.status === 'string') return parsed;
    } catch {
      // v1–v3 servers write plain text
    }
    return internalErrorStatus(text);
  }
  // Nothing on the error stream: success when the backend ended it (FIN or reset), not when the connection died.
  if (error.resetStatus !== undefined || !error.resetByPeer) return successStatus();
  return internalErrorStatus('error: lost the connection to the container runtime before the command finished');
}
