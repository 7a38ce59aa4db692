/**
 * OpenAPI v3 documents served at /openapi/v3 (the index) and /openapi/v3/<group-version> (one document each),
 * built once from the kind schemas and the resource table.
 *
 * @example
 *   openapiV3Index().paths['api/v1'].serverRelativeURL  // '/openapi/v3/api/v1?hash=3F2A…'
 *   openapiV3Document('api/v1')                          // { openapi: '3.0.0', paths, components }
 */
import { createHash } from 'node:crypto';
import './schemas.ts'; // registers every kind schema
import { OpenApiSchemaWriter } from './openapi-schema.ts';
import { groupVersions, resourcePaths, schemaName, type Operation, type Param } from './openapi-paths.ts';

type Json = Record<string, unknown>;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const REF = '#/components/schemas/';
const objectTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const streamTypes = [...objectTypes, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];
export const patchContentTypes = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

function param(p: Param): Json {
  const out: Json = { name: p.name, in: p.in, description: p.description, schema: { type: p.type, uniqueItems: true } };
  if (p.required) out.required = true;
  return out;
}

function operation(op: Operation, w: OpenApiSchemaWriter, tag: string): Json {
  const content = (types: string[], schema: Json) => Object.fromEntries(types.map((t) => [t, { schema }]));
  const responseSchema = op.response ? w.ref(op.response) : { type: 'string' };
  const okTypes = op.response ? (op.streaming ? streamTypes : objectTypes) : ['*/*'];
  const ok = { description: 'OK', content: content(okTypes, responseSchema) };
  const responses: Json = { '200': ok };
  if (op.alsoCreated) responses['201'] = { description: 'Created', content: content(okTypes, responseSchema) };
  if (op.alsoAccepted) responses['202'] = { description: 'Accepted', content: content(okTypes, responseSchema) };
  responses['401'] = { description: 'Unauthorized' };
  const out: Json = {
    tags: [tag],
    description: op.description,
    operationId: op.operationId,
  };
  if (op.params.length) out.parameters = op.params.map(param);
  if (op.patchBody) {
    out.requestBody = { content: content(patchContentTypes, w.ref(`${META}.Patch`)), required: true };
  } else if (op.body) {
    out.requestBody = { content: content(['*/*'], w.ref(op.body)), required: op.method !== 'delete' };
  }
  out.responses = responses;
  out['x-kubernetes-action'] = op.action;
  out['x-kubernetes-group-version-kind'] = op.gvk;
  return out;
}

/** Builds the document of one group/version path, or undefined when it is not served. */
export function buildOpenapiV3Document(groupVersionPath: string): Json | undefined {
  const resources = groupVersions().get(groupVersionPath);
  if (!resources) return undefined;
  const w = new OpenApiSchemaWriter(REF);
  const [group, version] = groupVersionPath === 'api/v1' ? ['', 'v1'] : groupVersionPath.replace(/^apis\//, '').split('/');
  const tag = group === '' ? `core_${version}` : `${group.split('.')[0]}_${version}`;
  const paths: Json = {};
  for (const r of resources) {
    // The kind and list schemas are roots of the document even where no operation names them.
    w.need(schemaName(r, r.kind));
    w.need(schemaName(r, r.listKind));
    for (const item of resourcePaths(r)) {
      const pi: Json = {};
      for (const op of item.ops) pi[op.method] = operation(op, w, tag);
      pi.parameters = item.params.map(param);
      paths[item.path] = pi;
    }
  }
  for (const id of [`${META}.DeleteOptions`, `${META}.Status`, `${META}.WatchEvent`, `${META}.Patch`]) w.need(id);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: {
      schemas: w.sortedComponents(),
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer token authentication', name: 'authorization', in: 'header' } },
    },
    security: [{ BearerToken: [] }],
  };
}

interface Built {
  doc: Json;
  body: string;
  hash: string;
}

let cache: Map<string, Built> | undefined;

function built(): Map<string, Built> {
  if (cache) return cache;
  cache = new Map();
  for (const gv of groupVersions().keys()) {
    const doc = buildOpenapiV3Document(gv)!;
    const body = JSON.stringify(doc);
    cache.set(gv, { doc, body, hash: openapiHash(body) });
  }
  return cache;
}

/** Upper-case hex SHA-256 of a serialised document, as Kubernetes puts in `?hash=`. */
export function openapiHash(body: string): string {
  return createHash('sha256').update(body).digest('hex').toUpperCase();
}

/** The /openapi/v3 index: one entry per group/version, its URL pinned by the document hash. */
export function openapiV3Index(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [gv, b] of built()) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${b.hash}` };
  return { paths };
}

/** The document of one group/version (`api/v1`, `apis/coordination.k8s.io/v1`), or undefined. Cached; do not mutate. */
export function openapiV3Document(groupVersionPath: string): object | undefined {
  return built().get(groupVersionPath)?.doc;
}

/** The serialised document and its hash, for serving with ETag / cache headers. */
export function openapiV3Body(groupVersionPath: string): { body: string; hash: string } | undefined {
  const b = built().get(groupVersionPath);
  return b && { body: b.body, hash: b.hash };
}
