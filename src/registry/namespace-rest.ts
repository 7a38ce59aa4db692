import type { KubeObject } from '../api/object.ts';
import { conflictError, forbiddenError } from '../machinery/api-error.ts';
import type { Store } from '../store/store.ts';
import { GenericRest } from './generic-rest.ts';
import type { NamespaceLookup } from './namespace-lookup.ts';
import { namespaceFinalizeStrategy, namespaceStatusStrategy, namespaceStrategy, specFinalizers } from './namespace-strategy.ts';
import type { DeleteOptions, DeleteResult, WriteOptions } from './rest.ts';
import { statusRest } from './status-rest.ts';
import { rfc3339 } from './timestamps.ts';

/** Namespaces that may never be deleted (NamespaceLifecycle admission). */
export const PROTECTED_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public'];

/**
 * The namespaces resource (pkg/registry/core/namespace/storage): DELETE first marks the namespace Terminating
 * (deletionTimestamp + status.phase) and answers with it; the namespace controller empties it and removes the
 * `kubernetes` finalizer through PUT …/finalize, which removes the namespace once no finalizer is left.
 *
 *   const ns = new NamespaceRest(store, lookup);
 *   await ns.delete(undefined, 'dev', {}, opts);   // 200, phase Terminating
 */
export class NamespaceRest extends GenericRest {
  constructor(store: Store, lookup: NamespaceLookup) {
    super(store, namespaceStrategy, { afterWrite: (obj, revision, removed) => lookup.observed(obj, revision, removed) });
    this.addSubresource('status', statusRest(this, namespaceStatusStrategy));
    const finalize = statusRest(this, namespaceFinalizeStrategy);
    this.addSubresource('finalize', { update: finalize.update! });
  }

  override async delete(namespace: string | undefined, name: string, options: DeleteOptions, write: WriteOptions): Promise<DeleteResult> {
    if (PROTECTED_NAMESPACES.includes(name)) throw forbiddenError('namespaces', name, 'this namespace may not be deleted');
    const current = await this.get(undefined, name);
    checkNamespacePreconditions(current, options);
    if (!current.metadata.deletionTimestamp) {
      const dryRun = write.dryRun || (options.dryRun ?? []).includes('All');
      const { object } = await this.guaranteedUpdate(
        undefined,
        name,
        (ns) => {
          checkNamespacePreconditions(ns, options);
          ns.metadata.deletionTimestamp ??= rfc3339();
          ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
          return { object: ns };
        },
        dryRun,
      );
      if (specFinalizers(object).length > 0) return { body: object, code: 200 };
    } else if (specFinalizers(current).length > 0) {
      return { body: current, code: 200 };
    }
    return super.delete(namespace, name, options, write);
  }
}

/** The namespace registry's own precondition wording (storage.Preconditions). */
function checkNamespacePreconditions(ns: KubeObject, options: DeleteOptions): void {
  const p = options.preconditions;
  const name = ns.metadata.name ?? '';
  if (p?.uid && p.uid !== ns.metadata.uid) {
    throw conflictError('namespaces', name, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${ns.metadata.uid ?? ''}`);
  }
  if (p?.resourceVersion && p.resourceVersion !== ns.metadata.resourceVersion) {
    throw conflictError(
      'namespaces',
      name,
      `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${ns.metadata.resourceVersion ?? ''}`,
    );
  }
}
