/**
 * A typed HTTPS client to the k8ts (or any Kubernetes) API server: HTTP/2 over one reused session (reconnected after
 * GOAWAY/close), bearer-token or client-certificate auth, errors as ApiError carrying the server's Status.
 * `RestResourceClient` mirrors the in-process ResourceClient (local-client.ts), so loops can run over either.
 *
 *   const client = new RestClient(await loadKubeconfig('/var/lib/k8ts/admin.kubeconfig'));
 *   const pods = await client.pods.list('default', { labelSelector: 'app=web' });
 *   const w = await client.pods.watch(undefined, { fieldSelector: 'spec.nodeName=n1' }, (type, obj) => …);
 *   w.stop(); client.close();
 */
import http2 from 'node:http2';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { KubeList, KubeObject } from '../api/object.ts';
import { allResources, type ResourceInfo } from '../api/resources.ts';
import { ApiError, type Status } from '../machinery/api-error.ts';
import type { DeleteOptions, DeleteResult, ListOptions, PatchType, WatchEventType, WatchHandle, WatchOptions } from '../registry/rest.ts';
import type { ClientWriteOptions, ResourceApi } from './client.ts';

export interface RestConfig {
  /** https://host:port */
  server: string;
  token?: string;
  /** PEM: the CA that signed the server's certificate. Without it (and without insecure) the system CAs apply. */
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Skip verification of the server certificate (a token join without a CA). */
  insecure?: boolean;
  userAgent?: string;
  /** Per-request timeout for non-watch requests (default 30 s). */
  timeoutMs?: number;
}

