/**
 * The Swagger 2.0 document served at /openapi/v2 (JSON), covering every served group/version in one document.
 * Built once from the same schemas and operations as the v3 documents.
 *
 * @example
 *   const { body, hash } = openapiV2Body(); // serve body with ETag "hash"
 */
import './schemas.ts'; // registers every kind schema
import { OpenApiSchemaWriter } from './openapi-schema.ts';
import { groupVersions, resourcePaths, schemaName, type Operation, type Param } from './openapi-paths.ts';
import { openapiHash, patchContentTypes } from './openapi-v3.ts';

type Json = Record<string, unknown>;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const objectTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const streamTypes = [...objectTypes, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];

function param(p: Param): Json {
  const out: Json = { uniqueItems: true, type: p.type, description: p.description, name: p.name, in: p.in };
  if (p.required) out.required = true;
  return out;
}

function operation(op: Operation, w: OpenApiSchemaWriter, tag: string): Json {
  const params = op.params.map(param);
  if (op.patchBody) params.unshift({ name: 'body', in: 'body', required: true, schema: w.ref(`${META}.Patch`) });
  else if (op.body) params.unshift({ name: 'body', in: 'body', required: op.method !== 'delete', schema: w.ref(op.body) });
  const ok: Json = op.response ? { description: 'OK', schema: w.ref(op.response) } : { description: 'OK', schema: { type: 'string' } };
  const responses: Json = { '200': ok };
  if (op.alsoCreated) responses['201'] = { ...ok, description: 'Created' };
  if (op.alsoAccepted) responses['202'] = { ...ok, description: 'Accepted' };
  responses['401'] = { description: 'Unauthorized' };
  const out: Json = {
    description: op.description,
    consumes: op.patchBody ? patchContentTypes : ['*/*'],
    produces: op.response ? (op.streaming ? streamTypes : objectTypes) : ['*/*'],
    schemes: ['https'],
    tags: [tag],
    operationId: op.operationId,
  };
  if (params.length) out.parameters = params;
  out.responses = responses;
  out['x-kubernetes-action'] = op.action;
  out['x-kubernetes-group-version-kind'] = op.gvk;
  return out;
}

/** Builds the whole Swagger 2.0 document (uncached). */
export function buildOpenapiV2Document(): Json {
  const w = new OpenApiSchemaWriter('#/definitions/', 'v2');
  const paths: Json = {};
  for (const resources of groupVersions().values()) {
    for (const r of resources) {
      const tag = r.group === '' ? `core_${r.version}` : `${r.group.split('.')[0]}_${r.version}`;
      w.need(schemaName(r, r.kind));
      w.need(schemaName(r, r.listKind));
      for (const item of resourcePaths(r)) {
        const pi: Json = {};
        for (const op of item.ops) pi[op.method] = operation(op, w, tag);
        pi.parameters = item.params.map(param);
        paths[item.path] = pi;
      }
    }
  }
  for (const id of [`${META}.DeleteOptions`, `${META}.Status`, `${META}.WatchEvent`, `${META}.Patch`]) w.need(id);
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: sortedPaths,
    definitions: w.sortedComponents(),
    securityDefinitions: {
      BearerToken: { description: 'Bearer token authentication', type: 'apiKey', name: 'authorization', in: 'header' },
    },
    security: [{ BearerToken: [] }],
  };
}

let cache: { doc: Json; body: string; hash: string } | undefined;

function built() {
  if (!cache) {
    const doc = buildOpenapiV2Document();
    const body = JSON.stringify(doc);
    cache = { doc, body, hash: openapiHash(body) };
  }
  return cache;
}

/** The Swagger 2.0 document (cached; do not mutate). */
export function openapiV2Document(): object {
  return built().doc;
}

/** The serialised Swagger 2.0 document and its upper-case SHA-256, for ETag / caching. */
export function openapiV2Body(): { body: string; hash: string } {
  const { body, hash } = built();
  return { body, hash };
}
