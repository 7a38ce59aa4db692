import type { KubeObject } from '../api/object.ts';

/** One column of a server-side Table (meta.k8s.io/v1), as kubectl reads it. */
export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  /** 0: always shown; 1: only with `-o wide`. */
  priority: number;
}

export interface RowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** How one kind prints: its columns, and the cells (every priority) of one object at time `now`. */
export interface Printer {
  columns: ColumnDefinition[];
  cells(obj: KubeObject, now: number): unknown[];
  conditions?(obj: KubeObject): RowCondition[] | undefined;
}

export const column = (name: string, description: string, priority = 0, format = '', type = 'string'): ColumnDefinition => ({
  name,
  type,
  format,
  description,
  priority,
});

export const nameColumn = (description = 'Name must be unique within a namespace; it identifies the object.') =>
  column('Name', description, 0, 'name');

/** Milliseconds since an RFC 3339 timestamp, or undefined when there is none. */
export function ageOf(timestamp: string | null | undefined, now: number): number | undefined {
  if (!timestamp) return undefined;
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? undefined : now - t;
}
