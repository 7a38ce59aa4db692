/**
 * The HTTPS API server: HTTP/2 and HTTP/1.1 on one port (Node http2 with allowHTTP1), client certificates requested
 * but verified by us (authn.ts), every request routed (router.ts) to discovery, health, OpenAPI or a resource handler.
 * Nothing thrown by a handler crashes the process: ApiErrors become their Status, anything else a logged 500.
 *
 *   const api = await startApiServer({ port: 6443, tls: { cert, key, ca }, resources: registry });
 *   console.log(api.url); await api.close();
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSecureServer, constants as h2, type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { ResourceInfo } from '../api/resources.ts';
import { methodNotAllowedError, noSuchPathError, unauthorizedError, type ApiError } from '../machinery/api-error.ts';
import type { ResourceRest, UserInfo } from '../registry/rest.ts';
import { createAuthenticator, type Authenticator } from './authn.ts';
import { BodyTooLargeError } from './body.ts';
import { buildDiscovery, type Discovery } from './discovery.ts';
import { authReviewResources } from './auth-reviews.ts';
import { emptyServicesRest } from './empty-services.ts';
import { log as defaultLog, type Logger } from './log.ts';
import { discoveryContentType, negotiateDiscovery } from './negotiate.ts';
import { hashOf, openapiV2Json, openapiV2Protobuf, openapiV2ProtobufType, schemaOpenApiSource, type OpenApiSource } from './openapi.ts';
import { handleResource, type RequestContext, type SubresourceStreamHandler } from './resource-handler.ts';
import { sendError, sendRawJson, sendText, statusOf, toApiError, type Res } from './respond.ts';
import { parsePath, type ResourceRoute, type Route } from './router.ts';
import { versionJson } from './version.ts';

/** What the server needs from the registry: the REST of each served resource. */
export interface RestProvider {
  rest(group: string, plural: string): ResourceRest | undefined;
  all(): Iterable<ResourceRest>;
}

/** An upgrade (websocket / SPDY) request, already authenticated and routed to a pod subresource. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, route: ResourceRoute, user: UserInfo) => Promise<boolean> | boolean;

export interface ApiServerOptions {
  port: number;
  host?: string;
  tls: { cert: string; key: string; ca: string };
  resources: RestProvider;
  /** Bearer tokens → users. */
  tokens?: Map<string, UserInfo>;
  log?: Logger;
  openapi?: OpenApiSource;
  /** log / exec / attach / portforward over plain requests. */
  streams?: SubresourceStreamHandler;
  /** exec / attach / portforward upgrades (HTTP/1.1 Upgrade: websocket or SPDY/3.1). */
  upgrade?: UpgradeHandler;
  /** Readiness beyond "listening" (e.g. the store answers). */
  ready?: () => boolean;
  /** Serve an empty read-only `services` resource when the registry has none (default true; see empty-services.ts). */
  emptyServices?: boolean;
}

/**
 * The registry's resources, plus what the HTTP layer serves itself where the registry has nothing of that name:
 * an empty read-only `services`, and the self-review resources behind `kubectl auth whoami` / `auth can-i`.
 */
function servedResources(opts: ApiServerOptions): ResourceRest[] {
  const list = [...opts.resources.all()];
  const has = (group: string, plural: string) => list.some((r) => r.info.group === group && r.info.plural === plural);
  if (opts.emptyServices !== false && !has('', 'services')) list.push(emptyServicesRest());
  for (const r of authReviewResources()) if (!has(r.info.group, r.info.plural)) list.push(r);
  return list;
}

export interface ApiServer {
  port: number;
  url: string;
  server: Http2SecureServer;
  authenticator: Authenticator;
  /** Plugs in (or replaces) the stream handlers after start: the agent proxy for log/exec/attach/portforward. */
  setStreamHandlers(handlers: { streams?: SubresourceStreamHandler; upgrade?: UpgradeHandler }): void;
  close(): Promise<void>;
}

/** Paths anonymous clients may read (system:public-info-viewer in Kubernetes). */
const publicRoutes = new Set(['version', 'health']);

type Req = IncomingMessage | Http2ServerRequest;

function tlsSocketOf(req: Req): TLSSocket | undefined {
  const stream = (req as Http2ServerRequest).stream;
  const socket = stream?.session?.socket ?? req.socket;
  return socket as TLSSocket | undefined;
}

