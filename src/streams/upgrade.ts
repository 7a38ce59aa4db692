/**
 * The HTTP layer's entry point for exec, attach and port-forward upgrades (API server and agent alike).
 *
 *   server.on('upgrade', (req, socket, head) => {
 *     // …authenticate, authorise, find the pod and its node…
 *     void handleStreamUpgrade(req, socket, head, {
 *       kind: 'exec', query: url.searchParams,
 *       dialBackend: async () => ({ url: `https://${nodeIp}:10250/exec/${ns}/${pod}/${container}?${query}`, tls }),
 *     });
 *   });
 *
 * What it does with the request:
 *   GET  + Upgrade: websocket, Sec-WebSocket-Protocol v5/v4.channel.k8s.io   (exec/attach, kubectl ≥ 1.30)
 *        → 101 v5; SPDY v4 to the backend; channels ⇄ SPDY streams (bridgeWebSocketToSpdy)
 *   GET  + Upgrade: websocket, Sec-WebSocket-Protocol SPDY/3.1+portforward.k8s.io   (port-forward, kubectl ≥ 1.31)
 *        → 101; SPDY portforward.k8s.io to the backend; websocket payloads ⇄ backend bytes
 *   POST + Upgrade: SPDY/3.1, X-Stream-Protocol-Version list   (fallback, older kubectl, and the agent's input)
 *        → the same upgrade to the backend, its 101 relayed, then raw bytes both ways
 * Anything the backend refuses, or a dial error, becomes a Kubernetes Status reply BEFORE any 101, so kubectl
 * prints a clean `Error from server (…)` (and, for a refused websocket, falls back to SPDY as it always does).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { BackendUpgradeError, dialSpdyUpgrade, type BackendTarget, type UpgradedBackend } from './backend-dial.ts';
import { EXEC_SPDY_PROTOCOL, EXEC_WS_PROTOCOLS, bridgeWebSocketToSpdy, parseExecStreamOptions } from './exec-protocol.ts';
import { PORTFORWARD_SPDY_PROTOCOL, PORTFORWARD_WS_PROTOCOL, pipeBoth, tunnelWebSocketToSocket } from './portforward-protocol.ts';
import { SpdyConnection } from './spdy-connection.ts';

export type { BackendTarget } from './backend-dial.ts';

export type StreamKind = 'exec' | 'attach' | 'portforward';

export interface StreamUpgradeOptions {
  kind: StreamKind;
  /** The request's query (exec: command, container, stdin, stdout, stderr, tty). */
  query: URLSearchParams;
  /** Where the session goes: called once the request is known to be a valid upgrade. Throw an error with
   *  `code`/`reason` (an ApiError) to answer with that Status instead. */
  dialBackend: () => Promise<BackendTarget>;
  /** Handshake timeout towards the backend (default 10 s). */
  backendTimeoutMs?: number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

/** How a stream session ended (resolved by handleStreamUpgrade). */
export interface StreamSessionResult {
  protocol: 'websocket' | 'spdy' | 'rejected';
  /** The negotiated subprotocol / X-Stream-Protocol-Version. */
  subprotocol?: string;
  /** The Status written at the end (websocket exec/attach only). */
  status?: unknown;
}

interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  code: number;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  500: 'InternalError',
  502: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export const makeStatus = (code: number, message: string, reason = REASONS[code] ?? 'InternalError'): StatusBody => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  code,
});

