import type { KubeObject } from '../api/object.ts';
import { humanDuration } from '../machinery/human-duration.ts';
import { eventPrinter } from './event-printer.ts';
import { leasePrinter } from './lease-printer.ts';
import { namespacePrinter } from './namespace-printer.ts';
import { nodePrinter } from './node-printer.ts';
import { podPrinter } from './pod-printer.ts';
import { ageOf, column, nameColumn, type Printer } from './printer.ts';

/** Name + Age, for any kind without a printer of its own. */
export const defaultPrinter: Printer = {
  columns: [nameColumn(), column('Age', 'Time since the object was created.')],
  cells: (obj: KubeObject, now: number) => {
    const age = ageOf(obj.metadata.creationTimestamp, now);
    return [obj.metadata.name, age === undefined ? '<unknown>' : humanDuration(age)];
  },
};

const printers: Record<string, Printer> = {
  pods: podPrinter,
  nodes: nodePrinter,
  namespaces: namespacePrinter,
  events: eventPrinter,
  leases: leasePrinter,
};

/** The printer for a resource (by plural name). */
export const printerFor = (plural: string): Printer => printers[plural] ?? defaultPrinter;
