/**
 * managedFields bookkeeping for every non-apply write (create, update, patch), as kube-apiserver's field manager
 * does it: the fields the write added or changed become owned by the writing manager (one `Update` entry per
 * manager + apiVersion + subresource, merged with its earlier one and stamped with `time`), and are taken from
 * every other manager, appliers included; fields the write removed are dropped from everyone. Entries left empty
 * disappear. Identity and server-set metadata (name, uid, resourceVersion, …) are never owned.
 *
 * @example
 *   pod.metadata.managedFields = updateManagedFields(undefined, pod, { manager: 'kubectl-create', time, schema });
 */
import type { TSchema } from '@sinclair/typebox';
import type { KubeObject, ManagedFieldsEntry } from '../../api/object.ts';
import { capUpdateManagers } from './cap-managers.ts';
import { compareObjects, filterComparison, type Comparison } from './compare.ts';
import type { FieldSet } from './field-set.ts';
import { resetFields } from './reset-fields.ts';
import {
  decodeManagedFields,
  encodeManagedFields,
  isResetManagedFields,
  managerId,
  stripMeta,
  withoutManagedFields,
  type ManagerState,
  type Managers,
} from './managers.ts';
import { zeroObject } from './zero-object.ts';

export interface UpdateOptions {
  /** The fieldManager query parameter, or `fieldManagerName(undefined, userAgent)` (field-manager-name.ts). */
  manager: string;
  operation?: 'Update';
  /** 'status' for writes through the status subresource; omitted for the main resource. */
  subresource?: string;
  /** RFC 3339, whole seconds (e.g. `2026-11-25T20:00:00Z`). */
  time: string;
  /** The kind's schema (`schemaForKind`). */
  schema: TSchema | undefined;
  /** Defaults to `newObj.apiVersion`. */
  apiVersion?: string;
  /** Subtrees this write path may not set and nobody gains by writing them; default {@link resetFields}. */
  ignored?: FieldSet;
}

/**
 * The managedFields `newObj` should be stored with. `oldObj` is the stored object, undefined on create.
 * Managed fields sent in `newObj` replace the stored ones when valid (`[{}]` wipes them), except through
 * a subresource, where the stored ones always count.
 */
export function updateManagedFields(oldObj: KubeObject | undefined, newObj: KubeObject, opts: UpdateOptions): ManagedFieldsEntry[] {
  const managers = currentManagers(oldObj, newObj, opts.subresource);
  const before = oldObj ? withoutManagedFields(oldObj) : zeroObject(opts.schema);
  const ignored = opts.ignored ?? resetFields(opts.subresource, opts.schema);
  const comparison = filterComparison(compareObjects(before, withoutManagedFields(newObj), opts.schema), ignored);
  const writer: Writer = { manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion ?? newObj.apiVersion ?? '' };
  if (opts.subresource) writer.subresource = opts.subresource;
  recordUpdate(managers, comparison, writer, opts.time);
  capUpdateManagers(managers);
  return encodeManagedFields(managers);
}

/** Who writes: a manager entry without its fields and time. */
export type Writer = Omit<ManagerState, 'set' | 'time'>;

function currentManagers(oldObj: KubeObject | undefined, newObj: KubeObject, subresource?: string): Managers {
  const live = () => decodeManagedFields(oldObj?.metadata?.managedFields) ?? new Map();
  if (subresource) return live();
  const sent = newObj.metadata?.managedFields;
  if (isResetManagedFields(sent)) return new Map();
  const decoded = decodeManagedFields(sent);
  return decoded && decoded.size > 0 ? decoded : live();
}

/**
 * Applies one Update to `managers` in place (SMD Updater.Update with force, wrapped as kube-apiserver's
 * managedFieldsUpdater does): everyone loses what changed; the writer gains it.
 */
export function recordUpdate(managers: Managers, c: Comparison, writer: Writer, time: string): void {
  const changed = c.modified.union(c.added);
  for (const [id, m] of managers) {
    m.set = m.set.difference(changed).difference(c.removed);
    if (m.set.isEmpty()) managers.delete(id);
  }
  const gained = stripMeta(changed);
  if (gained.isEmpty()) return;
  const id = managerId(writer);
  const previous = managers.get(id);
  managers.set(id, { ...writer, set: previous ? previous.set.union(gained) : gained, time });
}
