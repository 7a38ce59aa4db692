/**
 * The agent's HTTPS endpoint (the kubelet's :10250 server), for the API server only: it serves
 *   GET /containerLogs/<ns>/<pod>/<container>?follow&tailLines&sinceSeconds&sinceTime&timestamps&limitBytes&previous
 * from the CRI log files, GET /healthz, and the upgrades /exec/<ns>/<pod>/<c>, /attach/<ns>/<pod>/<c> and
 * /portForward/<ns>/<pod> (stream-proxy.ts: replayed to containerd's stream server). The certificate is self-signed per agent (the API server does not verify
 * it); the API server proves itself with `X-K8ts-Agent-Secret: agentSecret(nodeToken)`. Errors are Status JSON with
 * the kubelet's messages (validateContainerLogStatus).
 *
 *   const srv = await startAgentServer({ port: 10250, secret: agentSecret(token), logDir, pod: (ns, n) => cache.get(…) });
 *   await srv.close();
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { KubeObject } from '../api/object.ts';
import type { Logger } from '../apiserver/log.ts';
import { createCa, issueServingCert } from '../apiserver/pki.ts';
import type { CriClient } from '../cri/cri-client.ts';
import { ApiError, type Status } from '../machinery/api-error.ts';
import { streamLogFile, type StreamLogOptions } from './cri-log.ts';
import { podLogDir } from './log-paths.ts';
import { proxyStream, writeSocketError } from './stream-proxy.ts';
import type { Duplex } from 'node:stream';

export const AGENT_SECRET_HEADER = 'x-k8ts-agent-secret';

/** The shared secret the API server sends to agents: derived from the node token, so both sides know it. */
export const agentSecret = (nodeToken: string) => createHmac('sha256', nodeToken.trim()).update('k8ts-agent-server').digest('hex');

export interface AgentServerOptions {
  port: number;
  host?: string;
  secret: string;
  logDir: string;
  /** The pod as this agent knows it (the pod informer's cache). */
  pod(namespace: string, name: string): KubeObject | undefined;
  /** Resolves a container ID to its log file (CRI ContainerStatus.log_path); files are scanned otherwise. */
  cri?: CriClient;
  log?: Logger;
  /** Keep the self-signed certificate here (`agent-server.crt` / `.key`) and reuse it on restart. */
  certDir?: string;
}

export interface AgentServer {
  port: number;
  close(): Promise<void>;
}

const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

interface ContainerStatusLike {
  name: string;
  restartCount?: number;
  containerID?: string;
  state?: { running?: { containerID?: string }; terminated?: { containerID?: string }; waiting?: { reason?: string } };
  lastState?: { terminated?: { containerID?: string } };
}

/**
 * Which container's logs to read (kubelet validateContainerLogStatus): returns the container ID and whether it is
 * the "previous" one; throws the kubelet's 400 messages otherwise.
 */
