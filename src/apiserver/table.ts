/**
 * Server-side Table conversion (meta.k8s.io Table, K8S-FACTS §5.1): the per-kind printers in src/printers give
 * columns and cells; this file shapes the wire object and the per-row `object` (None / Metadata / Object).
 *
 *   toTable(pods, list.items, 'Metadata', { resourceVersion: list.metadata.resourceVersion })
 */
import type { KubeObject } from '../api/object.ts';
import type { ResourceInfo } from '../api/resources.ts';
import { printerFor } from '../printers/printers.ts';
import type { ColumnDefinition, RowCondition } from '../printers/printer.ts';
import type { IncludeObject } from './query.ts';

export interface TableRow {
  cells: unknown[];
  conditions?: RowCondition[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: ColumnDefinition[] | null;
  rows: TableRow[];
}

export interface TableOptions {
  /** meta.k8s.io version the client asked for. */
  version?: 'v1' | 'v1beta1';
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  /** Leave columnDefinitions null (watch events after the first). */
  noHeaders?: boolean;
  /** Clock for ages (ms since epoch). */
  now?: number;
}

function rowObject(obj: KubeObject, include: IncludeObject, apiVersion: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata };
}

/** Converts objects of one resource into a Table. */
export function toTable(info: ResourceInfo, objects: readonly KubeObject[], includeObject: IncludeObject, options: TableOptions = {}): Table {
  const printer = printerFor(info.plural);
  const apiVersion = `meta.k8s.io/${options.version ?? 'v1'}`;
  const now = options.now ?? Date.now();
  const rows: TableRow[] = objects.map((obj) => {
    const row: TableRow = { cells: printer.cells(obj, now) };
    const conditions = printer.conditions?.(obj);
    if (conditions?.length) row.conditions = conditions;
    const o = rowObject(obj, includeObject, apiVersion);
    if (o !== undefined) row.object = o;
    return row;
  });
  const metadata: Table['metadata'] = {};
  if (options.resourceVersion) metadata.resourceVersion = options.resourceVersion;
  if (options.continue) metadata.continue = options.continue;
  if (options.remainingItemCount !== undefined) metadata.remainingItemCount = options.remainingItemCount;
  return { kind: 'Table', apiVersion, metadata, columnDefinitions: options.noHeaders ? null : printer.columns, rows };
}
