/**
 * Fields a write path may not set, which field management therefore ignores (the strategies' GetResetFields):
 * the main resource resets `status`; the status subresource resets `spec` (and, for pods, deletionTimestamp
 * and ownerReferences, which only the main resource may change).
 *
 * @example
 *   resetFields(undefined, podSchema) // {status}
 *   resetFields('status', podSchema)  // {spec, metadata.deletionTimestamp, metadata.ownerReferences}
 */
import type { TSchema } from '@sinclair/typebox';
import { FieldSet } from './field-set.ts';
import { field } from './path-element.ts';

export function resetFields(subresource: string | undefined, schema: TSchema | undefined): FieldSet {
  const props = (schema?.properties ?? {}) as Record<string, unknown>;
  if (!subresource) return 'status' in props ? FieldSet.of([field('status')]) : new FieldSet();
  if (subresource !== 'status') return new FieldSet();
  const set = 'spec' in props ? FieldSet.of([field('spec')]) : new FieldSet();
  if (schema?.$id === 'io.k8s.api.core.v1.Pod') {
    set.insert([field('metadata'), field('deletionTimestamp')]).insert([field('metadata'), field('ownerReferences')]);
  }
  return set;
}
