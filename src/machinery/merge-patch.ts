/**
 * JSON Merge Patch (RFC 7386, `application/merge-patch+json`), what `kubectl label/annotate/scale` send.
 *
 *   applyMergePatch(pod, { metadata: { labels: { env: null, tier: 'fe' } } });   // drops env, sets tier
 *
 * Objects merge key by key, `null` deletes, anything else (arrays included) replaces. The inputs are not modified.
 */
import { badRequestError } from './api-error.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 MergePatch(target, patch), for any JSON values. */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = jsonMergePatch(out[k], v);
  }
  return out;
}

/**
 * The API server's merge-patch step on a stored object: the patch must be a JSON object
 * (upstream answers anything else with 400 `Invalid JSON Patch`).
 */
export function applyMergePatch(original: unknown, patch: unknown): Record<string, unknown> {
  if (!isObject(patch)) throw badRequestError('Invalid JSON Patch');
  return jsonMergePatch(structuredClone(original), patch) as Record<string, unknown>;
}
