// Test support: an HTTP server whose upgrade handler is `handleStreamUpgrade` with CRI URLs as the backend —
// the API server and the agent folded into one, with no authentication. Paths follow the API server's:
//   /api/v1/namespaces/{ns}/pods/{name}/exec?command=…&stdin=…   → CRI Exec on `containerId`
//   /api/v1/namespaces/{ns}/pods/{name}/attach?…                 → CRI Attach on `containerId`
//   /api/v1/namespaces/{ns}/pods/{name}/portforward               → CRI PortForward on `podSandboxId`
// Other requests go to `onRequest` (404 by default), so a test can stub what kubectl GETs first.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import type { CriClient } from '../cri/cri-client.ts';
import { parseExecStreamOptions } from './exec-protocol.ts';
import { handleStreamUpgrade, makeStatus, rejectUpgrade, type StreamSessionResult } from './upgrade.ts';

export interface TestStreamServer {
  server: Server;
  url: string;
  sessions: StreamSessionResult[];
  close(): Promise<void>;
}

export async function startTestStreamServer(opts: {
  cri: CriClient;
  podSandboxId: string;
  containerId: string;
  onRequest?: (req: IncomingMessage, res: ServerResponse) => void;
}): Promise<TestStreamServer> {
  const sessions: StreamSessionResult[] = [];
  const sockets = new Set<Duplex>();
  const server = createServer((req, res) => {
    if (opts.onRequest) return opts.onRequest(req, res);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(makeStatus(404, 'the server could not find the requested resource')));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+\/(exec|attach|portforward)$/.exec(url.pathname);
    if (!m) return rejectUpgrade(socket, makeStatus(404, `no stream endpoint at ${url.pathname}`));
    const kind = m[1] as 'exec' | 'attach' | 'portforward';
    void handleStreamUpgrade(req, socket, head, {
      kind,
      query: url.searchParams,
      dialBackend: async () => {
        if (kind === 'portforward') return { url: await opts.cri.portForward(opts.podSandboxId, []) };
        const so = parseExecStreamOptions(url.searchParams);
        if (kind === 'attach') return { url: await opts.cri.attach(opts.containerId, so) };
        return { url: await opts.cri.exec(opts.containerId, url.searchParams.getAll('command'), so) };
      },
    }).then((r) => sessions.push(r));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    sessions,
    async close() {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
