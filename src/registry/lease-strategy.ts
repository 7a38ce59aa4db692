import { leases } from '../api/resources.ts';
import { validateLease, validateLeaseUpdate } from '../api/lease-validation.ts';
import type { Strategy } from './strategy.ts';

/**
 * coordination.k8s.io/v1 Leases (pkg/registry/coordination/lease/strategy.go): no status, create-on-update
 * allowed, updates must carry a resourceVersion.
 */
export const leaseStrategy: Strategy = {
  info: leases,
  defaults() {},
  prepareForCreate() {},
  validate: (lease) => validateLease(lease),
  prepareForUpdate() {},
  validateUpdate: (lease, old) => validateLeaseUpdate(lease, old),
  allowCreateOnUpdate: true,
  allowUnconditionalUpdate: false,
  returnDeletedObject: false,
};
