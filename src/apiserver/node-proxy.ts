/**
 * Pod streams (log, exec, attach, portforward) proxied to the agent of the pod's node, as the Kubernetes API server
 * proxies them to the kubelet. The agent serves kubelet-style paths over HTTPS on
 * `<InternalIP>:<status.daemonEndpoints.kubeletEndpoint.Port>`:
 *
 *   GET  /containerLogs/{ns}/{pod}/{container}?follow=…&tailLines=…   (the pod log query, minus `container`)
 *   GET|POST /exec/{ns}/{pod}/{container}?command=…&stdin=…            (websocket or SPDY upgrade, passed through)
 *   GET|POST /attach/{ns}/{pod}/{container}?stdin=…&tty=…
 *   GET|POST /portForward/{ns}/{pod}
 *
 * Each proxied request carries the configured headers (the agent secret: `X-K8ts-Agent-Secret`, see
 * src/agent/agent-server.ts), the API server's client certificate, and the caller as `X-Remote-User`/`-Group`.
 * The client's own Authorization never reaches the agent. Upgrades are proxied byte for byte (the handshake reply
 * and every frame come from the agent), so the agent owns the stream protocols.
 *
 *   const proxy = createNodeProxy({ getPod, getNode, tls: pki.agentClient, headers: { [AGENT_SECRET_HEADER]: secret } });
 *   api.setStreamHandlers(proxy);
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { KubeObject } from '../api/object.ts';
import { ApiError, badRequestError } from '../machinery/api-error.ts';
import type { UserInfo } from '../registry/rest.ts';
import type { Logger } from './log.ts';
import type { SubresourceStreamHandler } from './resource-handler.ts';
import type { UpgradeHandler } from './server.ts';
import type { ResourceRoute } from './router.ts';

export interface NodeProxyOptions {
  /** The pod (throws the registry's 404 ApiError when absent). */
  getPod(namespace: string, name: string): Promise<KubeObject>;
  getNode(name: string): Promise<KubeObject>;
  /** Client certificate presented to agents. */
  tls?: { cert: string; key: string };
  /** Extra headers on every proxied request (the agent's shared secret). */
  headers?: Record<string, string>;
  log?: Logger;
  /** Dial timeout, ms. */
  dialTimeoutMs?: number;
}

export interface AgentTarget {
  host: string;
  port: number;
  /** Path and query on the agent. */
  path: string;
}

const agentVerbs: Record<string, string> = { log: 'containerLogs', exec: 'exec', attach: 'attach', portforward: 'portForward' };

const names = (list: unknown) => (Array.isArray(list) ? list.map((c: { name?: string }) => c.name ?? '') : []);

/** The container a log/exec/attach request means: `container=` or the pod's only container. */
export function containerFor(pod: KubeObject, requested: string | null): string {
  const containers = names(pod.spec?.containers);
  const init = names(pod.spec?.initContainers);
  const ephemeral = names(pod.spec?.ephemeralContainers);
  const podName = pod.metadata.name;
  if (requested) {
    if (containers.includes(requested) || init.includes(requested) || ephemeral.includes(requested)) return requested;
    throw badRequestError(`container ${requested} is not valid for pod ${podName}`);
  }
  if (containers.length === 1) return containers[0];
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && containers.includes(annotated)) return annotated;
  let msg = `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`;
  if (init.length) msg += ` or one of the init containers: [${init.join(' ')}]`;
  throw badRequestError(msg);
}

/** Where the agent of `node` listens. */
export function agentAddress(node: KubeObject): { host: string; port: number } {
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  const addresses: { type?: string; address?: string }[] = node.status?.addresses ?? [];
  const host = (addresses.find((a) => a.type === 'InternalIP') ?? addresses.find((a) => a.type === 'Hostname') ?? addresses[0])?.address;
  if (!port || !host) {
    throw new ApiError(503, 'ServiceUnavailable', `no agent endpoint for node "${node.metadata.name}" (status.addresses / status.daemonEndpoints)`);
  }
  return { host, port: Number(port) };
}

/** Resolves a pod stream request to the agent URL that serves it. */
export async function resolveTarget(opts: NodeProxyOptions, route: ResourceRoute, query: URLSearchParams): Promise<AgentTarget> {
  const verb = agentVerbs[route.subresource ?? ''];
  if (!verb || route.plural !== 'pods' || route.group !== '' || !route.namespace || !route.name) {
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
  }
  const pod = await opts.getPod(route.namespace, route.name);
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw badRequestError(`pod ${route.name} does not have a host assigned`);
  const { host, port } = agentAddress(await opts.getNode(nodeName));
  const q = new URLSearchParams(query);
  const segs = [verb, route.namespace, route.name];
  if (verb !== 'portForward') {
    segs.push(containerFor(pod, q.get('container')));
    q.delete('container');
  }
  const qs = q.toString();
  return { host, port, path: `/${segs.map(encodeURIComponent).join('/')}${qs ? `?${qs}` : ''}` };
}

