import type { FieldError } from '../machinery/field-error.ts';
import { invalid } from '../machinery/field-error.ts';
import type { KubeObject } from './object.ts';
import { validateFinalizerName, validateObjectMeta, validateObjectMetaUpdate } from './meta-validation.ts';

/**
 * Namespace validation (core/v1 ValidateNamespace*): names are DNS labels, spec.finalizers are
 * qualified or standard names, and status.phase follows deletionTimestamp.
 *
 *   validateNamespace({ metadata: { name: 'a.b' } })
 *   // [metadata.name: Invalid value: "a.b": must not contain dots]
 */
const finalizersOf = (ns: KubeObject): string[] => (Array.isArray(ns.spec?.finalizers) ? ns.spec.finalizers : []);

export function validateNamespace(ns: KubeObject): FieldError[] {
  const errs = validateObjectMeta(ns.metadata, { namespaced: false, nameIsLabel: true, kindForName: 'Namespace' });
  for (const f of finalizersOf(ns)) errs.push(...validateFinalizerName(String(f), 'spec.finalizers'));
  return errs;
}

/** Update through the main resource (the strategy runs the create checks too). */
export function validateNamespaceUpdate(ns: KubeObject, old: KubeObject): FieldError[] {
  return [...validateNamespace(ns), ...validateObjectMetaUpdate(ns.metadata, old.metadata)];
}

/** Update through `/status`. */
export function validateNamespaceStatusUpdate(ns: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(ns.metadata, old.metadata);
  const phase = ns.status?.phase ?? '';
  if (!ns.metadata?.deletionTimestamp) {
    if (phase !== 'Active') errs.push(invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty"));
  } else if (phase !== 'Terminating') {
    errs.push(invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
  }
  return errs;
}

/** Update through `/finalize`. */
export function validateNamespaceFinalizeUpdate(ns: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateObjectMetaUpdate(ns.metadata, old.metadata);
  finalizersOf(ns).forEach((f, i) => errs.push(...validateFinalizerName(String(f), `spec.finalizers[${i}]`)));
  return errs;
}
