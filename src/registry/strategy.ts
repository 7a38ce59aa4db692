import type { KubeObject } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import type { FieldError } from '../machinery/field-error.ts';
import type { DeleteOptions } from './rest.ts';

/**
 * The per-kind half of a store-backed resource (the other half is GenericRest): what Kubernetes' registry
 * strategies (pkg/registry/core/<kind>/strategy.go) decide. Every hook mutates the object it is given.
 *
 *   const rest = new GenericRest(store, pods, podStrategy, namespaces);
 *
 * Order on create: defaults → prepareForCreate → validate. On update: defaults → (carry system fields) →
 * prepareForUpdate → validateUpdate.
 */
export interface Strategy {
  readonly info: ResourceInfo;
  /** Decode-time defaults and admission mutations (SetDefaults_*, ServiceAccount, Priority…). Run on every write of a full object. */
  defaults(obj: KubeObject, operation: 'create' | 'update'): void;
  /** Clears what a client may not set on create (status, for most kinds). */
  prepareForCreate(obj: KubeObject): void;
  /** All create-time checks, ObjectMeta included. */
  validate(obj: KubeObject): FieldError[];
  /** `Warning: 299` texts for a valid create. */
  warningsOnCreate?(obj: KubeObject): string[];
  /** Carries over from `old` what an update may not change (status on the main resource…). */
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  /** All update-time checks, ObjectMeta update rules included. */
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  warningsOnUpdate?(obj: KubeObject, old: KubeObject): string[];
  /** PUT of a missing object creates it. */
  readonly allowCreateOnUpdate: boolean;
  /** PUT without metadata.resourceVersion overwrites unconditionally. */
  readonly allowUnconditionalUpdate: boolean;
  /**
   * Graceful deletion (RESTGracefulDeleteStrategy.CheckGracefulDelete): the grace period in seconds this delete gets,
   * or undefined when the kind is deleted at once. 0 means "mark, then remove immediately".
   */
  gracefulDeletePeriod?(obj: KubeObject, options: DeleteOptions): number | undefined;
  /** DELETE answers with the object (pods, namespaces) instead of a Success Status. */
  readonly returnDeletedObject: boolean;
  /** An extra condition for removing an object whose update emptied its finalizers (namespaces: spec.finalizers empty). */
  shouldDeleteDuringUpdate?(obj: KubeObject): boolean;
}

/** A strategy for a subresource write (status, finalize): what it keeps from the old object, and what it checks. */
export interface SubresourceStrategy {
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
}
