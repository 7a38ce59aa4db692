import type { FieldError } from '../machinery/field-error.ts';
import { forbidden, invalid, required, tooLong } from '../machinery/field-error.ts';
import type { ObjectMeta, OwnerReference } from './object.ts';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, nameIsDNSLabel, nameIsDNSSubdomain } from './name-validation.ts';

/**
 * ObjectMeta checks shared by every kind, as apimachinery's `ValidateObjectMeta` (+ core's finalizer
 * rule) words them. Pure: returns the problems, never throws.
 *
 *   validateObjectMeta(pod.metadata, { namespaced: true })
 *   // [{ field: 'metadata.name', message: 'Required value: name or generateName is required', … }]
 */
export interface ObjectMetaOptions {
  namespaced: boolean;
  /** Names are DNS labels instead of subdomains (namespaces). */
  nameIsLabel?: boolean;
  /** Kind of the object; `Namespace` implies `nameIsLabel`. Informational otherwise. */
  kindForName?: string;
  /**
   * Apply core/v1's extra finalizer rule (single-segment finalizers must be standard names).
   * Default true; coordination.k8s.io (Lease) uses apimachinery's plain rule → pass false.
   */
  kubeFinalizers?: boolean;
}

export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;
const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';
const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** Go's `%#v` of a []string: `[]string{"a", "b"}`. */
export const goStringSlice = (xs: readonly string[]): string => `[]string{${xs.map((x) => JSON.stringify(x)).join(', ')}}`;

/** An Invalid error whose value is already rendered (Go structs, slices, times). */
export const invalidRendered = (field: string, rendered: string, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  message: `Invalid value: ${rendered}: ${detail}`,
});

/** Go's time.Time String() for an RFC 3339 timestamp: `2024-01-02 03:04:05 +0000 UTC`. */
export function goTimeString(ts: string | null | undefined): string {
  if (ts === null || ts === undefined || ts === '') return '0001-01-01 00:00:00 +0000 UTC';
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const frac = /\.(\d+)/.exec(ts)?.[1]?.replace(/0+$/, '');
  return (
    `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${frac ? `.${frac}` : ''} +0000 UTC`
  );
}

const sizeOf = (s: string) => Buffer.byteLength(s, 'utf8');
const isMap = (v: unknown): v is Record<string, string> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Label map: keys are qualified names, values label values. The error path is the map itself. */
export function validateLabels(labels: Record<string, string> | undefined | null, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isMap(labels)) return errs;
  for (const [k, v] of Object.entries(labels)) {
    for (const msg of isQualifiedName(k)) errs.push(invalid(field, k, msg));
    for (const msg of isValidLabelValue(String(v))) errs.push(invalid(field, v, msg));
  }
  return errs;
}

