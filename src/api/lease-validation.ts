import type { FieldError } from '../machinery/field-error.ts';
import { forbidden, invalid, notSupported } from '../machinery/field-error.ts';
import type { KubeObject } from './object.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta-validation.ts';
import { isQualifiedName } from './name-validation.ts';

/**
 * coordination.k8s.io/v1 Lease validation. Leases use apimachinery's plain ObjectMeta rules (no core
 * finalizer rule), subdomain names, and a small spec check.
 *
 *   validateLease({ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { leaseDurationSeconds: 0 } })
 *   // [spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0]
 */
const VALID_STRATEGIES = ['OldestEmulationVersion'];

export function validateLeaseSpec(spec: KubeObject['spec'], path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec && typeof spec === 'object' ? spec : {};
  if (s.leaseDurationSeconds !== undefined && s.leaseDurationSeconds !== null && Number(s.leaseDurationSeconds) <= 0) {
    errs.push(invalid(`${path}.leaseDurationSeconds`, Number(s.leaseDurationSeconds), 'must be greater than 0'));
  }
  if (s.leaseTransitions !== undefined && s.leaseTransitions !== null && Number(s.leaseTransitions) < 0) {
    errs.push(invalid(`${path}.leaseTransitions`, Number(s.leaseTransitions), 'must be greater than or equal to 0'));
  }
  if (s.strategy !== undefined && s.strategy !== null) {
    const strategy = String(s.strategy);
    const p = `${path}.strategy.strategy`;
    if (strategy.split('/').length === 1) {
      if (!VALID_STRATEGIES.includes(strategy)) errs.push(notSupported(p, strategy, VALID_STRATEGIES));
    } else for (const msg of isQualifiedName(strategy)) errs.push(invalid(p, strategy, msg));
  }
  if (s.preferredHolder && !s.strategy) errs.push(forbidden(`${path}.preferredHolder`, 'may only be specified if `strategy` is defined'));
  return errs;
}

export function validateLease(lease: KubeObject): FieldError[] {
  return [
    ...validateObjectMeta(lease.metadata, { namespaced: true, kubeFinalizers: false }),
    ...validateLeaseSpec(lease.spec),
  ];
}

export function validateLeaseUpdate(lease: KubeObject, old: KubeObject): FieldError[] {
  return [...validateObjectMetaUpdate(lease.metadata, old.metadata, { kubeFinalizers: false }), ...validateLeaseSpec(lease.spec)];
}
