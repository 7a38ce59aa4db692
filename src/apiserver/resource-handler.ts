/**
 * One resource request → one ResourceRest call: the verb comes from the method and the path shape
 * (GET collection = list/watch, GET item = get, POST = create, PUT = update, PATCH = patch, DELETE = delete or
 * deletecollection), the options from the query, the body from body.ts; the reply is JSON/YAML/Table.
 */
import type { KubeObject } from '../api/object.ts';
import { apiVersionOf, type ResourceInfo } from '../api/resources.ts';
import { badRequestError, methodNotAllowedError, noSuchPathError } from '../machinery/api-error.ts';
import { fieldManagerName } from '../machinery/apply/field-manager-name.ts';
import type { PatchOptions, ResourceRest, UserInfo, WriteOptions } from '../registry/rest.ts';
import { checkDuplicateFields } from '../registry/field-validation.ts';
import { isReviewRest } from './auth-reviews.ts';
import { decodeBody, decodePatch, mediaType, readBody, type Req } from './body.ts';
import { protobufTypeMeta } from './protobuf-envelope.ts';
import type { Logger } from './log.ts';
import { negotiateOutput, type OutputFormat } from './negotiate.ts';
import {
  boolParam,
  deleteOptions,
  dryRunParam,
  fieldValidationParam,
  includeObjectParam,
  isWatch,
  listOptions,
  watchOptions,
  watchTimeoutSeconds,
} from './query.ts';
import { sendObject, sendRawJson, type Res } from './respond.ts';
import type { ResourceRoute } from './router.ts';
import { toTable } from './table.ts';
import { serveWatch } from './watch-stream.ts';

export interface RequestContext {
  req: Req;
  res: Res;
  method: string;
  query: URLSearchParams;
  user: UserInfo;
  log: Logger;
}

/**
 * Streaming subresources the HTTP layer serves itself (log, exec, attach, portforward): the agent proxy plugs in here.
 * Return false to fall through (→ 404).
 */
export type SubresourceStreamHandler = (ctx: RequestContext, route: ResourceRoute) => Promise<boolean>;

const streamSubresources = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

function requireVerb(info: ResourceInfo, verb: string, method: string): void {
  if (!info.verbs.includes(verb)) throw methodNotAllowedError(method);
}

const isJsonObjectText = (buf: Buffer) => {
  for (const b of buf) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x7b;
  }
  return false;
};

const headerText = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h);

function writeOptions(ctx: RequestContext): WriteOptions {
  const o: WriteOptions = {
    user: ctx.user,
    dryRun: dryRunParam(ctx.query),
    fieldValidation: fieldValidationParam(ctx.query),
    warnings: [],
  };
  const fm = ctx.query.get('fieldManager');
  if (fm && Buffer.byteLength(fm) > 128) throw badRequestError(`fieldManager: Too long: must have at most 128 bytes`);
  // Without a fieldManager, writes are recorded under the User-Agent's prefix (`kubectl`, `k8ts`, …).
  const manager = fieldManagerName(fm || undefined, headerText(ctx.req.headers['user-agent']));
  if (manager) o.fieldManager = manager;
  return o;
}

