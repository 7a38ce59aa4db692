/**
 * How server-side apply by `kubectl` treats objects that client-side apply managed (kube-apiserver's
 * lastAppliedManager / lastAppliedUpdater), so `kubectl apply --server-side` upgrades them smoothly:
 * - conflicts on fields the `kubectl.kubernetes.io/last-applied-configuration` annotation sets, with the value the
 *   object still has, are allowed (ownership moves to the applier);
 * - the annotation, when present, is rewritten to the new configuration, so a later client-side apply still works.
 * Both only for the field manager `kubectl`, the name `kubectl apply --server-side` uses by default.
 */
import type { TSchema } from '@sinclair/typebox';
import type { KubeObject } from '../../api/object.ts';
import { compareObjects } from './compare.ts';
import type { FieldSet } from './field-set.ts';
import { fieldSetOf } from './field-set-of.ts';
import { withoutManagedFields } from './managers.ts';
import { goJson } from './path-element.ts';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
export const KUBECTL_MANAGER = 'kubectl';

const annotationOf = (obj: KubeObject | undefined): string | undefined => obj?.metadata?.annotations?.[LAST_APPLIED] || undefined;

/** Fields the annotation claims and the live object still agrees with; undefined when there is no usable annotation. */
export function allowedByLastApplied(live: KubeObject | undefined, apiVersion: string, schema: TSchema | undefined): FieldSet | undefined {
  const text = annotationOf(live);
  if (!text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!last || typeof last !== 'object' || (last as KubeObject).apiVersion !== apiVersion) return undefined;
  const c = compareObjects(last, withoutManagedFields(live), schema);
  return fieldSetOf(last, schema).difference(c.modified).difference(c.added).difference(c.removed);
}

/** The annotation value for `applied`: compact JSON, keys sorted, trailing newline, its own annotation left out. */
export function lastAppliedFor(applied: KubeObject): string {
  const copy = structuredClone(applied);
  if (copy.metadata?.annotations) delete copy.metadata.annotations[LAST_APPLIED];
  return `${goJson(copy)}\n`;
}

/** Rewrites the annotation on the apply's result when it carries one (mutates `merged`). */
export function syncLastApplied(applied: KubeObject, merged: KubeObject): void {
  if (!annotationOf(merged)) return;
  merged.metadata.annotations = { ...(merged.metadata.annotations ?? {}), [LAST_APPLIED]: lastAppliedFor(applied) };
}
