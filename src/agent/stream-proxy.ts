/**
 * exec / attach / portForward on the agent (the kubelet's streaming endpoints in proxy mode): the upgrade request the
 * API server relays (websocket or SPDY) is resolved to a CRI Exec/Attach/PortForward call, and the request is replayed
 * to the single-use URL containerd's stream server returns; from then on bytes flow both ways untouched.
 *
 *   server.on('upgrade', (req, socket, head) => void proxyStream({ cri, pod }, req, socket, head));
 */
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../api/object.ts';
import type { CriClient } from '../cri/cri-client.ts';
import { ApiError } from '../machinery/api-error.ts';

export interface StreamProxyOptions {
  cri: CriClient;
  pod(namespace: string, name: string): KubeObject | undefined;
}

const truthy = (q: URLSearchParams, k: string) => {
  const v = q.get(k);
  return v !== null && v !== 'false' && v !== '0';
};

/** An HTTP error written on a socket that was never upgraded, as Status JSON. */
export function writeSocketError(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(err.toStatus());
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 500: 'Internal Server Error' }[err.code] ?? 'Error';
  socket.end(`HTTP/1.1 ${err.code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function runningContainerId(pod: KubeObject, container: string): string {
  const all = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
  const s = all.find((c: { name: string }) => c.name === container);
  const id: string | undefined = s?.state?.running ? (s.containerID ?? s.state.running.containerID) : undefined;
  if (!id) throw new ApiError(400, 'BadRequest', `container not found ("${container}")`);
  return id.replace(/^[a-z]+:\/\//, '');
}

async function sandboxId(cri: CriClient, pod: KubeObject): Promise<string> {
  const list = await cri.listPodSandbox({ label_selector: { 'io.kubernetes.pod.uid': pod.metadata.uid ?? '' } });
  const ready = list.filter((s) => s.state === 'SANDBOX_READY').sort((a, b) => b.created_at - a.created_at)[0];
  if (!ready) throw new ApiError(400, 'BadRequest', `pod ${pod.metadata.name} has no running sandbox`);
  return ready.id;
}

/** The CRI stream URL for an /exec, /attach or /portForward request path. */
export async function streamUrl(o: StreamProxyOptions, path: string, q: URLSearchParams): Promise<URL> {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [verb, ns, name, container] = parts;
  const known = (verb === 'exec' || verb === 'attach') ? parts.length === 4 : verb === 'portForward' ? parts.length === 3 : false;
  if (!known) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  const pod = o.pod(ns, name);
  if (!pod) throw new ApiError(404, 'NotFound', `pod does not exist`);
  const stream = { stdin: truthy(q, 'stdin'), stdout: truthy(q, 'stdout'), stderr: truthy(q, 'stderr'), tty: truthy(q, 'tty') };
  let url: string;
  if (verb === 'exec') {
    const cmd = q.getAll('command');
    if (!cmd.length) throw new ApiError(400, 'BadRequest', 'you must specify at least 1 command');
    url = await o.cri.exec(runningContainerId(pod, container), cmd, stream);
  } else if (verb === 'attach') {
    url = await o.cri.attach(runningContainerId(pod, container), stream);
  } else {
    const ports = q.getAll('ports').flatMap((p) => p.split(',')).map(Number).filter((p) => Number.isInteger(p) && p > 0);
    url = await o.cri.portForward(await sandboxId(o.cri, pod), ports);
  }
  return new URL(url);
}

const dropped = new Set(['host', 'authorization']);

/** Replays `req` to the CRI stream URL and splices the sockets. Errors before that are written as HTTP replies. */
export async function proxyStream(o: StreamProxyOptions, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  let target: URL;
  try {
    const u = new URL(req.url ?? '/', 'https://agent');
    target = await streamUrl(o, u.pathname, u.searchParams);
  } catch (err) {
    writeSocketError(socket, err instanceof ApiError ? err : new ApiError(500, 'InternalError', err instanceof Error ? err.message : String(err)));
    return;
  }
  const upstream = connect(Number(target.port || 80), target.hostname);
  await new Promise<void>((resolve) => {
    upstream.once('connect', () => {
      let text = `${req.method} ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const k = req.rawHeaders[i].toLowerCase();
        if (dropped.has(k) || k.startsWith('x-k8ts-') || k.startsWith('x-remote-')) continue;
        text += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      }
      upstream.write(`${text}\r\n`);
      if (head.length) upstream.write(head);
      const close = () => {
        socket.destroy();
        upstream.destroy();
      };
      for (const s of [socket, upstream]) {
        s.on('error', close);
        s.on('close', close);
      }
      socket.pipe(upstream);
      upstream.pipe(socket);
      resolve();
    });
    upstream.once('error', (err) => {
      writeSocketError(socket, new ApiError(500, 'InternalError', `error dialing the runtime stream server: ${err.message}`));
      resolve();
    });
  });
}
