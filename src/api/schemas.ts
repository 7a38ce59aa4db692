/**
 * Registry of kind schemas: the one place that maps (group, kind) to the TypeBox schema of that kind.
 * Strategic merge patch, unknown-field checks and OpenAPI generation all look schemas up here.
 *
 * @example
 *   const s = schemaForKind('', 'Pod'); // podSchema
 */
import type { TSchema } from '@sinclair/typebox';
import { podSchema, podListSchema } from './pod.ts';
import { namespaceSchema, namespaceListSchema } from './namespace.ts';
import { nodeSchema, nodeListSchema } from './node.ts';
import { eventSchema, eventListSchema } from './event.ts';
import { leaseSchema, leaseListSchema } from './lease.ts';
import { bindingSchema, deleteOptionsSchema, statusSchema } from './common.ts';

/** `${group}/${kind}` (group '' for core) → schema of that top-level kind (served kinds, their lists, Binding, DeleteOptions, Status). */
export const kindSchemas: Record<string, TSchema> = {
  '/Pod': podSchema,
  '/Namespace': namespaceSchema,
  '/Node': nodeSchema,
  '/Event': eventSchema,
  'coordination.k8s.io/Lease': leaseSchema,
  '/Binding': bindingSchema,
  '/DeleteOptions': deleteOptionsSchema,
  'coordination.k8s.io/DeleteOptions': deleteOptionsSchema,
  '/Status': statusSchema,
  '/PodList': podListSchema,
  '/NamespaceList': namespaceListSchema,
  '/NodeList': nodeListSchema,
  '/EventList': eventListSchema,
  'coordination.k8s.io/LeaseList': leaseListSchema,
};

/** The schema of a top-level kind, or undefined when the kind is not served. */
export function schemaForKind(group: string, kind: string): TSchema | undefined {
  return kindSchemas[`${group}/${kind}`];
}
