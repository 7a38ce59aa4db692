/**
 * Dialling a backend that accepts SPDY/3.1 upgrades: containerd's CRI stream server (the URL CRI Exec /
 * Attach / PortForward return) or a k8ts agent's stream endpoint. Returns the raw upgraded socket.
 *
 *   const b = await dialSpdyUpgrade({ url: criExecUrl }, ['v4.channel.k8s.io']);
 *   b.protocol;   // 'v4.channel.k8s.io' (the backend's X-Stream-Protocol-Version)
 *   new SpdyConnection(b.socket, { role: 'client' });   // after writing nothing else; b.head holds early bytes
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';

/** Where a stream goes next: a URL that answers `POST` + `Upgrade: SPDY/3.1`. */
export interface BackendTarget {
  /** http(s)://host:port/path?query */
  url: string;
  /** Extra request headers (e.g. `Authorization` for an agent). */
  headers?: Record<string, string>;
  /** TLS settings for https URLs (ca, cert, key, servername, rejectUnauthorized). */
  tls?: ConnectionOptions;
}

export interface UpgradedBackend {
  socket: Duplex;
  /** The protocol the backend chose (its X-Stream-Protocol-Version reply header). */
  protocol: string;
  /** Bytes the backend sent right after its 101 (hand them on before piping). */
  head: Buffer;
  headers: IncomingHttpHeaders;
}

/** The backend answered the upgrade with something other than 101 (or could not be reached). */
export class BackendUpgradeError extends Error {
  constructor(
    message: string,
    /** HTTP status of the backend's reply; 0 when it could not be reached at all. */
    readonly statusCode: number,
    readonly body: string,
  ) {
    super(message);
    this.name = 'BackendUpgradeError';
  }
}

export function dialSpdyUpgrade(target: BackendTarget, protocols: string[], opts: { timeoutMs?: number } = {}): Promise<UpgradedBackend> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const url = new URL(target.url);
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') return Promise.reject(new BackendUpgradeError(`backend URL ${target.url}: unsupported scheme ${url.protocol}`, 0, ''));
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = {
      ...target.headers,
      connection: 'Upgrade',
      upgrade: 'SPDY/3.1',
      // One header line per version: Go reads req.Header[...] as a list and does not split commas.
      'x-stream-protocol-version': protocols,
      'content-length': '0',
    };
    const reqOpts = { method: 'POST', headers, timeout: timeoutMs, ...(secure ? target.tls ?? {} : {}) };
    const req = (secure ? httpsRequest : httpRequest)(url, reqOpts);
    let settled = false;
    const fail = (err: BackendUpgradeError) => {
      if (settled) return;
      settled = true;
      reject(err);
    };
    req.on('upgrade', (res: IncomingMessage, socket: Duplex, head: Buffer) => {
      settled = true;
      const tcp = socket as Duplex & { setTimeout?: (ms: number) => void; setNoDelay?: (on: boolean) => void };
      tcp.setTimeout?.(0);
      tcp.setNoDelay?.(true); // SPDY control frames are tiny: Nagle + delayed ACK cost ~40 ms per stream open
      const protocol = String(res.headers['x-stream-protocol-version'] ?? '');
      resolve({ socket, protocol, head, headers: res.headers });
    });
    req.on('response', (res: IncomingMessage) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const body = Buffer.concat(parts).toString('utf8');
        fail(new BackendUpgradeError(`backend ${url.host}${url.pathname} refused the upgrade: ${res.statusCode} ${body.trim().slice(0, 500)}`, res.statusCode ?? 500, body));
      });
      res.on('error', () => fail(new BackendUpgradeError(`backend ${url.host}: reply aborted (${res.statusCode})`, res.statusCode ?? 500, '')));
    });
    req.on('timeout', () => {
      fail(new BackendUpgradeError(`backend ${url.host}${url.pathname}: no upgrade reply within ${timeoutMs} ms`, 0, ''));
      req.destroy();
    });
    req.on('error', (err: Error) => fail(new BackendUpgradeError(`backend ${url.host}${url.pathname}: ${err.message}`, 0, '')));
    req.end();
  });
}
