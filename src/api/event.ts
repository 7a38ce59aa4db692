/** core/v1 Event and EventList (Kubernetes 1.32). Descriptions are ours. */
import type { Static } from '@sinclair/typebox';
import { named, field, opt, str, int32, list } from './schema-kit.ts';
import { microTimeSchema, objectMetaSchema, timeSchema, listTypeMetaProps } from './meta.ts';
import { objectReferenceSchema } from './references.ts';

const CORE = 'io.k8s.api.core.v1';

export const eventSourceSchema = named(`${CORE}.EventSource`, 'Who reported an event.', {
  component: opt(str('Component that reported the event.')),
  host: opt(str('Node the event was reported on.')),
});

export const eventSeriesSchema = named(`${CORE}.EventSeries`, 'A run of repeated occurrences of one event.', {
  count: opt(int32('Occurrences so far.')),
  lastObservedTime: opt(field(microTimeSchema, 'When the last occurrence was seen.')),
});

export const eventSchema = named(
  `${CORE}.Event`,
  'A report of something that happened to an object; kept for a limited time, best effort.',
  {
    apiVersion: opt(str('Versioned schema of this object, such as v1.')),
    kind: opt(str('Type of this object in CamelCase.')),
    metadata: field(objectMetaSchema, 'Standard object metadata.'),
    involvedObject: field(objectReferenceSchema, 'Object the event is about.'),
    reason: opt(str('Short machine-readable reason, such as Scheduled or BackOff.')),
    message: opt(str('Human-readable description.')),
    source: opt(field(eventSourceSchema, 'Component that reported the event.')),
    firstTimestamp: opt(field(timeSchema, 'When the event was first recorded.')),
    lastTimestamp: opt(field(timeSchema, 'When the event was last recorded.')),
    count: opt(int32('How many times the event has happened.')),
    type: opt(str('Normal or Warning.')),
    eventTime: opt(field(microTimeSchema, 'When the event was first observed, with microseconds.')),
    series: opt(field(eventSeriesSchema, 'Repetition data; unset for a one-off event.')),
    action: opt(str('Action taken or attempted on the object.')),
    related: opt(field(objectReferenceSchema, 'A second object involved, if any.')),
    reportingComponent: opt(str('Controller that emitted the event, such as kubernetes.io/kubelet.')),
    reportingInstance: opt(str('Instance of that controller, such as kubelet-node1.')),
  },
  { 'x-kubernetes-group-version-kind': [{ group: '', kind: 'Event', version: 'v1' }] },
);
export type Event = Static<typeof eventSchema>;

export const eventListSchema = named(
  `${CORE}.EventList`,
  'A list of events.',
  { ...listTypeMetaProps(), items: list(eventSchema, 'The events.') },
  { 'x-kubernetes-group-version-kind': [{ group: '', kind: 'EventList', version: 'v1' }] },
);