/** Writes an HTTP/1.1 error reply with a Status body on a socket that has not been upgraded, then ends it. */
export function rejectUpgrade(socket: Duplex, status: { code: number }): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(status);
  const code = status.code || 500;
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_TEXT[code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Cache-Control: no-cache, private\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** An error thrown by dialBackend (ApiError-like: code + reason, or toStatus()) as a Status. */
function statusOfError(err: unknown): { code: number } {
  const e = err as { toStatus?: () => { code: number }; code?: unknown; reason?: unknown; message?: string };
  if (typeof e?.toStatus === 'function') return e.toStatus();
  if (err instanceof BackendUpgradeError) {
    // The backend's own Status (containerd/kubelet/agent answered e.g. 400 with one) is the best message.
    try {
      const parsed = JSON.parse(err.body) as { kind?: string; code?: number };
      if (parsed?.kind === 'Status') return { ...parsed, code: parsed.code || err.statusCode || 500 };
    } catch {
      // not JSON
    }
    const code = err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    return makeStatus(code, `error dialing backend: ${err.message}`);
  }
  if (typeof e?.code === 'number' && e.code >= 400 && e.code < 600) return makeStatus(e.code, e.message ?? String(err), typeof e.reason === 'string' ? e.reason : undefined);
  return makeStatus(500, `error dialing backend: ${(err as Error)?.message ?? String(err)}`);
}

/** All values of a possibly repeated, possibly comma-joined header. */
function headerList(req: IncomingMessage, name: string): string[] {
  const distinct = (req as IncomingMessage & { headersDistinct?: Record<string, string[]> }).headersDistinct?.[name];
  const raw = distinct ?? (req.headers[name] === undefined ? [] : [String(req.headers[name])]);
  return raw.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

type Plan =
  | { via: 'websocket'; subprotocol: string; backendProtocols: string[] }
  | { via: 'spdy'; backendProtocols: string[] };

function planOf(req: IncomingMessage, kind: StreamKind): Plan | { error: StatusBody } {
  const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
  if (upgrade === 'websocket') {
    if (req.method !== 'GET') return { error: makeStatus(400, `websocket upgrades must use GET, not ${req.method}`) };
    const offered = headerList(req, 'sec-websocket-protocol');
    if (kind === 'portforward') {
      if (!offered.includes(PORTFORWARD_WS_PROTOCOL)) return { error: makeStatus(400, `unsupported websocket subprotocols for port-forward: ${offered.join(', ') || '(none)'}; want ${PORTFORWARD_WS_PROTOCOL}`) };
      return { via: 'websocket', subprotocol: PORTFORWARD_WS_PROTOCOL, backendProtocols: [PORTFORWARD_SPDY_PROTOCOL] };
    }
    const chosen = EXEC_WS_PROTOCOLS.find((p) => offered.includes(p));
    if (!chosen) return { error: makeStatus(400, `unsupported websocket subprotocols: ${offered.join(', ') || '(none)'}; want one of ${EXEC_WS_PROTOCOLS.join(', ')}`) };
    return { via: 'websocket', subprotocol: chosen, backendProtocols: [EXEC_SPDY_PROTOCOL] };
  }
  if (upgrade.startsWith('spdy/3.1')) {
    const offered = headerList(req, 'x-stream-protocol-version');
    if (!offered.length) return { error: makeStatus(400, 'SPDY upgrade without X-Stream-Protocol-Version') };
    return { via: 'spdy', backendProtocols: offered };
  }
  return { error: makeStatus(400, `Upgrade request required (websocket or SPDY/3.1), got ${JSON.stringify(req.headers.upgrade ?? '')}`) };
}

/**
 * Negotiates kubectl's protocol, dials the backend, answers 101 (or a Status), then carries the session until
 * either side goes away. Never throws: failures are answered on the socket and reported in the result.
 */
export async function handleStreamUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, opts: StreamUpgradeOptions): Promise<StreamSessionResult> {
  try {
    return await serveUpgrade(req, socket, head, opts);
  } catch (err) {
    opts.log?.('stream session failed', { kind: opts.kind, error: (err as Error)?.stack ?? String(err) });
    if (!socket.destroyed) socket.destroy();
    return { protocol: 'rejected' };
  }
}

async function serveUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, opts: StreamUpgradeOptions): Promise<StreamSessionResult> {
  const log = opts.log ?? (() => {});
  socket.on('error', (err: Error) => log('stream client socket error', { error: err.message }));
  (socket as Duplex & { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  const plan = planOf(req, opts.kind);
  if ('error' in plan) {
    rejectUpgrade(socket, plan.error);
    return { protocol: 'rejected' };
  }
  let execOpts: ReturnType<typeof parseExecStreamOptions> | undefined;
  if (opts.kind !== 'portforward' && plan.via === 'websocket') {
    try {
      execOpts = parseExecStreamOptions(opts.query);
    } catch (err) {
      rejectUpgrade(socket, makeStatus(400, (err as Error).message));
      return { protocol: 'rejected' };
    }
  }

  let backend: UpgradedBackend;
  try {
    const target = await opts.dialBackend();
    backend = await dialSpdyUpgrade(target, plan.backendProtocols, { timeoutMs: opts.backendTimeoutMs });
  } catch (err) {
    const status = statusOfError(err);
    log('stream backend unavailable', { kind: opts.kind, code: status.code, error: (err as Error)?.message });
    rejectUpgrade(socket, status);
    return { protocol: 'rejected' };
  }
  backend.socket.on('error', (err: Error) => log('stream backend socket error', { error: err.message }));
  if (socket.destroyed) {
    backend.socket.destroy();
    return { protocol: 'rejected' };
  }

  if (plan.via === 'spdy') {
    if (!plan.backendProtocols.includes(backend.protocol)) {
      backend.socket.destroy();
      rejectUpgrade(socket, makeStatus(500, `backend chose stream protocol ${JSON.stringify(backend.protocol)}, not one of ${plan.backendProtocols.join(', ')}`));
      return { protocol: 'rejected' };
    }
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\n' +
        'Connection: Upgrade\r\n' +
        'Upgrade: SPDY/3.1\r\n' +
        `X-Stream-Protocol-Version: ${backend.protocol}\r\n\r\n`,
    );
    if (backend.head.length) socket.write(backend.head);
    if (head.length) backend.socket.write(head);
    await pipeBoth(socket, backend.socket);
    return { protocol: 'spdy', subprotocol: backend.protocol };
  }

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024, handleProtocols: () => plan.subprotocol });
  // ws only accepts RFC 6455 tokens in Sec-WebSocket-Protocol, and `SPDY/3.1+portforward.k8s.io` has a '/':
  // the choice is already made, so hand ws a token and answer with the real name (handleProtocols).
  req.headers['sec-websocket-protocol'] = 'k8ts-negotiated';
  const ws = await new Promise<WebSocket | undefined>((resolve) => {
    // ws answers a bad handshake (no key, wrong version) with 400 itself and never calls back: notice the close.
    const onClose = () => resolve(undefined);
    socket.once('close', onClose);
    wss.handleUpgrade(req, socket, head, (w) => {
      socket.off('close', onClose);
      resolve(w);
    });
  });
  if (!ws) {
    backend.socket.destroy();
    return { protocol: 'rejected' };
  }
  if (opts.kind === 'portforward') {
    await tunnelWebSocketToSocket(ws, backend.socket, backend.head);
    return { protocol: 'websocket', subprotocol: plan.subprotocol };
  }
  if (backend.protocol !== EXEC_SPDY_PROTOCOL) log('stream backend chose an unexpected protocol', { protocol: backend.protocol });
  if (backend.head.length) backend.socket.unshift(backend.head);
  const conn = new SpdyConnection(backend.socket, { role: 'client' });
  const status = await bridgeWebSocketToSpdy(ws, conn, { ...execOpts!, protocol: plan.subprotocol, log });
  return { protocol: 'websocket', subprotocol: plan.subprotocol, status };
}
