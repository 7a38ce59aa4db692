/**
 * /openapi/v3 and /openapi/v3/<gv>?hash=…, served from src/api/openapi-v3.ts (documents generated from our schemas).
 * The index pins each document URL by its content hash; kubectl caches documents under that URL (KUBECTL-API §3.2).
 */
import { createHash } from 'node:crypto';
import { openapiV2Body } from '../api/openapi-v2.ts';
import { openapiV3Body, openapiV3Index } from '../api/openapi-v3.ts';

export interface OpenApiSource {
  /** JSON text of the v3 index, or undefined (→ 404). */
  index(): Promise<string | undefined>;
  /** JSON text of one group-version document (`api/v1`, `apis/coordination.k8s.io/v1`) and its hash. */
  document(gvPath: string): Promise<{ json: string; hash: string } | undefined>;
}

export const hashOf = (json: string) => createHash('sha256').update(json).digest('hex').toUpperCase();

/** The documents of src/api/openapi-v3.ts. */
export function schemaOpenApiSource(): OpenApiSource {
  let index: string | undefined;
  return {
    async index() {
      index ??= JSON.stringify(openapiV3Index());
      return index;
    },
    async document(gvPath) {
      const b = openapiV3Body(gvPath);
      return b && { json: b.body, hash: b.hash };
    },
  };
}

/** /openapi/v2 as JSON: the Swagger 2.0 document generated from our schemas (src/api/openapi-v2.ts). */
export const openapiV2Json = (): string => openapiV2Body().body;
/**
 * /openapi/v2 as protobuf (gnostic openapi_v2.Document) carries no definitions: kubectl 1.29+ reads v3, but it still
 * validates `kind: List` manifests with the v2 validator, which skips kinds it finds no schema for — and fails when
 * v2 is missing. The document is just { swagger (1): "2.0" }.
 */
export const openapiV2Protobuf = Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30]);
/** Go's mime parser rejects the '@' of the Accept value, so the reply carries a plain binary type. */
export const openapiV2ProtobufType = 'application/octet-stream';
