/**
 * Schemas shared by every kind (apimachinery meta/v1, resource.Quantity, intstr.IntOrString).
 * Field names, types and patch metadata follow Kubernetes 1.32; the descriptions are ours.
 */
import { Type, type Static, type TUnsafe } from '@sinclair/typebox';
import { named, field, opt, str, int64, bool, strMap, anyObject, list, atomic, register, strings } from './schema-kit.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** An RFC 3339 timestamp with second precision. */
export const timeSchema = register(
  Type.Unsafe<string>({
    $id: `${META}.Time`,
    type: 'string',
    format: 'date-time',
    description: 'A point in time, written as an RFC 3339 string in UTC with whole seconds.',
  }),
);

/** An RFC 3339 timestamp with microsecond precision. */
export const microTimeSchema = register(
  Type.Unsafe<string>({
    $id: `${META}.MicroTime`,
    type: 'string',
    format: 'date-time',
    description: 'A point in time, written as an RFC 3339 string in UTC with microseconds.',
  }),
);

/** A resource amount such as `500m`, `128Mi` or `2`; JSON numbers are accepted too. */
export const quantitySchema: TUnsafe<string | number> = register(
  Type.Unsafe<string | number>({
    $id: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
    description:
      'An amount of a resource written as a number with an optional suffix: decimal SI (m, k, M, G, T, P, E), binary SI (Ki, Mi, Gi, Ti, Pi, Ei) or an exponent (e3).',
    'x-kubernetes-int-or-string': true,
    anyOf: [{ type: 'integer' }, { type: 'string' }],
  }),
);
export type Quantity = Static<typeof quantitySchema>;

/** A value that is either an integer or a string (ports given by number or by name). */
export const intOrStringSchema: TUnsafe<string | number> = register(
  Type.Unsafe<string | number>({
    $id: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    description: 'Holds either an integer or a string, for example a port number or a port name.',
    'x-kubernetes-int-or-string': true,
    anyOf: [{ type: 'integer' }, { type: 'string' }],
  }),
);
export type IntOrString = Static<typeof intOrStringSchema>;

export const fieldsV1Schema = register(
  Type.Unsafe<Record<string, unknown>>({
    ...anyObject('The set of fields one manager owns, encoded as a trie of field paths (server-side apply).'),
    $id: `${META}.FieldsV1`,
  }),
);

export const ownerReferenceSchema = named(
  `${META}.OwnerReference`,
  'Points at the object that owns this one; when every owner is gone, the garbage collector removes the object.',
  {
    apiVersion: str('API version of the owner.'),
    kind: str('Kind of the owner.'),
    name: str('Name of the owner.'),
    uid: str('UID of the owner.'),
    controller: opt(bool('True when the owner is the managing controller; at most one reference may say so.')),
    blockOwnerDeletion: opt(
      bool('When true, foreground deletion of the owner waits until this object is gone.'),
    ),
  },
  { 'x-kubernetes-map-type': 'atomic' },
);
export type OwnerReference = Static<typeof ownerReferenceSchema>;

export const managedFieldsEntrySchema = named(
  `${META}.ManagedFieldsEntry`,
  'Records which fields one manager last set through one operation (server-side apply bookkeeping).',
  {
    manager: opt(str('Name of the client that manages these fields.')),
    operation: opt(str('How the fields were written: Apply or Update.')),
    apiVersion: opt(str('API version the field set is expressed in.')),
    time: opt(field(timeSchema, 'When this entry last changed.')),
    fieldsType: opt(str('Format of the field set; the only one is FieldsV1.')),
    fieldsV1: opt(field(fieldsV1Schema, 'The owned field set, when fieldsType is FieldsV1.')),
    subresource: opt(str('Subresource the write went through, empty for the main resource.')),
  },
);
export type ManagedFieldsEntry = Static<typeof managedFieldsEntrySchema>;

