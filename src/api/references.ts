/** Core/v1 reference types shared by several kinds (Pod volumes, Event, Binding). Names and tags follow Kubernetes 1.32. */
import type { Static } from '@sinclair/typebox';
import { named, opt, str } from './schema-kit.ts';

const CORE = 'io.k8s.api.core.v1';

export const objectReferenceSchema = named(
  `${CORE}.ObjectReference`,
  'Identifies another object, optionally a part of it, precisely enough to look it up.',
  {
    kind: opt(str('Kind of the referenced object.')),
    namespace: opt(str('Namespace of the referenced object.')),
    name: opt(str('Name of the referenced object.')),
    uid: opt(str('UID of the referenced object.')),
    apiVersion: opt(str('API version of the referenced object.')),
    resourceVersion: opt(str('Specific resourceVersion of the referenced object, if any.')),
    fieldPath: opt(
      str('Path to a part of the object, such as spec.containers{app}, when the reference is to that part.'),
    ),
  },
  { 'x-kubernetes-map-type': 'atomic' },
);
export type ObjectReference = Static<typeof objectReferenceSchema>;

export const localObjectReferenceSchema = named(
  `${CORE}.LocalObjectReference`,
  'Names another object in the same namespace.',
  { name: opt(str('Name of the referenced object; effectively required.', { default: '' })) },
  { 'x-kubernetes-map-type': 'atomic' },
);
export type LocalObjectReference = Static<typeof localObjectReferenceSchema>;

export const typedLocalObjectReferenceSchema = named(
  `${CORE}.TypedLocalObjectReference`,
  'Names a typed object in the same namespace.',
  {
    apiGroup: opt(str('API group of the referenced kind; empty means the core group.')),
    kind: str('Kind of the referenced object.'),
    name: str('Name of the referenced object.'),
  },
  { 'x-kubernetes-map-type': 'atomic' },
);

export const typedObjectReferenceSchema = named(
  `${CORE}.TypedObjectReference`,
  'Names a typed object, possibly in another namespace.',
  {
    apiGroup: opt(str('API group of the referenced kind; empty means the core group.')),
    kind: str('Kind of the referenced object.'),
    name: str('Name of the referenced object.'),
    namespace: opt(str('Namespace of the referenced object, when it differs from the referrer.')),
  },
);