export function createRequestHandler(opts: ApiServerOptions, authn: Authenticator) {
  const log = opts.log ?? defaultLog;
  const served = servedResources(opts);
  const infos: ResourceInfo[] = served.map((r) => r.info);
  const byGvp = new Map<string, ResourceRest>();
  for (const r of served) byGvp.set(`${r.info.group}/${r.info.version}/${r.info.plural}`, r);
  const lookup = (g: string, v: string, p: string) => byGvp.get(`${g}/${v}/${p}`)?.info;
  const discovery: Discovery = buildDiscovery(infos);
  const openapi = opts.openapi ?? schemaOpenApiSource();

  async function serve(req: Req, res: Res, route: Route, user: UserInfo | undefined, query: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET';
    switch (route.t) {
      case 'version':
        return sendRawJson(res, 200, versionJson);
      case 'health':
        if (route.check === 'readyz' && opts.ready && !opts.ready()) return sendText(res, 500, '[-]store failed: not ready\nreadyz check failed');
        return sendText(res, 200, 'ok');
      case 'notFound':
        throw noSuchPathError();
      default:
        break;
    }
    if (method !== 'GET' && route.t !== 'resource') throw methodNotAllowedError(method);
    switch (route.t) {
      case 'api': {
        const f = negotiateDiscovery(req.headers.accept);
        if (f === 'legacy') return sendRawJson(res, 200, discovery.apiVersions(hostOf(req)));
        return sendRawJson(res, 200, discovery.aggregatedApi(f), discoveryContentType(f));
      }
      case 'apis': {
        const f = negotiateDiscovery(req.headers.accept);
        if (f === 'legacy') return sendRawJson(res, 200, discovery.groupList);
        return sendRawJson(res, 200, discovery.aggregatedApis(f), discoveryContentType(f));
      }
      case 'group': {
        const doc = discovery.group(route.group);
        if (!doc) throw noSuchPathError();
        return sendRawJson(res, 200, doc);
      }
      case 'resourceList': {
        const doc = discovery.resourceList(route.group, route.version);
        if (!doc) throw noSuchPathError();
        return sendRawJson(res, 200, doc);
      }
      case 'openapiV3Index': {
        const index = await openapi.index();
        if (!index) throw noSuchPathError();
        return sendRawJson(res, 200, index, 'application/json', { etag: `"${hashOf(index)}"` });
      }
      case 'openapiV3': {
        const doc = await openapi.document(route.path);
        if (!doc) throw noSuchPathError();
        const immutable = query.get('hash') === doc.hash;
        return sendRawJson(res, 200, doc.json, 'application/json', {
          etag: `"${doc.hash}"`,
          'cache-control': immutable ? 'public, immutable' : 'no-cache, private',
        });
      }
      case 'openapiV2':
        if ((req.headers.accept ?? '').includes('protobuf')) {
          (res as ServerResponse).writeHead(200, { 'content-type': openapiV2ProtobufType, 'content-length': String(openapiV2Protobuf.length) });
          res.end(openapiV2Protobuf);
          return;
        }
        return sendRawJson(res, 200, openapiV2Json());
      case 'resource': {
        const rest = byGvp.get(`${route.group}/${route.version}/${route.plural}`)!;
        const ctx: RequestContext = { req, res, method, query, user: user!, log };
        return handleResource(ctx, route, rest, opts.streams);
      }
    }
  }

  return function onRequest(req: Req, res: Res): void {
    const started = process.hrtime.bigint();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    let route: Route;
    let user: UserInfo | undefined;
    let query: URLSearchParams;
    try {
      query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
      route = parsePath(path, lookup);
      user = authn.authenticate(tlsSocketOf(req), req.headers.authorization);
    } catch (err) {
      sendError(res, err, undefined, log, { method: req.method, path });
      return;
    }
    if (!user && !publicRoutes.has(route.t)) {
      sendError(res, unauthorizedError());
      return;
    }
    serve(req, res, route, user, query).then(
      () => {
        log.debug('request', { method: req.method, path, user: user?.name, code: res.statusCode, ms: msSince(started) });
      },
      (err: unknown) => {
        const apiErr: ApiError = toApiError(err);
        if (apiErr.code >= 500) log.error('request failed', { method: req.method, path, user: user?.name, error: errorText(err) });
        else log.debug('request', { method: req.method, path, user: user?.name, code: apiErr.code, reason: apiErr.reason });
        if (res.headersSent) {
          const stream = (req as Http2ServerRequest).stream;
          if (stream ? !stream.writableEnded : !res.writableEnded) res.end();
        } else {
          sendError(res, apiErr);
        }
        if (err instanceof BodyTooLargeError) closeAfterReply(req, res);
      },
    );
  };
}

const errorText = (err: unknown) => (err instanceof Error ? (err.stack ?? err.message) : String(err));
const msSince = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

function hostOf(req: Req): string {
  const h = (req as Http2ServerRequest).authority ?? req.headers.host;
  if (h) return h;
  const s = req.socket;
  return `${s?.localAddress ?? '127.0.0.1'}:${s?.localPort ?? 0}`;
}

