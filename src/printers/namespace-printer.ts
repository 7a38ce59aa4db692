import { humanDuration } from '../machinery/human-duration.ts';
import { ageOf, column, nameColumn, type Printer } from './printer.ts';

export const namespacePrinter: Printer = {
  columns: [
    nameColumn('The namespace name, unique in the cluster.'),
    column('Status', 'Active, or Terminating while its content is being removed.'),
    column('Age', 'Time since the namespace was created.'),
  ],
  cells: (ns, now) => {
    const age = ageOf(ns.metadata.creationTimestamp, now);
    return [ns.metadata.name, ns.status?.phase ?? '', age === undefined ? '<unknown>' : humanDuration(age)];
  },
};
