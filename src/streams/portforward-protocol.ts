/**
 * Port-forward as kubectl speaks it, and the byte pipes that carry it to a SPDY backend.
 *
 * kubectl ≥ 1.31 opens a websocket with subprotocol `SPDY/3.1+portforward.k8s.io`; its binary messages carry
 * a raw SPDY/3.1 byte stream (no HTTP handshake inside). Older kubectl (and the fallback) upgrade straight to
 * SPDY/3.1 with `X-Stream-Protocol-Version: portforward.k8s.io`. Either way, per local connection kubectl
 * opens two SPDY streams `{streamtype: error|data, port, requestid}`; the backend (containerd's stream
 * server, via the agent) does the rest, and answers kubectl's PINGs (every 10 s) through the same pipe.
 *
 *   const backend = await dialSpdyUpgrade(target, [PORTFORWARD_SPDY_PROTOCOL]);
 *   wss.handleUpgrade(req, socket, head, (ws) => tunnelWebSocketToSocket(ws, backend.socket));
 */
import type { Duplex } from 'node:stream';
import { createWebSocketStream, type WebSocket } from 'ws';

export const PORTFORWARD_WS_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
export const PORTFORWARD_SPDY_PROTOCOL = 'portforward.k8s.io';

/** SPDY stream headers of one forwarded connection. */
export const PORTFORWARD_HEADERS = { streamType: 'streamtype', port: 'port', requestId: 'requestid' } as const;

/**
 * Pipes two byte streams both ways until either side goes away (then the other is closed too).
 * Half-closes pass through (`end()` on one side ends the other's write side). Resolves when both are closed.
 */
export function pipeBoth(a: Duplex, b: Duplex, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    let closed = 0;
    const closeOther = (other: Duplex) => () => {
      closed++;
      if (closed === 2) return resolve();
      // Let what is queued for the other side go out (a final Status, RST_STREAMs, GOAWAY), then close it.
      if (!other.destroyed) {
        other.end();
        setTimeout(() => other.destroy(), graceMs).unref();
      }
    };
    a.once('close', closeOther(b));
    b.once('close', closeOther(a));
    a.on('error', () => a.destroy());
    b.on('error', () => b.destroy());
    a.pipe(b);
    b.pipe(a);
  });
}

/**
 * Unwraps a `SPDY/3.1+portforward.k8s.io` websocket into bytes and pipes them to `backend` (an upgraded
 * SPDY socket). Backpressure holds in both directions. Resolves when both sides are closed.
 */
export function tunnelWebSocketToSocket(ws: WebSocket, backend: Duplex, head?: Buffer): Promise<void> {
  const wsStream = createWebSocketStream(ws, { allowHalfOpen: false });
  if (head?.length) wsStream.write(head);
  return pipeBoth(wsStream, backend);
}
