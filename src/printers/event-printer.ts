import type { KubeObject } from '../api/object.ts';
import { humanDuration } from '../machinery/human-duration.ts';
import { ageOf, column, type Printer } from './printer.ts';

/** core/v1 Event columns; the Name column exists only at priority 1 (wide), as kubectl shows it. */
export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'Time since the event was last observed.'),
    column('Type', 'Normal or Warning.'),
    column('Reason', 'Short, machine-readable reason for the event.'),
    column('Object', 'The object the event is about.'),
    column('Subobject', 'The part of the object the event is about, such as one container.', 1),
    column('Source', 'The component (and host) that reported the event.', 1),
    column('Message', 'Human-readable description of the event.'),
    column('First Seen', 'Time since the event was first observed.', 1),
    column('Count', 'How many times the event was observed.', 1),
    column('Name', 'Name of the event object.', 1, 'name'),
  ],
  cells: (ev, now) => {
    const firstSeen = since(ev.firstTimestamp, now) ?? since(ev.eventTime, now) ?? '<unknown>';
    const lastSeen = ev.series ? since(ev.series.lastObservedTime, now) : since(ev.lastTimestamp, now);
    const kind = String(ev.involvedObject?.kind ?? '').toLowerCase();
    const object = ev.involvedObject?.name ? `${kind}/${ev.involvedObject.name}` : kind;
    const count = ev.series ? ev.series.count : ev.count;
    return [
      lastSeen ?? firstSeen,
      ev.type ?? '',
      ev.reason ?? '',
      object,
      ev.involvedObject?.fieldPath ?? '',
      source(ev),
      String(ev.message ?? '').trim(),
      firstSeen,
      count || 1,
      ev.metadata.name,
    ];
  },
};

function since(timestamp: string | null | undefined, now: number): string | undefined {
  const age = ageOf(timestamp, now);
  return age === undefined ? undefined : humanDuration(age);
}

function source(ev: KubeObject): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const host = ev.source?.host || ev.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}
