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
import { WEB_PORT } from '../cri/test-images.ts';
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

/** What kubectl exec/port-forward/cp GET first: /version (v1.32.4), legacy discovery, and a Running pod `default/web`. */
export function stubKubectlApi(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const json = (code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  switch (url.pathname) {
    case '/version':
      return json(200, { major: '1', minor: '32', gitVersion: 'v1.32.4', gitCommit: 'k8ts', gitTreeState: 'clean', buildDate: '2026-11-25T00:00:00Z', goVersion: 'go1.23', compiler: 'gc', platform: 'linux/amd64' });
    case '/api':
      return json(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: req.headers.host }] });
    case '/apis':
      return json(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    case '/api/v1':
      return json(200, {
        kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1',
        resources: [
          { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'] },
          { name: 'pods/exec', singularName: '', namespaced: true, kind: 'PodExecOptions', verbs: ['create', 'get'] },
          { name: 'pods/portforward', singularName: '', namespaced: true, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
        ],
      });
    case '/api/v1/namespaces/default/pods/web':
      return json(200, {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '1', creationTimestamp: new Date().toISOString() },
        spec: { containers: [{ name: 'web', image: 'k8ts.local/web:1', ports: [{ containerPort: WEB_PORT }] }], nodeName: 'n1' },
        status: { phase: 'Running', podIP: '10.0.0.1', containerStatuses: [{ name: 'web', ready: true, restartCount: 0, image: 'k8ts.local/web:1', imageID: '', state: { running: {} } }] },
      });
    default:
      return json(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${url.pathname} not found`, reason: 'NotFound', code: 404 });
  }
}
