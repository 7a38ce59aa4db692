/**
 * `metadata.managedFields` decoded into one field set per manager, and encoded back.
 *
 * A manager is identified as kube-apiserver does (BuildManagerIdentifier): name, operation, subresource, and the
 * apiVersion for Update entries only, so an applier keeps one entry whatever version it applies with.
 * Encoding sorts entries as Kubernetes does: Apply before Update, then by time, manager, apiVersion, subresource.
 */
import type { ManagedFieldsEntry } from '../../api/object.ts';
import { FieldSet } from './field-set.ts';
import { compareStrings, field } from './path-element.ts';

export interface ManagerState {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

/** Manager identifier → what it owns. */
export type Managers = Map<string, ManagerState>;

export function managerId(m: Pick<ManagerState, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  const id: Record<string, string> = {};
  if (m.manager) id.manager = m.manager;
  id.operation = m.operation;
  if (m.operation === 'Update' && m.apiVersion) id.apiVersion = m.apiVersion;
  if (m.subresource) id.subresource = m.subresource;
  return JSON.stringify(id);
}

/** `[{}]` is how a client asks to wipe managedFields. */
export const isResetManagedFields = (entries: ManagedFieldsEntry[] | undefined): boolean =>
  Array.isArray(entries) && entries.length === 1 && Object.keys(entries[0] ?? {}).length === 0;

/** Decodes entries; undefined when one is malformed (Kubernetes then falls back to the live object's). */
export function decodeManagedFields(entries: ManagedFieldsEntry[] | undefined): Managers | undefined {
  const out: Managers = new Map();
  for (const e of entries ?? []) {
    if (!e || (e.operation !== 'Apply' && e.operation !== 'Update')) return undefined;
    if (!e.apiVersion || e.fieldsType !== 'FieldsV1') return undefined;
    let set: FieldSet;
    try {
      set = FieldSet.fromFieldsV1(e.fieldsV1 ?? {});
    } catch {
      return undefined;
    }
    const state: ManagerState = { manager: e.manager ?? '', operation: e.operation, apiVersion: e.apiVersion, set };
    if (e.subresource) state.subresource = e.subresource;
    if (e.time) state.time = e.time;
    out.set(managerId(state), state);
  }
  return out;
}

export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  const entries: ManagedFieldsEntry[] = [];
  for (const m of managers.values()) {
    if (m.set.isEmpty()) continue;
    // Key order follows the Go struct, so JSON output matches kube-apiserver's.
    const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time) e.time = m.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = m.set.toFieldsV1();
    if (m.subresource) e.subresource = m.subresource;
    entries.push(e);
  }
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  return entries.sort(
    (p, q) =>
      compareStrings(p.operation ?? '', q.operation ?? '') ||
      seconds(p.time) - seconds(q.time) ||
      compareStrings(p.manager ?? '', q.manager ?? '') ||
      compareStrings(p.apiVersion ?? '', q.apiVersion ?? '') ||
      compareStrings(p.subresource ?? '', q.subresource ?? ''),
  );
}

/** Fields nobody owns: identity and server-set metadata (kube-apiserver's stripMetaManager). */
const STRIPPED = FieldSet.of(
  [field('apiVersion')],
  [field('kind')],
  [field('metadata')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (n) => [field('metadata'), field(n)],
  ),
);

export const stripMeta = (set: FieldSet): FieldSet => set.difference(STRIPPED);

/** Deep copy of an object without `metadata.managedFields` (never part of the compared content). */
export function withoutManagedFields<T>(obj: T): T {
  // A shallow copy of the object and its metadata is enough: only metadata.managedFields is dropped.
  if (!obj || typeof obj !== 'object') return obj;
  const meta = (obj as { metadata?: Record<string, unknown> }).metadata;
  if (!meta || typeof meta !== 'object' || !('managedFields' in meta)) return obj;
  const { managedFields: _dropped, ...rest } = meta;
  return { ...obj, metadata: rest } as T;
}