/** After a 413: stop receiving the rest of the body (RST_STREAM on h2, close the connection on HTTP/1.1). */
function closeAfterReply(req: Req, res: Res): void {
  const stream = (req as Http2ServerRequest).stream;
  if (stream) {
    const close = () => {
      if (!stream.destroyed) stream.close(h2.NGHTTP2_NO_ERROR);
    };
    if (stream.writableFinished) close();
    else stream.once('finish', close);
    return;
  }
  const socket = req.socket;
  res.once('finish', () => socket?.destroySoon?.());
}

/** Writes a Status reply on a raw (upgrade) socket and closes it. */
export function rejectUpgrade(socket: Duplex, err: unknown): void {
  const status = statusOf(toApiError(err));
  const body = JSON.stringify(status);
  const reason = status.code === 401 ? 'Unauthorized' : status.code === 404 ? 'Not Found' : status.code === 400 ? 'Bad Request' : 'Error';
  try {
    socket.end(
      `HTTP/1.1 ${status.code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  } catch {
    socket.destroy();
  }
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const log = opts.log ?? defaultLog;
  const authn = createAuthenticator(opts.tokens);
  const server = createSecureServer({
    allowHTTP1: true,
    cert: opts.tls.cert,
    key: opts.tls.key,
    ca: opts.tls.ca,
    requestCert: true,
    rejectUnauthorized: false,
    maxSessionMemory: 64,
    settings: { maxConcurrentStreams: 1000 },
  });
  // Stream handlers may be plugged in after start; the handlers below read them per request.
  const hooks: Pick<ApiServerOptions, 'streams' | 'upgrade'> = { streams: opts.streams, upgrade: opts.upgrade };
  const streams: SubresourceStreamHandler = (ctx, route) => (hooks.streams ? hooks.streams(ctx, route) : Promise.resolve(false));
  const onRequest = createRequestHandler({ ...opts, streams }, authn);
  server.on('request', onRequest as (req: Http2ServerRequest, res: Http2ServerResponse) => void);

  const infosByGvp = new Map<string, ResourceInfo>();
  for (const r of servedResources(opts)) infosByGvp.set(`${r.info.group}/${r.info.version}/${r.info.plural}`, r.info);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = req.url ?? '/';
      const path = url.split('?', 1)[0];
      const route = parsePath(path, (g, v, p) => infosByGvp.get(`${g}/${v}/${p}`));
      const user = authn.authenticate(socket as TLSSocket, req.headers.authorization);
      if (!user) return rejectUpgrade(socket, unauthorizedError());
      const upgrade = hooks.upgrade;
      if (route.t !== 'resource' || route.subresource === undefined || !upgrade) return rejectUpgrade(socket, noSuchPathError());
      Promise.resolve(upgrade(req, socket, head, route, user)).then(
        (handled) => {
          if (!handled) rejectUpgrade(socket, noSuchPathError());
        },
        (err) => {
          log.error('upgrade failed', { path, error: errorText(err) });
          rejectUpgrade(socket, err);
        },
      );
    } catch (err) {
      rejectUpgrade(socket, err);
    }
  });

  // Keep the process alive through bad peers: TLS errors and session errors are the peer's problem.
  server.on('tlsClientError', (err: Error) => log.debug('tls client error', { error: err.message }));
  server.on('sessionError', (err: Error) => log.debug('http2 session error', { error: err.message }));
  server.on('session', (session) => session.on('error', () => {}));
  server.on('stream', (stream) => stream.on('error', () => {}));
  server.on('secureConnection', (socket: Socket) => {
    socket.on('error', () => {});
    // Small replies must not wait for Nagle + delayed ACK (~40 ms per round trip otherwise).
    socket.setNoDelay(true);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error('server error', { error: err.message }));
  const port = (server.address() as AddressInfo).port;
  const host = opts.host && opts.host !== '0.0.0.0' && opts.host !== '::' ? opts.host : '127.0.0.1';
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const sessions = new Set<import('node:http2').ServerHttp2Session>();
  const sockets = new Set<Socket>();
  server.on('session', (s) => {
    sessions.add(s);
    s.once('close', () => sessions.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });

  return {
    port,
    url,
    server,
    authenticator: authn,
    setStreamHandlers(handlers) {
      if ('streams' in handlers) hooks.streams = handlers.streams;
      if ('upgrade' in handlers) hooks.upgrade = handlers.upgrade;
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sessions) s.close();
        // long-lived streams (watches, proxied exec/port-forward) and keep-alive sockets would hold close() forever
        setTimeout(() => {
          for (const s of sessions) s.destroy();
          for (const s of sockets) s.destroy();
        }, 200).unref();
      })),
  };
}
