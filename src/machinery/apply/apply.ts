/**
 * Server-side apply (`PATCH` with `application/apply-patch+yaml`), as kube-apiserver's field manager does it:
 *
 * 1. the applied configuration is merged onto the live object (config wins; maps, list-maps and sets merge
 *    granularly, atomic values are replaced);
 * 2. its field set becomes the manager's `Apply` entry;
 * 3. fields the manager applied last time but left out now are removed, unless some manager still owns them;
 * 4. a field another manager owns whose value would change is a conflict (409) unless `force`, in which case the
 *    other manager loses it. Setting a field to the value it already has shares ownership instead.
 *
 * Pure: the caller stores the result (creating the object when `live` is undefined) and runs its usual
 * defaulting, validation and update checks on it.
 *
 * @example
 *   const { object } = serverSideApply(live, body, { manager: 'kubectl', force: false, schema, time });
 */
import type { TSchema } from '@sinclair/typebox';
import type { KubeObject } from '../../api/object.ts';
import { badRequestError } from '../api-error.ts';
import { capUpdateManagers } from './cap-managers.ts';
import { compareObjects, filterComparison } from './compare.ts';
import { applyConflictError, type Conflict } from './conflict.ts';
import type { FieldSet } from './field-set.ts';
import { fieldSetOf } from './field-set-of.ts';
import { KUBECTL_MANAGER, allowedByLastApplied, syncLastApplied } from './last-applied.ts';
import { recordUpdate } from './managed-fields.ts';
import { decodeManagedFields, encodeManagedFields, managerId, stripMeta, withoutManagedFields, type Managers } from './managers.ts';
import { mergeObjects } from './merge.ts';
import { removeItems } from './remove-items.ts';
import { resetFields } from './reset-fields.ts';
import { withNamedFieldsAsMembers } from './named-fields.ts';
import { zeroObject } from './zero-object.ts';

export interface ApplyOptions {
  /** The fieldManager query parameter (required for apply; the handler answers 400 without it). */
  manager: string;
  /** The `force` query parameter (`kubectl apply --server-side --force-conflicts`). */
  force?: boolean;
  /** The kind's schema (`schemaForKind`). */
  schema: TSchema | undefined;
  /** RFC 3339, whole seconds. */
  time: string;
  /** The version the endpoint serves (`v1`, `coordination.k8s.io/v1`); default: the live object's, else the schema's. */
  apiVersion?: string;
  /** Name and namespace from the URL, checked against the configuration when given. */
  name?: string;
  namespace?: string;
  subresource?: string;
  /** Subtrees nobody can own through this endpoint; default {@link resetFields}. */
  ignored?: FieldSet;
}

/** Before-first-apply: what kube-apiserver calls the owner of fields that existed before any tracking. */
const BEFORE_FIRST_APPLY = 'before-first-apply';

export function serverSideApply(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions): { object: KubeObject } {
  const apiVersion = opts.apiVersion ?? live?.apiVersion ?? servedVersion(opts.schema) ?? applied?.apiVersion ?? '';
  checkConfiguration(applied, apiVersion, opts);
  const { schema } = opts;
  const ignored = opts.ignored ?? resetFields(opts.subresource, schema);
  const before: KubeObject = live ? withoutManagedFields(live) : ({} as KubeObject);

  const managers: Managers = (live && decodeManagedFields(live.metadata?.managedFields)) || new Map();
  if (live && managers.size === 0) {
    // Fields of an untracked object belong to someone, so that an apply cannot silently take them.
    const c = filterComparison(compareObjects(zeroObject(schema), before, schema), ignored);
    recordUpdate(managers, c, { manager: BEFORE_FIRST_APPLY, operation: 'Update', apiVersion }, opts.time);
  }

  const applier = { manager: opts.manager, operation: 'Apply' as const, apiVersion };
  const id = managerId(applier);
  const lastSet = managers.get(id)?.set;
  const appliedSet = fieldSetOf(applied, schema).recursiveDifference(ignored);
  managers.set(id, { ...applier, set: appliedSet });

  let merged = mergeObjects(before, applied, schema);
  if (lastSet) merged = prune(merged, managers, lastSet, schema);

  takeOwnership(live, before, merged, managers, id, apiVersion, opts, ignored);

  // Every apply stamps its entry, no-op or not (kube-apiserver returns the input on a no-op and records the time).
  const mine = managers.get(id)!;
  mine.set = stripMeta(mine.set);
  mine.time = opts.time;
  if (mine.set.isEmpty()) managers.delete(id);
  capUpdateManagers(managers);
  keepSystemMeta(before, merged);

  if (opts.manager === KUBECTL_MANAGER) syncLastApplied(applied, merged);
  const entries = encodeManagedFields(managers);
  merged.metadata ??= {};
  if (entries.length) merged.metadata.managedFields = entries;
  else delete merged.metadata.managedFields;
  return { object: merged };
}