/** Reads a kubeconfig's current context: server, CA, client cert/key or token (inline data or file paths). */
export async function loadKubeconfig(path: string): Promise<RestConfig> {
  const kc = parseYaml(await readFile(path, 'utf8')) ?? {};
  const ctxName = kc['current-context'];
  const ctx = (kc.contexts ?? []).find((c: { name: string }) => c.name === ctxName)?.context ?? kc.contexts?.[0]?.context ?? {};
  const cluster = (kc.clusters ?? []).find((c: { name: string }) => c.name === ctx.cluster)?.cluster ?? kc.clusters?.[0]?.cluster;
  const user = (kc.users ?? []).find((u: { name: string }) => u.name === ctx.user)?.user ?? kc.users?.[0]?.user ?? {};
  if (!cluster?.server) throw new Error(`kubeconfig ${path}: no cluster server`);
  const data = async (inline: string | undefined, file: string | undefined) =>
    inline ? Buffer.from(inline, 'base64') : file ? await readFile(file) : undefined;
  const cfg: RestConfig = { server: cluster.server };
  const ca = await data(cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (ca) cfg.ca = ca;
  if (cluster['insecure-skip-tls-verify']) cfg.insecure = true;
  const cert = await data(user['client-certificate-data'], user['client-certificate']);
  const key = await data(user['client-key-data'], user['client-key']);
  if (cert && key) Object.assign(cfg, { cert, key });
  if (user.token) cfg.token = user.token;
  else if (user.tokenFile) cfg.token = (await readFile(user.tokenFile, 'utf8')).trim();
  return cfg;
}

/** A token join: `--server URL --token-file FILE [--ca-file FILE]`; without a CA the server cert is not verified. */
export async function configFromToken(server: string, tokenFile: string, caFile?: string): Promise<RestConfig> {
  const token = (await readFile(tokenFile, 'utf8')).trim();
  if (!token) throw new Error(`token file ${tokenFile} is empty`);
  const cfg: RestConfig = { server, token };
  if (caFile) cfg.ca = await readFile(caFile);
  else cfg.insecure = true;
  return cfg;
}

export interface RawReply {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: Buffer;
}

const patchContentTypes: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

/** The Status of a failed reply (or one made up from the text) as an ApiError. */
export function errorFromReply(status: number, body: Buffer | string): ApiError {
  const text = body.toString();
  try {
    const s = JSON.parse(text) as Status;
    if (s && s.kind === 'Status') return new ApiError(s.code || status, s.reason ?? '', s.message ?? text, s.details);
  } catch {
    // not JSON
  }
  const reason = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 404 ? 'NotFound' : 'InternalError';
  return new ApiError(status, reason, text.trim() || `HTTP ${status}`);
}

export class RestClient {
  readonly config: RestConfig;
  #session: http2.ClientHttp2Session | undefined;
  #closed = false;
  readonly #cache = new Map<string, RestResourceClient>();

  constructor(config: RestConfig) {
    this.config = config;
  }

  /** The one session, (re)connected on demand. */
  session(): http2.ClientHttp2Session {
    if (this.#closed) throw new Error('RestClient is closed');
    const s = this.#session;
    if (s && !s.closed && !s.destroyed) return s;
    const opts: http2.SecureClientSessionOptions = { rejectUnauthorized: !this.config.insecure };
    if (this.config.ca) opts.ca = this.config.ca;
    if (this.config.cert && this.config.key) Object.assign(opts, { cert: this.config.cert, key: this.config.key });
    const session = http2.connect(this.config.server, opts);
    const drop = () => {
      if (this.#session === session) this.#session = undefined;
    };
    session.on('goaway', drop);
    session.on('close', drop);
    session.on('error', drop);
    this.#session = session;
    return session;
  }

  #headers(method: string, path: string, extra: Record<string, string> = {}): http2.OutgoingHttpHeaders {
    const h: http2.OutgoingHttpHeaders = { ':method': method, ':path': path, accept: 'application/json', ...extra };
    if (this.config.token) h.authorization = `Bearer ${this.config.token}`;
    h['user-agent'] = this.config.userAgent ?? 'k8ts/v1.32.4';
    return h;
  }

  /** Opens a stream; retried once on a session that died between use and request. */
  stream(method: string, path: string, extra?: Record<string, string>, hasBody = false): http2.ClientHttp2Stream {
    // node ends GET/DELETE streams at once unless told otherwise; DELETE carries DeleteOptions here
    const opts = { endStream: !hasBody };
    try {
      return this.session().request(this.#headers(method, path, extra), opts);
    } catch (err) {
      this.#session?.destroy();
      this.#session = undefined;
      if (this.#closed) throw err;
      return this.session().request(this.#headers(method, path, extra), opts);
    }
  }

  /** One request, whole body. Rejects on network errors only; HTTP errors come back as status. */
  raw(method: string, path: string, body?: string | Buffer, contentType = 'application/json'): Promise<RawReply> {
    return new Promise((resolve, reject) => {
      let req: http2.ClientHttp2Stream;
      try {
        req = this.stream(method, path, body === undefined ? {} : { 'content-type': contentType }, body !== undefined);
      } catch (err) {
        return reject(err);
      }
      const chunks: Buffer[] = [];
      let status = 0;
      let headers: http2.IncomingHttpHeaders = {};
      req.setTimeout(this.config.timeoutMs ?? 30_000, () => req.close(http2.constants.NGHTTP2_CANCEL));
      req.on('response', (h) => {
        headers = h;
        status = Number(h[':status']);
      });
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve({ status, headers, body: Buffer.concat(chunks) }));
      req.on('error', reject);
      req.on('close', () => {
        if (!status) reject(new Error(`${method} ${path}: stream closed without a response (code ${req.rstCode})`));
      });
      if (body !== undefined) req.end(body);
    });
  }

  /** A JSON request; non-2xx → ApiError. */
  async request<T = KubeObject>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const r = await this.raw(method, path, body === undefined ? undefined : JSON.stringify(body), contentType);
    if (r.status < 200 || r.status > 299) throw errorFromReply(r.status, r.body);
    return (r.body.length ? JSON.parse(r.body.toString()) : {}) as T;
  }

  resource(plural: string, group = ''): RestResourceClient {
    const key = `${group}/${plural}`;
    let c = this.#cache.get(key);
    if (!c) {
      const info = allResources.find((r) => r.plural === plural && r.group === group);
      if (!info) throw new Error(`unknown resource ${plural}${group ? `.${group}` : ''}`);
      c = new RestResourceClient(this, info);
      this.#cache.set(key, c);
    }
    return c;
  }

  get pods(): RestResourceClient {
    return this.resource('pods');
  }
  get namespaces(): RestResourceClient {
    return this.resource('namespaces');
  }
  get nodes(): RestResourceClient {
    return this.resource('nodes');
  }
  get events(): RestResourceClient {
    return this.resource('events');
  }
  get leases(): RestResourceClient {
    return this.resource('leases', 'coordination.k8s.io');
  }

  /** Closes the session; watches end without reconnecting. */
  close(): void {
    this.#closed = true;
    this.#session?.close();
    this.#session?.destroy();
    this.#session = undefined;
  }

  get closed(): boolean {
    return this.#closed;
  }
}

const qs = (params: Record<string, string | number | boolean | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

const writeQuery = (o: ClientWriteOptions = {}) => ({ dryRun: o.dryRun ? 'All' : undefined, fieldManager: o.fieldManager });

export class RestResourceClient implements ResourceApi {
  readonly info: ResourceInfo;
  readonly #c: RestClient;

  constructor(client: RestClient, info: ResourceInfo) {
    this.#c = client;
    this.info = info;
  }

  /** /api/v1[/namespaces/NS]/plural[/name[/sub]] */
  path(namespace: string | undefined, name?: string, sub?: string): string {
    const base = this.info.group ? `/apis/${this.info.group}/${this.info.version}` : `/api/${this.info.version}`;
    let p = base;
    if (this.info.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
    p += `/${this.info.plural}`;
    if (name !== undefined) p += `/${encodeURIComponent(name)}`;
    if (sub) p += `/${sub}`;
    return p;
  }

  get(namespace: string | undefined, name: string): Promise<KubeObject> {
    return this.#c.request('GET', this.path(namespace, name));
  }

  /** The object, or undefined on 404. */
  async getOrUndefined(namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    try {
      return await this.get(namespace, name);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return undefined;
      throw err;
    }
  }

  list(namespace: string | undefined, options: ListOptions = {}): Promise<KubeList> {
    return this.#c.request<KubeList>('GET', this.path(namespace) + qs({ ...options }));
  }

  async listAll(namespace: string | undefined, options: ListOptions = {}, pageSize = 500): Promise<KubeList> {
    const first = await this.list(namespace, { ...options, limit: pageSize });
    const items = [...first.items];
    let token = first.metadata.continue;
    while (token) {
      const next = await this.list(namespace, { ...options, limit: pageSize, continue: token, resourceVersion: undefined, resourceVersionMatch: undefined });
      items.push(...next.items);
      token = next.metadata.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  create(namespace: string | undefined, obj: KubeObject, options?: ClientWriteOptions): Promise<KubeObject> {
    return this.#c.request('POST', this.path(namespace) + qs(writeQuery(options)), obj);
  }

  update(obj: KubeObject, options?: ClientWriteOptions): Promise<KubeObject> {
    return this.#c.request('PUT', this.path(obj.metadata.namespace, obj.metadata.name ?? '') + qs(writeQuery(options)), obj);
  }

  patch(namespace: string | undefined, name: string, type: PatchType, patch: unknown, options?: ClientWriteOptions & { force?: boolean }): Promise<KubeObject> {
    return this.#patch(namespace, name, undefined, type, patch, options);
  }

  updateStatus(obj: KubeObject, options?: ClientWriteOptions): Promise<KubeObject> {
    return this.#c.request('PUT', this.path(obj.metadata.namespace, obj.metadata.name ?? '', 'status') + qs(writeQuery(options)), obj);
  }

  patchStatus(namespace: string | undefined, name: string, type: PatchType, patch: unknown, options?: ClientWriteOptions): Promise<KubeObject> {
    return this.#patch(namespace, name, 'status', type, patch, options);
  }

  #patch(namespace: string | undefined, name: string, sub: string | undefined, type: PatchType, patch: unknown, options: (ClientWriteOptions & { force?: boolean }) = {}) {
    const q = { ...writeQuery(options), force: options.force ? true : undefined };
    if (type === 'apply' && !q.fieldManager) q.fieldManager = 'k8ts';
    return this.#c.request<KubeObject>('PATCH', this.path(namespace, name, sub) + qs(q), patch, patchContentTypes[type]);
  }

  /** POST pods/<name>/binding. */
  async bind(namespace: string, name: string, nodeName: string, uid?: string, options?: ClientWriteOptions): Promise<void> {
    const metadata: KubeObject['metadata'] = { name, namespace };
    if (uid) metadata.uid = uid;
    await this.#c.request('POST', this.path(namespace, name, 'binding') + qs(writeQuery(options)), {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata,
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    });
  }

  async delete(namespace: string | undefined, name: string, options: DeleteOptions = {}, write?: ClientWriteOptions): Promise<DeleteResult> {
    const r = await this.#c.raw('DELETE', this.path(namespace, name) + qs(writeQuery(write)), JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', ...options }));
    if (r.status < 200 || r.status > 299) throw errorFromReply(r.status, r.body);
    return { code: r.status, body: JSON.parse(r.body.toString()) };
  }

  /**
   * A streaming watch. Events arrive in order; the last seen resourceVersion (objects and bookmarks) is kept, and a
   * stream that ends (server timeout, connection lost, GOAWAY) is resumed from it. An ERROR event (410 Expired: the
   * caller must re-list) ends the watch. Rejects when the first request is refused (bad selector, 410, …).
   */
  async watch(namespace: string | undefined, options: WatchOptions, onEvent: (type: WatchEventType, object: KubeObject | Status) => void): Promise<WatchHandle> {
    let rv = options.resourceVersion;
    let stopped = false;
    let current: http2.ClientHttp2Stream | undefined;
    let timer: NodeJS.Timeout | undefined;
    let failures = 0;

    const open = (first: boolean): Promise<void> =>
      new Promise((resolve, reject) => {
        const q = qs({
          watch: 1,
          resourceVersion: rv,
          allowWatchBookmarks: options.allowWatchBookmarks ?? true,
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          resourceVersionMatch: options.resourceVersionMatch,
          sendInitialEvents: options.sendInitialEvents,
        });
        let stream: http2.ClientHttp2Stream;
        try {
          stream = this.#c.stream('GET', this.path(namespace) + q);
        } catch (err) {
          return first ? reject(err) : retry();
        }
        current = stream;
        let buf = '';
        let ok = false;
        let status = 0;
        let settled = false;
        let finished = false;
        const errChunks: Buffer[] = [];
        stream.setEncoding?.('utf8');
        stream.on('response', (h) => {
          status = Number(h[':status']);
          ok = status === 200;
          if (ok) {
            failures = 0;
            settled = true;
            resolve();
          }
        });
        stream.on('data', (chunk: string | Buffer) => {
          if (!ok) {
            errChunks.push(Buffer.from(chunk));
            return;
          }
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (!line || stopped) continue;
            let ev: { type: WatchEventType; object: KubeObject | Status };
            try {
              ev = JSON.parse(line);
            } catch {
              continue;
            }
            if (ev.type === 'ERROR') {
              stopped = true;
              stream.close();
              onEvent('ERROR', ev.object);
              return;
            }
            const objRv = (ev.object as KubeObject).metadata?.resourceVersion;
            if (objRv) rv = objRv;
            onEvent(ev.type, ev.object);
          }
        });
        const ended = () => {
          if (finished) return;
          finished = true;
          if (current === stream) current = undefined;
          if (stopped) return;
          if (!ok && status) {
            const err = errorFromReply(status, Buffer.concat(errChunks));
            if (!settled && first) {
              settled = true;
              return reject(err);
            }
            if (err.code === 410) {
              // the resume point is gone: the caller re-lists
              if (!stopped) {
                stopped = true;
                onEvent('ERROR', err.toStatus());
              }
              return;
            }
          }
          if (!settled && first) {
            settled = true;
            return reject(new Error(`watch ${this.info.plural}: stream closed before a response`));
          }
          retry();
        };
        stream.on('end', ended);
        stream.on('error', () => {});
        stream.on('close', ended);
      });

    const retry = () => {
      if (stopped || this.#c.closed) return;
      failures++;
      const delay = Math.min(100 * 2 ** Math.min(failures - 1, 6), 5000);
      timer = setTimeout(() => {
        timer = undefined;
        void open(false).catch(() => retry());
      }, failures === 1 ? 0 : delay);
    };

    await open(true);
    return {
      stop: () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        current?.close(http2.constants.NGHTTP2_CANCEL);
        current = undefined;
      },
    };
  }
}
