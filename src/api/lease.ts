/** coordination.k8s.io/v1 Lease and LeaseList (Kubernetes 1.32). Descriptions are ours. */
import type { Static } from '@sinclair/typebox';
import { named, field, opt, str, int32, list } from './schema-kit.ts';
import { microTimeSchema, typeMetaProps, listTypeMetaProps } from './meta.ts';

const COORD = 'io.k8s.api.coordination.v1';

export const leaseSpecSchema = named(`${COORD}.LeaseSpec`, 'Who holds a lease and for how long.', {
  holderIdentity: opt(str('Identity of the current holder.')),
  leaseDurationSeconds: opt(int32('Seconds candidates wait after the last renewal before taking the lease over.')),
  acquireTime: opt(field(microTimeSchema, 'When the current holder acquired the lease.')),
  renewTime: opt(field(microTimeSchema, 'When the holder last renewed the lease.')),
  leaseTransitions: opt(int32('How many times the lease changed holders.')),
  strategy: opt(str('Strategy for picking the next holder in coordinated leader election, such as OldestEmulationVersion.')),
  preferredHolder: opt(str('Holder that should take the lease next; the current holder should let go.')),
});

export const leaseSchema = named(
  `io.k8s.api.coordination.v1.Lease`,
  'A lease: a named lock with a holder and an expiry, used for node heartbeats and leader election.',
  {
    ...typeMetaProps(),
    spec: opt(field(leaseSpecSchema, 'Holder and timing of the lease.')),
  },
  { 'x-kubernetes-group-version-kind': [{ group: 'coordination.k8s.io', kind: 'Lease', version: 'v1' }] },
);
export type Lease = Static<typeof leaseSchema>;

export const leaseListSchema = named(
  `${COORD}.LeaseList`,
  'A list of leases.',
  { ...listTypeMetaProps(), items: list(leaseSchema, 'The leases.') },
  { 'x-kubernetes-group-version-kind': [{ group: 'coordination.k8s.io', kind: 'LeaseList', version: 'v1' }] },
);