export const objectMetaSchema = named(
  `${META}.ObjectMeta`,
  'Metadata every persisted object carries: identity, labels, annotations, ownership and lifecycle stamps.',
  {
    name: opt(str('Name of the object, unique per kind within its namespace. Cannot change after creation.')),
    generateName: opt(
      str('Prefix from which the server builds a unique name when name is empty.'),
    ),
    namespace: opt(str('Namespace the object lives in; empty for cluster-scoped kinds.')),
    selfLink: opt(str('Deprecated and no longer set by the server.')),
    uid: opt(str('Unique identifier the server assigns at creation. Read-only.')),
    resourceVersion: opt(
      str('Opaque version of this object, changed on every write; used for optimistic concurrency and watches.'),
    ),
    generation: opt(int64('Counter of changes to the desired state. Set by the server.')),
    creationTimestamp: opt(field(timeSchema, 'When the server created the object. Read-only.')),
    deletionTimestamp: opt(
      field(timeSchema, 'When graceful deletion was requested; the object goes away after this time. Read-only.'),
    ),
    deletionGracePeriodSeconds: opt(
      int64('Seconds the object is given to terminate gracefully once deletion was requested. Read-only.'),
    ),
    labels: opt(strMap('Key/value pairs used to organise and select objects.')),
    annotations: opt(strMap('Key/value pairs for tools and people; not used for selection.')),
    ownerReferences: opt(
      list(ownerReferenceSchema, 'Objects this one depends on; used for garbage collection.', {
        type: 'map',
        keys: ['uid'],
        strategy: 'merge',
        mergeKey: 'uid',
      }),
    ),
    finalizers: opt(
      list(strings(), 'Names of pending cleanup steps; the object is removed only once this list is empty.', {
        type: 'set',
        strategy: 'merge',
      }),
    ),
    managedFields: opt(atomic(managedFieldsEntrySchema, 'Which manager owns which fields (server-side apply).')),
  },
);
export type ObjectMeta = Static<typeof objectMetaSchema>;

export const listMetaSchema = named(`${META}.ListMeta`, 'Metadata of a list response.', {
  selfLink: opt(str('Deprecated and no longer set by the server.')),
  resourceVersion: opt(str('Version of the collection at the time of the list; a watch can start from it.')),
  continue: opt(str('Opaque token for fetching the next page, present when more items remain.')),
  remainingItemCount: opt(int64('Approximate number of items after this page, when known.')),
});
export type ListMeta = Static<typeof listMetaSchema>;

export const labelSelectorRequirementSchema = named(
  `${META}.LabelSelectorRequirement`,
  'One condition on a label: a key, an operator and a set of values.',
  {
    key: str('Label key the condition applies to.'),
    operator: str('How the label relates to the values: In, NotIn, Exists or DoesNotExist.'),
    values: opt(atomic(strings(), 'Values for In and NotIn; must be empty for Exists and DoesNotExist.')),
  },
);

export const labelSelectorSchema = named(
  `${META}.LabelSelector`,
  'A label query; all of its conditions must hold. An empty selector matches everything, a missing one nothing.',
  {
    matchLabels: opt(strMap('Labels that must be present with exactly these values.')),
    matchExpressions: opt(atomic(labelSelectorRequirementSchema, 'Further label conditions, all of which must hold.')),
  },
  { 'x-kubernetes-map-type': 'atomic' },
);
export type LabelSelector = Static<typeof labelSelectorSchema>;

/** The `apiVersion` / `kind` / `metadata` triple every top-level kind starts with. */
export function typeMetaProps(description = 'Standard object metadata.') {
  return {
    apiVersion: opt(str('Versioned schema of this object, such as v1; the server uses it to decode the body.')),
    kind: opt(str('Type of this object in CamelCase, such as Pod.')),
    metadata: opt(field(objectMetaSchema, description)),
  };
}

/** The `apiVersion` / `kind` / `metadata` triple of a list kind. */
export function listTypeMetaProps() {
  return {
    apiVersion: opt(str('Versioned schema of this object, such as v1.')),
    kind: opt(str('Type of this list in CamelCase, such as PodList.')),
    metadata: opt(field(listMetaSchema, 'Standard list metadata.')),
  };
}
