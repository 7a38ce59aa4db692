import type { KubeObject } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { ApiError } from '../machinery/api-error.ts';
import { applyJsonPatch } from '../machinery/json-patch.ts';
import { applyMergePatch } from '../machinery/merge-patch.ts';
import type { SchemaNode } from '../machinery/strategic-merge-patch.ts';
import { strategicMergePatch } from '../machinery/strategic-merge-patch.ts';
import { schemaForKind } from '../api/schemas.ts';
import type { PatchType } from './rest.ts';

/**
 * Applies one PATCH body to the current object (never modified), by content type.
 * Server-side apply ('apply') is not a patch of this kind: GenericRest handles it (server-side-apply.ts).
 *
 *   const next = applyPatch(pods, current, 'merge', { metadata: { labels: { env: 'prod' } } });
 */
export function applyPatch(info: ResourceInfo, current: KubeObject, type: PatchType, patch: unknown): KubeObject {
  switch (type) {
    case 'json':
      return applyJsonPatch(current, patch) as KubeObject;
    case 'merge':
      return applyMergePatch(current, patch) as KubeObject;
    case 'strategic':
      return strategic(info, current, patch);
    default:
      throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
  }
}

function strategic(info: ResourceInfo, current: KubeObject, patch: unknown): KubeObject {
  const schema = schemaForKind(info.group, info.kind) as SchemaNode | undefined;
  return strategicMergePatch(current, patch, schema) as KubeObject;
}
