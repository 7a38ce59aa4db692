import type { KubeObject } from './object.ts';

/**
 * Namespace defaulting and the create/update preparation its registry strategy does.
 *
 *   defaultNamespace(ns);            // label kubernetes.io/metadata.name=<name>, status.phase Active if unset
 *   prepareNamespaceForCreate(ns);   // status := {phase: Active}; spec.finalizers gains 'kubernetes'
 *   prepareNamespaceForUpdate(n, o); // spec.finalizers and status come from the stored object
 */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
export const FINALIZER_KUBERNETES = 'kubernetes';

/** SetDefaults_Namespace (+ NamespaceStatus): the name label always wins over a client value. */
export function defaultNamespace(ns: KubeObject): void {
  const name = ns.metadata?.name;
  if (name) {
    ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: name };
  }
  if (!ns.status || typeof ns.status !== 'object') ns.status = {};
  if (!ns.status.phase) ns.status.phase = 'Active';
}

/** PrepareForCreate: status reset to Active, and the `kubernetes` finalizer appended when missing. */
export function prepareNamespaceForCreate(ns: KubeObject): void {
  defaultNamespace(ns);
  ns.status = { phase: 'Active' };
  if (!ns.spec || typeof ns.spec !== 'object') ns.spec = {};
  const finalizers: string[] = Array.isArray(ns.spec.finalizers) ? ns.spec.finalizers : [];
  if (!finalizers.includes(FINALIZER_KUBERNETES)) finalizers.push(FINALIZER_KUBERNETES);
  ns.spec.finalizers = finalizers;
}

/** PrepareForUpdate: finalizers change only via /finalize, status only via /status. */
export function prepareNamespaceForUpdate(ns: KubeObject, old: KubeObject): void {
  defaultNamespace(ns);
  ns.spec = { ...(ns.spec ?? {}) };
  if (old.spec?.finalizers !== undefined) ns.spec.finalizers = structuredClone(old.spec.finalizers);
  else delete ns.spec.finalizers;
  ns.status = structuredClone(old.status ?? { phase: 'Active' });
}