/**
 * Removes what the applier owned before and no longer applies, when no manager (the applier's new set included)
 * still owns it (SMD Updater.prune).
 */
function prune(merged: KubeObject, managers: Managers, lastSet: FieldSet, schema: TSchema | undefined): KubeObject {
  let owned: FieldSet | undefined;
  for (const m of managers.values()) owned = owned ? owned.union(m.set) : m.set;
  const stale = withNamedFieldsAsMembers(lastSet, schema).difference(withNamedFieldsAsMembers(owned!, schema));
  return removeItems(merged, stale, schema);
}

/** Conflicts, then the ownership transfer of changed and removed fields away from every other manager. */
function takeOwnership(
  live: KubeObject | undefined,
  before: KubeObject,
  merged: KubeObject,
  managers: Managers,
  applierId: string,
  apiVersion: string,
  opts: ApplyOptions,
  ignored: FieldSet,
): void {
  const c = filterComparison(compareObjects(before, merged, opts.schema), ignored);
  const changed = c.modified.union(c.added);
  const conflicts: Conflict[] = [];
  for (const [mid, m] of managers) {
    if (mid === applierId) continue;
    for (const path of m.set.intersection(changed).paths()) conflicts.push({ manager: m, path });
  }
  if (conflicts.length && !opts.force) {
    const allowed = opts.manager === KUBECTL_MANAGER ? allowedByLastApplied(live, apiVersion, opts.schema) : undefined;
    const remaining = allowed ? conflicts.filter((x) => !allowed.has(x.path)) : conflicts;
    if (remaining.length) throw applyConflictError(remaining);
  }
  for (const [mid, m] of managers) {
    if (mid === applierId) continue;
    m.set = m.set.difference(changed).difference(c.removed);
    if (m.set.isEmpty()) managers.delete(mid);
  }
}

/**
 * A configuration may carry `creationTimestamp: null` (kubectl's dry-run output does); the live object keeps
 * its server-set identity anyway, as kube-apiserver's update path restores it.
 */
function keepSystemMeta(before: KubeObject, merged: KubeObject): void {
  for (const k of ['uid', 'creationTimestamp', 'generation', 'resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
    const was = before.metadata?.[k];
    if (was != null && merged.metadata?.[k] == null) (merged.metadata as Record<string, unknown>)[k] = was;
  }
}

/** Kubernetes checks the configuration's identity before anything else (400 Bad Request). */
function checkConfiguration(applied: KubeObject, apiVersion: string, opts: ApplyOptions): void {
  if (!applied || typeof applied !== 'object' || Array.isArray(applied)) {
    throw badRequestError('error decoding YAML: the apply configuration must be an object');
  }
  if (applied.apiVersion !== apiVersion) {
    throw badRequestError(
      `Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion ?? ''}, expected: ${apiVersion}`,
    );
  }
  if (!applied.kind) throw badRequestError(`Object 'Kind' is missing in '${JSON.stringify(applied)}'`);
  const meta = applied.metadata;
  if (meta?.managedFields != null) throw badRequestError('metadata.managedFields must be nil');
  const name = meta?.name ?? '';
  if (!name || (opts.name !== undefined && name !== opts.name)) {
    throw badRequestError(`the name of the object (${name}) does not match the name on the URL (${opts.name ?? ''})`);
  }
  if (opts.namespace !== undefined && meta?.namespace && meta.namespace !== opts.namespace) {
    throw badRequestError('the namespace of the provided object does not match the namespace sent on the request');
  }
}

/** `v1` or `group/v1` from the schema's `x-kubernetes-group-version-kind`. */
function servedVersion(schema: TSchema | undefined): string | undefined {
  const gvk = (schema?.['x-kubernetes-group-version-kind'] as Array<{ group: string; version: string }> | undefined)?.[0];
  if (!gvk) return undefined;
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}