/** The decoded object body of a create/update, checked against the URL (namespace, name) and defaulted (apiVersion, kind). */
async function objectBody(ctx: RequestContext, route: ResourceRoute, kindForDefault?: string, opts?: WriteOptions): Promise<KubeObject> {
  const buf = await readBody(ctx.req);
  const decoded = await decodeBody(buf, ctx.req.headers['content-type']);
  // Duplicate keys are visible only in the text: check JSON bodies of the main resource before anything drops them.
  if (opts && kindForDefault === undefined && opts.fieldValidation !== 'Ignore' && isJsonObjectText(buf)) {
    checkDuplicateFields(route.info, buf.toString('utf8'), decoded, opts.fieldValidation, opts.warnings);
  }
  const info = route.info;
  const what = kindForDefault ?? info.kind;
  if (decoded === undefined || decoded === null || typeof decoded !== 'object' || Array.isArray(decoded)) {
    throw badRequestError(
      `the object provided is unrecognized (must be of type ${what}): couldn't get version/kind; json parse error: ${
        decoded === undefined ? 'unexpected end of JSON input' : `json: cannot unmarshal ${Array.isArray(decoded) ? 'array' : typeof decoded} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`
      }`,
    );
  }
  const obj = decoded as KubeObject;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (typeof obj.metadata !== 'object' || Array.isArray(obj.metadata)) throw badRequestError('metadata: must be an object');
  if (kindForDefault === undefined) {
    if (obj.kind === undefined || obj.kind === '') obj.kind = info.kind;
    if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = apiVersionOf(info);
    if (obj.kind !== info.kind) {
      throw badRequestError(`the kind of the object provided (${obj.kind}) does not match the resource (${info.plural}, kind ${info.kind})`);
    }
    if (obj.apiVersion !== apiVersionOf(info)) {
      throw badRequestError(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersionOf(info)})`);
    }
  }
  if (info.namespaced && route.namespace !== undefined) {
    const ns = obj.metadata.namespace;
    if (ns === undefined || ns === '') obj.metadata.namespace = route.namespace;
    else if (ns !== route.namespace) throw badRequestError('the namespace of the provided object does not match the namespace sent on the request');
  } else if (!info.namespaced && obj.metadata.namespace) {
    delete obj.metadata.namespace;
  }
  if (route.name !== undefined && kindForDefault === undefined) {
    const n = obj.metadata.name;
    if (n === undefined || n === '') obj.metadata.name = route.name;
    else if (n !== route.name) throw badRequestError(`the name of the object (${n}) does not match the name on the URL (${route.name})`);
  }
  return obj;
}

/** A self-review body: JSON/YAML as usual; protobuf only for its kind (the answer never depends on the body). */
async function reviewBody(ctx: RequestContext, route: ResourceRoute): Promise<KubeObject> {
  if (mediaType(ctx.req.headers['content-type']) !== 'application/vnd.kubernetes.protobuf') return objectBody(ctx, route);
  const meta = protobufTypeMeta(await readBody(ctx.req));
  if (!meta || meta.kind !== route.info.kind) throw badRequestError(`the object provided is unrecognized (must be of type ${route.info.kind})`);
  return { ...meta, metadata: {} };
}

function sendOne(ctx: RequestContext, route: ResourceRoute, code: number, obj: KubeObject, format: OutputFormat, warnings?: string[]): void {
  if (format.kind === 'table' && ctx.method === 'GET' && (obj as { kind?: string }).kind !== 'Status') {
    const table = toTable(route.info, [obj], includeObjectParam(ctx.query), { version: format.version, resourceVersion: obj.metadata?.resourceVersion });
    sendObject(ctx.res, code, table, format, warnings);
    return;
  }
  sendObject(ctx.res, code, obj, format.kind === 'yaml' ? format : { kind: 'json' }, warnings);
}

/** Serves one resource request. Throws ApiError for client errors (the server renders them). */
export async function handleResource(
  ctx: RequestContext,
  route: ResourceRoute,
  rest: ResourceRest,
  streams?: SubresourceStreamHandler,
): Promise<void> {
  const { method, query } = ctx;
  const { info, namespace, name, subresource } = route;
  const format = negotiateOutput(ctx.req.headers.accept);

  if (subresource !== undefined) {
    if (streamSubresources.has(subresource)) {
      if (streams && (await streams(ctx, route))) return;
      throw noSuchPathError();
    }
    return handleSubresource(ctx, route, rest, format);
  }

  if (name === undefined) {
    // collection
    switch (method) {
      case 'GET': {
        if (route.watchPath || isWatch(query)) {
          requireVerb(info, 'watch', method);
          const stream = await serveWatch(ctx.res, rest, namespace, watchOptions(query), {
            format,
            includeObject: includeObjectParam(query),
            timeoutSeconds: watchTimeoutSeconds(query),
            log: ctx.log,
          });
          await stream.done;
          return;
        }
        requireVerb(info, 'list', method);
        if (format.kind === 'json' && rest.listJson) {
          // Plain JSON lists splice the stored object texts into the reply instead of parsing and re-serialising them.
          return sendRawJson(ctx.res, 200, await rest.listJson(namespace, listOptions(query)));
        }
        const list = await rest.list(namespace, listOptions(query));
        if (format.kind === 'table') {
          const table = toTable(info, list.items, includeObjectParam(query), {
            version: format.version,
            resourceVersion: list.metadata.resourceVersion,
            continue: list.metadata.continue,
            remainingItemCount: list.metadata.remainingItemCount,
          });
          sendObject(ctx.res, 200, table, format);
        } else {
          sendObject(ctx.res, 200, list, format);
        }
        return;
      }
      case 'POST': {
        if (info.namespaced && namespace === undefined) throw methodNotAllowedError(method);
        requireVerb(info, 'create', method);
        const opts = writeOptions(ctx);
        const body = isReviewRest(rest) ? await reviewBody(ctx, route) : await objectBody(ctx, route, undefined, opts);
        const created = await rest.create(namespace, body, opts);
        sendOne(ctx, route, 201, created, format, opts.warnings);
        return;
      }
      case 'DELETE': {
        if (info.namespaced && namespace === undefined) throw methodNotAllowedError(method);
        requireVerb(info, 'deletecollection', method);
        const opts = writeOptions(ctx);
        const body = await decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']);
        const del = deleteOptions(query, body);
        if (del.dryRun?.includes('All')) opts.dryRun = true;
        const list = await rest.deleteCollection(namespace, listOptions(query), del, opts);
        sendObject(ctx.res, 200, list, format.kind === 'yaml' ? format : { kind: 'json' }, opts.warnings);
        return;
      }
      default:
        throw methodNotAllowedError(method);
    }
  }

  switch (method) {
    case 'GET': {
      if (route.watchPath || isWatch(query)) {
        // watch of one object: the legacy /watch/…/name path, or ?watch=1 on an item
        requireVerb(info, 'watch', method);
        const wo = watchOptions(query);
        const byName = `metadata.name=${name}`;
        wo.fieldSelector = wo.fieldSelector ? `${wo.fieldSelector},${byName}` : byName;
        const stream = await serveWatch(ctx.res, rest, namespace, wo, {
          format,
          includeObject: includeObjectParam(query),
          timeoutSeconds: watchTimeoutSeconds(query),
          log: ctx.log,
        });
        await stream.done;
        return;
      }
      requireVerb(info, 'get', method);
      sendOne(ctx, route, 200, await rest.get(namespace, name), format);
      return;
    }
    case 'PUT': {
      requireVerb(info, 'update', method);
      const opts = writeOptions(ctx);
      const body = await objectBody(ctx, route, undefined, opts);
      const { object, created } = await rest.update(namespace, name, body, opts);
      sendOne(ctx, route, created ? 201 : 200, object, format, opts.warnings);
      return;
    }
    case 'PATCH': {
      requireVerb(info, 'patch', method);
      const opts: PatchOptions = writeOptions(ctx);
      const force = boolParam(query, 'force');
      const { type, patch } = decodePatch(await readBody(ctx.req), ctx.req.headers['content-type']);
      if (type === 'apply') {
        if (!query.get('fieldManager')) throw badRequestError('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
        if (force !== undefined) opts.force = force;
      } else if (force) {
        throw badRequestError('PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
      }
      const { object, created } = await rest.patch(namespace, name, type, patch, opts);
      sendOne(ctx, route, created ? 201 : 200, object, format, opts.warnings);
      return;
    }
    case 'DELETE': {
      requireVerb(info, 'delete', method);
      const opts = writeOptions(ctx);
      const body = await decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']);
      const del = deleteOptions(query, body);
      if (del.dryRun?.includes('All')) opts.dryRun = true;
      const result = await rest.delete(namespace, name, del, opts);
      sendObject(ctx.res, result.code, result.body, format.kind === 'yaml' ? format : { kind: 'json' }, opts.warnings);
      return;
    }
    default:
      throw methodNotAllowedError(method);
  }
}

async function handleSubresource(ctx: RequestContext, route: ResourceRoute, rest: ResourceRest, format: OutputFormat): Promise<void> {
  const { method, query } = ctx;
  const { info, namespace, subresource } = route;
  const name = route.name!;
  const verbs = info.subresources[subresource!]?.verbs;
  const sub = verbs ? rest.subresource?.(subresource!) : undefined;
  if (!sub || !verbs) throw noSuchPathError();
  const subKind = info.subresources[subresource!].kind;
  switch (method) {
    case 'GET':
      if (!sub.get || !verbs.includes('get')) throw methodNotAllowedError(method);
      sendOne(ctx, route, 200, await sub.get(namespace, name), format);
      return;
    case 'PUT': {
      if (!sub.update || !verbs.includes('update')) throw methodNotAllowedError(method);
      const opts = writeOptions(ctx);
      const body = await objectBody(ctx, route, subKind === info.kind ? undefined : subKind);
      const { object, created } = await sub.update(namespace, name, body, opts);
      sendOne(ctx, route, created ? 201 : 200, object, format, opts.warnings);
      return;
    }
    case 'PATCH': {
      if (!sub.patch || !verbs.includes('patch')) throw methodNotAllowedError(method);
      const opts: PatchOptions = writeOptions(ctx);
      const { type, patch } = decodePatch(await readBody(ctx.req), ctx.req.headers['content-type']);
      const force = boolParam(query, 'force');
      if (type === 'apply' && !query.get('fieldManager')) {
        throw badRequestError('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
      }
      if (type === 'apply' && force !== undefined) opts.force = force;
      const { object, created } = await sub.patch(namespace, name, type, patch, opts);
      sendOne(ctx, route, created ? 201 : 200, object, format, opts.warnings);
      return;
    }
    case 'POST': {
      if (!sub.create || !verbs.includes('create')) throw methodNotAllowedError(method);
      const opts = writeOptions(ctx);
      const body = await objectBody(ctx, { ...route, name: undefined }, subKind);
      const out = await sub.create(namespace, name, body, opts);
      sendObject(ctx.res, 201, out, format.kind === 'yaml' ? format : { kind: 'json' }, opts.warnings);
      return;
    }
    default:
      throw methodNotAllowedError(method);
  }
}