/** Annotation keys are qualified names checked lower-cased; total size ≤ 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined | null, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  if (!isMap(annotations)) return errs;
  for (const [k, v] of Object.entries(annotations)) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(field, k, msg));
    total += sizeOf(k) + sizeOf(String(v ?? ''));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) errs.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT_BYTES));
  return errs;
}

function parseApiVersion(apiVersion: string): { group: string; version: string } {
  if (!apiVersion) return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: parts[0] };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  return { group: '', version: '' };
}

export function validateOwnerReferences(refs: OwnerReference[] | undefined | null, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const gv = parseApiVersion(ref.apiVersion ?? '');
    if (!gv.version) errs.push(invalid(`${field}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(invalid(`${field}.kind`, ref.kind ?? '', 'must not be empty'));
    if (!ref.name) errs.push(invalid(`${field}.name`, ref.name ?? '', 'must not be empty'));
    if (!ref.uid) errs.push(invalid(`${field}.uid`, ref.uid ?? '', 'must not be empty'));
    if (gv.group === '' && gv.version === 'v1' && ref.kind === 'Event') {
      errs.push(invalidRendered(field, JSON.stringify(ref), '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller === true) {
      const cur = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          invalidRendered(
            field,
            JSON.stringify(refs),
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${cur}`,
          ),
        );
      } else firstController = cur;
    }
  }
  return errs;
}

/** apimachinery ValidateFinalizers: qualified names, and not both orphan + foregroundDeletion. */
export function validateFinalizers(finalizers: string[] | undefined | null, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = finalizers ?? [];
  for (const f of list) for (const msg of isQualifiedName(f)) errs.push(invalid(field, f, msg));
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(invalidRendered(field, goStringSlice(list), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/** core/v1's legacy rule: a finalizer without a '/' must be one of the standard names. */
export function validateKubeFinalizerName(value: string, field: string): FieldError[] {
  return value.split('/').length === 1 && !STANDARD_FINALIZERS.has(value)
    ? [invalid(field, value, 'name is neither a standard finalizer name nor is it fully qualified')]
    : [];
}

/** core/v1 validateFinalizerName (namespace spec.finalizers): qualified name + the legacy rule. */
export function validateFinalizerName(value: string, field: string): FieldError[] {
  return [...isQualifiedName(value).map((msg) => invalid(field, value, msg)), ...validateKubeFinalizerName(value, field)];
}

/** core/v1's extra rule, one error list per finalizer at `metadata.finalizers[i]`. */
function validateKubeFinalizerNames(finalizers: string[] | undefined | null, field: string): FieldError[] {
  return (finalizers ?? []).flatMap((f, i) => validateKubeFinalizerName(f, `${field}[${i}]`));
}

/** Validates metadata on create (after generateName has produced a name). */
export function validateObjectMeta(meta: ObjectMeta | undefined | null, opts: ObjectMetaOptions): FieldError[] {
  const m: ObjectMeta = meta ?? {};
  const errs: FieldError[] = [];
  const nameIsLabel = opts.nameIsLabel ?? opts.kindForName === 'Namespace';
  const nameFn = nameIsLabel ? nameIsDNSLabel : nameIsDNSSubdomain;

  if (m.generateName) {
    for (const msg of nameFn(m.generateName, true)) errs.push(invalid('metadata.generateName', m.generateName, msg));
  }
  if (!m.name) errs.push(required('metadata.name', 'name or generateName is required'));
  else for (const msg of nameFn(m.name, false)) errs.push(invalid('metadata.name', m.name, msg));

  if (opts.namespaced) {
    if (!m.namespace) errs.push(required('metadata.namespace'));
    else for (const msg of isDNS1123Label(m.namespace)) errs.push(invalid('metadata.namespace', m.namespace, msg));
  } else if (m.namespace) {
    errs.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }

  if (typeof m.generation === 'number' && m.generation < 0) {
    errs.push(invalid('metadata.generation', m.generation, IS_NEGATIVE_ERROR_MSG));
  }
  errs.push(...validateLabels(m.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(m.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(m.ownerReferences, 'metadata.ownerReferences'));
  errs.push(...validateFinalizers(m.finalizers, 'metadata.finalizers'));
  if (opts.kubeFinalizers !== false) errs.push(...validateKubeFinalizerNames(m.finalizers, 'metadata.finalizers'));
  return errs;
}

/**
 * Validates metadata on update. The registry is expected to have already carried over what an update
 * may not touch (uid when empty, creationTimestamp, deletionTimestamp, generation) as
 * apiserver's BeforeUpdate does; what still differs here is reported as Kubernetes reports it.
 */
export function validateObjectMetaUpdate(
  newMeta: ObjectMeta | undefined | null,
  oldMeta: ObjectMeta | undefined | null,
  opts: { kubeFinalizers?: boolean } = {},
): FieldError[] {
  const n: ObjectMeta = newMeta ?? {};
  const o: ObjectMeta = oldMeta ?? {};
  const errs: FieldError[] = [];

  if (o.deletionTimestamp) {
    const old = new Set(o.finalizers ?? []);
    const extra = [...new Set((n.finalizers ?? []).filter((f) => !old.has(f)))].sort();
    if (extra.length > 0) {
      errs.push(
        forbidden(
          'metadata.finalizers',
          `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra)}`,
        ),
      );
    }
  }
  if ((n.generation ?? 0) < (o.generation ?? 0)) {
    errs.push(invalid('metadata.generation', n.generation ?? 0, 'must not be decremented'));
  }
  if ((n.name ?? '') !== (o.name ?? '')) errs.push(invalid('metadata.name', n.name ?? '', FIELD_IMMUTABLE_ERROR_MSG));
  if ((n.namespace ?? '') !== (o.namespace ?? '')) {
    errs.push(invalid('metadata.namespace', n.namespace ?? '', FIELD_IMMUTABLE_ERROR_MSG));
  }
  if ((n.uid ?? '') !== (o.uid ?? '')) errs.push(invalid('metadata.uid', n.uid ?? '', FIELD_IMMUTABLE_ERROR_MSG));
  if (!sameTime(n.creationTimestamp, o.creationTimestamp)) {
    errs.push(invalidRendered('metadata.creationTimestamp', goTimeString(n.creationTimestamp), FIELD_IMMUTABLE_ERROR_MSG));
  }
  if (!sameTime(n.deletionTimestamp, o.deletionTimestamp)) {
    const v = n.deletionTimestamp ? goTimeString(n.deletionTimestamp) : '"null"';
    errs.push(invalidRendered('metadata.deletionTimestamp', v, FIELD_IMMUTABLE_ERROR_MSG));
  }
  if ((n.deletionGracePeriodSeconds ?? null) !== (o.deletionGracePeriodSeconds ?? null)) {
    errs.push(invalid('metadata.deletionGracePeriodSeconds', n.deletionGracePeriodSeconds ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  }

  errs.push(...validateLabels(n.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(n.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(n.ownerReferences, 'metadata.ownerReferences'));
  errs.push(...validateFinalizers(n.finalizers, 'metadata.finalizers'));
  if (opts.kubeFinalizers !== false) errs.push(...validateKubeFinalizerNames(n.finalizers, 'metadata.finalizers'));
  return errs;
}

function sameTime(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return a === b;
  return Math.floor(ta / 1000) === Math.floor(tb / 1000);
}