const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'authorization', 'http2-settings']);

function forwardHeaders(headers: IncomingMessage['headers'], user: UserInfo, opts: NodeProxyOptions): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || k.startsWith(':') || hopByHop.has(k) || k.startsWith('x-remote-') || k.startsWith('x-k8ts-')) continue;
    out[k] = v;
  }
  if (opts.headers) for (const [k, v] of Object.entries(opts.headers)) out[k.toLowerCase()] = v;
  out['x-remote-user'] = user.name;
  if (user.groups.length) out['x-remote-group'] = user.groups;
  return out;
}

export function createNodeProxy(opts: NodeProxyOptions): { streams: SubresourceStreamHandler; upgrade: UpgradeHandler } {
  const dialTimeout = opts.dialTimeoutMs ?? 10_000;

  /** Plain requests (log; anything else that arrives without an upgrade, e.g. over HTTP/2). */
  const streams: SubresourceStreamHandler = async (ctx, route) => {
    if (!agentVerbs[route.subresource ?? '']) return false;
    const target = await resolveTarget(opts, route, ctx.query);
    const res = ctx.res as ServerResponse;
    await new Promise<void>((resolve, reject) => {
      const upstream = httpsRequest(
        {
          host: target.host,
          port: target.port,
          path: target.path,
          method: ctx.method,
          headers: forwardHeaders(ctx.req.headers as IncomingMessage['headers'], ctx.user, opts),
          rejectUnauthorized: false,
          cert: opts.tls?.cert,
          key: opts.tls?.key,
          agent: false,
          timeout: dialTimeout,
        },
        (agentRes) => {
          upstream.setTimeout(0);
          const headers: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(agentRes.headers)) if (v !== undefined && !hopByHop.has(k) && k !== 'content-length') headers[k] = v;
          if (agentRes.headers['content-length'] && !agentRes.headers['transfer-encoding']) headers['content-length'] = agentRes.headers['content-length'];
          res.writeHead(agentRes.statusCode ?? 502, headers);
          res.flushHeaders?.();
          agentRes.on('data', (c: Buffer) => res.write(c));
          agentRes.on('end', () => {
            res.end();
            resolve();
          });
          agentRes.on('error', () => {
            res.destroy();
            resolve();
          });
          agentRes.on('close', () => {
            if (!res.writableEnded) res.destroy();
            resolve();
          });
        },
      );
      const onClientGone = () => upstream.destroy();
      res.on('close', onClientGone);
      upstream.on('timeout', () => upstream.destroy(new Error(`dial ${target.host}:${target.port}: timeout`)));
      upstream.on('error', (err) => {
        if (res.headersSent) {
          res.destroy();
          resolve();
        } else reject(new ApiError(500, 'InternalError', `error dialing backend: ${err.message}`));
      });
      ctx.req.pipe(upstream as unknown as NodeJS.WritableStream);
    });
    return true;
  };

  /** Upgrades (websocket / SPDY): replay the request to the agent and splice the two sockets. */
  const upgrade: UpgradeHandler = async (req, socket, head, route, user) => {
    if (!agentVerbs[route.subresource ?? '']) return false;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const target = await resolveTarget(opts, route, new URLSearchParams(q < 0 ? '' : url.slice(q + 1)));
    const upstream = tlsConnect({ host: target.host, port: target.port, rejectUnauthorized: false, cert: opts.tls?.cert, key: opts.tls?.key, ALPNProtocols: ['http/1.1'] });
    const dialTimer = setTimeout(() => upstream.destroy(new Error(`dial ${target.host}:${target.port}: timeout`)), dialTimeout);
    await new Promise<void>((resolve, reject) => {
      upstream.once('secureConnect', () => {
        clearTimeout(dialTimer);
        const headers = forwardHeaders(req.headers, user, opts);
        let text = `${req.method} ${target.path} HTTP/1.1\r\nHost: ${target.host}:${target.port}\r\nConnection: Upgrade\r\nUpgrade: ${req.headers.upgrade ?? ''}\r\n`;
        for (const [k, v] of Object.entries(headers)) for (const one of Array.isArray(v) ? v : [v]) text += `${k}: ${one}\r\n`;
        upstream.write(`${text}\r\n`);
        if (head.length) upstream.write(head);
        splice(socket, upstream);
        opts.log?.debug('stream proxied', { subresource: route.subresource, pod: `${route.namespace}/${route.name}`, agent: `${target.host}:${target.port}` });
        resolve();
      });
      upstream.once('error', (err) => {
        clearTimeout(dialTimer);
        reject(new ApiError(500, 'InternalError', `error dialing backend: ${err.message}`));
      });
    });
    return true;
  };

  return { streams, upgrade };
}

function splice(a: Duplex, b: Duplex): void {
  const close = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', close);
  b.on('error', close);
  a.on('close', close);
  b.on('close', close);
  a.pipe(b);
  b.pipe(a);
}

