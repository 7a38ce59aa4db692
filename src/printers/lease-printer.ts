import { humanDuration } from '../machinery/human-duration.ts';
import { ageOf, column, nameColumn, type Printer } from './printer.ts';

export const leasePrinter: Printer = {
  columns: [
    nameColumn(),
    column('Holder', 'Identity of the current holder of the lease.'),
    column('Age', 'Time since the lease was created.'),
  ],
  cells: (lease, now) => {
    const age = ageOf(lease.metadata.creationTimestamp, now);
    return [lease.metadata.name, lease.spec?.holderIdentity ?? '', age === undefined ? '<unknown>' : humanDuration(age)];
  },
};
