/**
 * The API server's side of `pods/log` (kube-apiserver's LogLocation + LocationStreamer): forwards the request to the
 * agent that runs the pod and streams its answer back — the log text, or the agent's Status (400 "container … is
 * waiting to start: ContainerCreating", 400 "previous terminated container … not found", …) unchanged.
 *
 *   // in the pods/log handler, after the pod was read and the container picked:
 *   await proxyPodLog(nodeIP, node.status.daemonEndpoints.kubeletEndpoint.Port, agentSecret(nodeToken),
 *                     'default', 'web', 'nginx', url.searchParams, res);
 */
import https from 'node:https';
import { AGENT_SECRET_HEADER } from './agent-server.ts';

/** The reply methods both http1 ServerResponse and http2 Http2ServerResponse offer. */
export interface LogReply {
  writeHead(status: number, headers?: Record<string, string>): unknown;
  write(chunk: Buffer | string): boolean;
  end(chunk?: string): unknown;
  on(event: 'close', fn: () => void): unknown;
  readonly headersSent: boolean;
  destroy(err?: Error): unknown;
}

/** The query parameters the agent understands (anything else, e.g. `container`, is dropped). */
const passed = ['follow', 'tailLines', 'sinceSeconds', 'sinceTime', 'timestamps', 'limitBytes', 'previous'];

export function proxyPodLog(
  nodeAddress: string,
  port: number,
  secret: string,
  namespace: string,
  pod: string,
  container: string,
  query: URLSearchParams | string,
  res: LogReply,
): Promise<void> {
  const q = typeof query === 'string' ? new URLSearchParams(query) : query;
  const out = new URLSearchParams();
  for (const k of passed) {
    const v = q.get(k);
    if (v !== null) out.set(k, v);
  }
  const qs = out.toString();
  const host = nodeAddress.includes(':') ? `[${nodeAddress}]` : nodeAddress;
  const path = `/containerLogs/${encodeURIComponent(namespace)}/${encodeURIComponent(pod)}/${encodeURIComponent(container)}${qs ? `?${qs}` : ''}`;
  return new Promise<void>((resolve) => {
    const req = https.request(
      { host: nodeAddress, port, path, method: 'GET', rejectUnauthorized: false, headers: { [AGENT_SECRET_HEADER]: secret } },
      (up) => {
        const headers: Record<string, string> = { 'content-type': String(up.headers['content-type'] ?? 'text/plain') };
        res.writeHead(up.statusCode ?? 502, headers);
        up.on('data', (c: Buffer) => res.write(c));
        up.on('end', () => {
          res.end();
          resolve();
        });
        up.on('error', () => {
          res.destroy();
          resolve();
        });
      },
    );
    res.on('close', () => req.destroy());
    req.on('error', (err) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        const message = `Get "https://${host}:${port}${path}": ${err.message}`;
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 }));
      } else res.destroy();
      resolve();
    });
    req.end();
  });
}