export function logContainer(pod: KubeObject, container: string, previous: boolean): { containerID: string; isLast: boolean } {
  const podName = pod.metadata.name ?? '';
  const all: ContainerStatusLike[] = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ];
  const s = all.find((c) => c.name === container);
  if (!s) throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ContainerCreating`);
  const state = s.state ?? {};
  const last = s.lastState?.terminated;
  if (previous) {
    if (!last?.containerID) throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    return { containerID: last.containerID, isLast: true };
  }
  if (state.running) return { containerID: state.running.containerID ?? s.containerID ?? '', isLast: false };
  if (state.terminated) {
    if (state.terminated.containerID || s.containerID) return { containerID: state.terminated.containerID ?? s.containerID ?? '', isLast: false };
    if (last?.containerID) return { containerID: last.containerID, isLast: true };
    throw badRequest(`container "${container}" in pod "${podName}" is terminated`);
  }
  if (last) {
    if (!last.containerID) throw badRequest(`container "${container}" in pod "${podName}" is terminated`);
    return { containerID: last.containerID, isLast: true };
  }
  const reason = state.waiting?.reason;
  if (reason === 'ErrImagePull') throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`);
  if (reason === 'ImagePullBackOff') throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`);
  if (reason) throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
  throw badRequest(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
}

/** The log files of one container, by attempt number ascending. */
async function attemptFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => /^\d+\.log$/.test(n))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
    .map((n) => join(dir, n));
}

export async function resolveLogFile(o: Pick<AgentServerOptions, 'logDir' | 'cri'>, pod: KubeObject, container: string, pick: { containerID: string; isLast: boolean }): Promise<string | undefined> {
  const id = pick.containerID.replace(/^[a-z]+:\/\//, '');
  if (o.cri && id) {
    try {
      const st = await o.cri.containerStatus(id);
      if (st.status?.log_path) return st.status.log_path;
    } catch {
      // removed from the runtime: fall back to the files
    }
  }
  const files = await attemptFiles(join(podLogDir(o.logDir, pod.metadata.namespace ?? '', pod.metadata.name ?? '', pod.metadata.uid ?? ''), container));
  if (!files.length) return undefined;
  // the current attempt is the newest file unless it belongs to a container still being created
  const s = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((c: ContainerStatusLike) => c.name === container) as ContainerStatusLike | undefined;
  const current = s?.state?.running || s?.state?.terminated;
  if (pick.isLast) return current ? files[files.length - 2] : files[files.length - 1];
  return files[files.length - 1];
}

function sendStatus(res: ServerResponse, err: ApiError) {
  const body: Status = err.toStatus();
  res.writeHead(err.code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** kubectl's log query → options (sinceSeconds / sinceTime, ints validated). */
export function logQuery(q: URLSearchParams): StreamLogOptions & { previous: boolean } {
  const bool = (k: string) => q.has(k) && q.get(k) !== 'false' && q.get(k) !== '0';
  const int = (k: string) => {
    const v = q.get(k);
    if (v === null || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw badRequest(`invalid ${k}: ${JSON.stringify(v)}`);
    return n;
  };
  const o: StreamLogOptions & { previous: boolean } = { follow: bool('follow'), timestamps: bool('timestamps'), previous: bool('previous') };
  const tail = int('tailLines');
  if (tail !== undefined) o.tailLines = tail;
  const limit = int('limitBytes');
  if (limit !== undefined) o.limitBytes = limit;
  const since = int('sinceSeconds');
  if (since !== undefined) o.sinceMs = Date.now() - since * 1000;
  const sinceTime = q.get('sinceTime');
  if (sinceTime) {
    const ms = Date.parse(sinceTime);
    if (Number.isNaN(ms)) throw badRequest(`invalid sinceTime: ${JSON.stringify(sinceTime)}`);
    o.sinceMs = ms;
  }
  return o;
}

/** The self-signed serving certificate: loaded from certDir when there, else made (and saved there). */
async function servingCert(certDir: string | undefined, host: string): Promise<{ cert: string; key: string }> {
  const certFile = certDir && join(certDir, 'agent-server.crt');
  const keyFile = certDir && join(certDir, 'agent-server.key');
  if (certFile && keyFile) {
    try {
      return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
    } catch {
      // not there yet
    }
  }
  const ca = await createCa('k8ts-agent');
  const serving = await issueServingCert(ca, ['localhost', '127.0.0.1', ...(host !== '0.0.0.0' ? [host] : [])]);
  if (certDir && certFile && keyFile) {
    await mkdir(certDir, { recursive: true, mode: 0o700 });
    await writeFile(keyFile, serving.key, { mode: 0o600 });
    await writeFile(certFile, serving.cert);
  }
  return { cert: serving.cert, key: serving.key };
}

export async function startAgentServer(o: AgentServerOptions): Promise<AgentServer> {
  const host = o.host ?? '0.0.0.0';
  const serving = await servingCert(o.certDir, host);
  const secret = Buffer.from(o.secret);
  const authorized = (req: IncomingMessage) => {
    const got = Buffer.from(String(req.headers[AGENT_SECRET_HEADER] ?? ''));
    return got.length === secret.length && timingSafeEqual(got, secret);
  };

  const serveLogs = async (req: IncomingMessage, res: ServerResponse, ns: string, name: string, container: string, q: URLSearchParams) => {
    const query = logQuery(q);
    const pod = o.pod(ns, name);
    if (!pod) throw new ApiError(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
    const declared = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c: { name: string }) => c.name);
    if (!declared.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
    const pick = logContainer(pod, container, query.previous);
    const file = await resolveLogFile(o, pod, container, pick);
    if (!file) throw badRequest(`container "${container}" in pod "${name}" is waiting to start - no logs yet`);
    const uid = pod.metadata.uid;
    // follow ends when the container stops running (or the pod goes / is replaced)
    query.done = () => {
      const now = o.pod(ns, name);
      if (!now || now.metadata.uid !== uid) return true;
      const s = (now.status?.containerStatuses ?? []).concat(now.status?.initContainerStatuses ?? []).find((c: ContainerStatusLike) => c.name === container);
      return !s?.state?.running || (s.state.running.containerID ?? s.containerID) !== pick.containerID;
    };
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    query.signal = ac.signal;
    let started = false;
    await streamLogFile(file, query, (chunk) => {
      if (!started) {
        res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
        started = true;
      }
      if (res.destroyed) return false;
      res.write(chunk);
      return true;
    });
    if (!started) res.writeHead(200, { 'content-type': 'text/plain' });
    res.end();
  };

  const server = https.createServer({ cert: serving.cert, key: serving.key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://agent');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    void (async () => {
      if (!authorized(req)) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      if (req.method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', `${req.method} is not supported`);
      if (parts.length === 1 && parts[0] === 'healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
        return;
      }
      if (parts[0] === 'containerLogs' && parts.length === 4) return serveLogs(req, res, parts[1], parts[2], parts[3], url.searchParams);
      throw new ApiError(404, 'NotFound', `the server could not find the requested resource`);
    })().catch((err) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof ApiError) return sendStatus(res, err);
      o.log?.error('agent server: request failed', { path: url.pathname, error: err instanceof Error ? err.message : String(err) });
      sendStatus(res, new ApiError(500, 'InternalError', err instanceof Error ? err.message : String(err)));
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!authorized(req)) return writeSocketError(socket, new ApiError(401, 'Unauthorized', 'Unauthorized'));
    if (!o.cri) return writeSocketError(socket, new ApiError(404, 'NotFound', 'streaming is not available on this node'));
    void proxyStream({ cri: o.cri, pod: o.pod }, req, socket, head).catch((err) => {
      o.log?.warn('agent server: stream failed', { path: req.url, error: err instanceof Error ? err.message : String(err) });
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
