/** core/v1 Namespace and NamespaceList (Kubernetes 1.32). Descriptions are ours. */
import type { Static } from '@sinclair/typebox';
import { named, field, opt, str, enumOf, list, atomic, mergeList, strings } from './schema-kit.ts';
import { timeSchema, typeMetaProps, listTypeMetaProps } from './meta.ts';

const CORE = 'io.k8s.api.core.v1';

export const namespaceSpecSchema = named(`${CORE}.NamespaceSpec`, 'Desired state of a namespace.', {
  finalizers: opt(atomic(strings(), 'Cleanup steps that must finish before the namespace is removed.')),
});

export const namespaceConditionSchema = named(`${CORE}.NamespaceCondition`, 'One observed condition of a namespace.', {
  type: str('Type of the condition, such as NamespaceContentRemaining.'),
  status: str('True, False or Unknown.'),
  lastTransitionTime: opt(field(timeSchema, 'When the status last changed.')),
  reason: opt(str('One-word CamelCase reason for the last transition.')),
  message: opt(str('Human-readable details about the last transition.')),
});

export const namespaceStatusSchema = named(`${CORE}.NamespaceStatus`, 'Observed state of a namespace.', {
  phase: opt(enumOf(['Active', 'Terminating'], 'Lifecycle phase of the namespace.')),
  conditions: opt(mergeList(namespaceConditionSchema, 'Current conditions of the namespace.', 'type')),
});

export const namespaceSchema = named(
  `${CORE}.Namespace`,
  'A scope for names; most objects live in exactly one namespace.',
  {
    ...typeMetaProps(),
    spec: opt(field(namespaceSpecSchema, 'Desired state of the namespace.')),
    status: opt(field(namespaceStatusSchema, 'Observed state of the namespace.')),
  },
  { 'x-kubernetes-group-version-kind': [{ group: '', kind: 'Namespace', version: 'v1' }] },
);
export type Namespace = Static<typeof namespaceSchema>;

export const namespaceListSchema = named(
  `${CORE}.NamespaceList`,
  'A list of namespaces.',
  { ...listTypeMetaProps(), items: list(namespaceSchema, 'The namespaces.') },
  { 'x-kubernetes-group-version-kind': [{ group: '', kind: 'NamespaceList', version: 'v1' }] },
);
