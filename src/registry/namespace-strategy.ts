import type { KubeObject } from '../api/object.ts';
import { namespaces } from '../api/resources.ts';
import { defaultNamespace, prepareNamespaceForCreate, prepareNamespaceForUpdate } from '../api/namespace-defaults.ts';
import {
  validateNamespace,
  validateNamespaceFinalizeUpdate,
  validateNamespaceStatusUpdate,
  validateNamespaceUpdate,
} from '../api/namespace-validation.ts';
import type { Strategy, SubresourceStrategy } from './strategy.ts';

/**
 * Namespaces (pkg/registry/core/namespace/strategy.go, §2.4): the `kubernetes.io/metadata.name` label is always
 * the name; create resets status to Active and ensures the `kubernetes` spec finalizer; updates keep spec.finalizers
 * (→ /finalize) and status (→ /status). Deletion is NamespaceRest's.
 */
export const namespaceStrategy: Strategy = {
  info: namespaces,
  defaults: (ns) => defaultNamespace(ns),
  prepareForCreate: (ns) => prepareNamespaceForCreate(ns),
  validate: (ns) => validateNamespace(ns),
  prepareForUpdate: (ns, old) => prepareNamespaceForUpdate(ns, old),
  validateUpdate: (ns, old) => validateNamespaceUpdate(ns, old),
  allowCreateOnUpdate: false,
  allowUnconditionalUpdate: true,
  returnDeletedObject: true,
  shouldDeleteDuringUpdate: (ns) => specFinalizers(ns).length === 0,
};

export const specFinalizers = (ns: KubeObject): string[] => (Array.isArray(ns.spec?.finalizers) ? ns.spec.finalizers : []);

/** namespaces/status: the old spec stays. */
export const namespaceStatusStrategy: SubresourceStrategy = {
  prepareForUpdate(ns, old) {
    if (old.spec === undefined) delete ns.spec;
    else ns.spec = old.spec;
  },
  validateUpdate: (ns, old) => validateNamespaceStatusUpdate(ns, old),
};

/** namespaces/finalize: only spec.finalizers changes (status and the rest of spec are the stored ones). */
export const namespaceFinalizeStrategy: SubresourceStrategy = {
  prepareForUpdate(ns, old) {
    const finalizers = ns.spec?.finalizers;
    ns.spec = { ...(old.spec ?? {}) };
    if (finalizers === undefined || finalizers === null) delete ns.spec.finalizers;
    else ns.spec.finalizers = finalizers;
    if (old.status === undefined) delete ns.status;
    else ns.status = old.status;
  },
  validateUpdate: (ns, old) => validateNamespaceFinalizeUpdate(ns, old),
};
