/**
 * Kinds shared by every API group: DeleteOptions, Status, WatchEvent, Patch (meta/v1), and core/v1 Binding.
 * Field names follow Kubernetes 1.32; descriptions are ours.
 */
import { Type, type Static } from '@sinclair/typebox';
import { named, field, opt, str, int32, int64, bool, atomic, register, anyObject, strings } from './schema-kit.ts';
import { listMetaSchema, typeMetaProps } from './meta.ts';
import { objectReferenceSchema } from './references.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
/** Group/versions served; the meta kinds below apply to each. */
const servedGroupVersions = [
  { group: '', version: 'v1' },
  { group: 'coordination.k8s.io', version: 'v1' },
];
const gvkEverywhere = (kind: string) => servedGroupVersions.map((gv) => ({ ...gv, kind }));

export const preconditionsSchema = named(`${META}.Preconditions`, 'Conditions the object must meet for the operation to go ahead.', {
  uid: opt(str('The object must have this UID.')),
  resourceVersion: opt(str('The object must be at this resourceVersion.')),
});

export const deleteOptionsSchema = named(
  `${META}.DeleteOptions`,
  'Options of a delete request.',
  {
    apiVersion: opt(str('Versioned schema of this object.')),
    kind: opt(str('Type of this object in CamelCase.')),
    gracePeriodSeconds: opt(int64('Seconds the object gets to terminate; 0 deletes at once; unset uses the default of the kind.')),
    preconditions: opt(field(preconditionsSchema, 'Conditions that must hold before deleting.')),
    orphanDependents: opt(bool('Deprecated; use propagationPolicy. Whether dependents are orphaned.')),
    propagationPolicy: opt(str('What happens to dependents: Orphan, Background or Foreground.')),
    dryRun: opt(atomic(strings(), 'When set to All, validate and report without persisting.')),
    ignoreStoreReadErrorWithClusterBreakingPotential: opt(
      bool('Delete an object that cannot be read from storage (corrupt); skips finalizers and checks.'),
    ),
  },
  { 'x-kubernetes-group-version-kind': gvkEverywhere('DeleteOptions') },
);
export type DeleteOptions = Static<typeof deleteOptionsSchema>;

export const statusCauseSchema = named(`${META}.StatusCause`, 'One reason an operation failed, possibly tied to a field.', {
  reason: opt(str('Machine-readable cause, such as FieldValueInvalid.')),
  message: opt(str('Human-readable explanation.')),
  field: opt(str('Path of the field at fault, such as spec.containers[0].name.')),
});

export const statusDetailsSchema = named(`${META}.StatusDetails`, 'More data about a failure, by reason.', {
  name: opt(str('Name of the object concerned.')),
  group: opt(str('API group of the object concerned.')),
  kind: opt(str('Kind (or resource) of the object concerned.')),
  uid: opt(str('UID of the object concerned.')),
  causes: opt(atomic(statusCauseSchema, 'Individual causes of the failure.')),
  retryAfterSeconds: opt(int32('Seconds a client should wait before retrying.')),
});

export const statusSchema = named(
  `${META}.Status`,
  'Result of an operation that returns no object, and the body of every error.',
  {
    apiVersion: opt(str('Versioned schema of this object.')),
    kind: opt(str('Type of this object in CamelCase.')),
    metadata: opt(field(listMetaSchema, 'Standard list metadata.')),
    status: opt(str('Success or Failure.')),
    message: opt(str('Human-readable description of the result.')),
    reason: opt(str('Machine-readable reason, such as NotFound or AlreadyExists.')),
    details: opt(field(statusDetailsSchema, 'More data about the result, by reason.')),
    code: opt(int32('HTTP status code of the result.')),
  },
  { 'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }] },
);
export type Status = Static<typeof statusSchema>;

export const rawExtensionSchema = register(
  Type.Unsafe<Record<string, unknown>>({
    ...anyObject('An embedded object of any kind.'),
    $id: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
  }),
);

export const watchEventSchema = named(
  `${META}.WatchEvent`,
  'One change delivered by a watch.',
  {
    type: str('ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.'),
    object: field(rawExtensionSchema, 'The object after the change; a Status for ERROR.'),
  },
  { 'x-kubernetes-group-version-kind': gvkEverywhere('WatchEvent') },
);

export const patchSchema = register(
  Type.Unsafe<Record<string, unknown>>({
    ...anyObject('A patch body; its format is given by the Content-Type.'),
    $id: `${META}.Patch`,
  }),
);

export const bindingSchema = named(
  `io.k8s.api.core.v1.Binding`,
  'Binds an object to another; the scheduler binds a pod to a node with it.',
  {
    ...typeMetaProps(),
    target: field(objectReferenceSchema, 'Object to bind to, such as a Node.'),
  },
  { 'x-kubernetes-group-version-kind': [{ group: '', kind: 'Binding', version: 'v1' }] },
);
export type Binding = Static<typeof bindingSchema>;
