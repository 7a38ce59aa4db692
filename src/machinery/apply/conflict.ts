/**
 * The 409 an apply gets when it would change fields other managers own, worded as kube-apiserver words it
 * (managedfields/internal/conflict.go around structured-merge-diff's merge.Conflicts):
 *
 *   Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.containers[name="web"].image
 *
 *   Apply failed with 2 conflicts: conflicts with "a" using v1:
 *   - .spec.x
 *   conflicts with "b":
 *   - .spec.y
 *
 * kubectl prints the message and its own advice about --force-conflicts.
 */
import { ApiError } from '../api-error.ts';
import type { ManagerState } from './managers.ts';
import { managerId } from './managers.ts';
import { pathToString, type Path } from './path-element.ts';

export interface Conflict {
  manager: Omit<ManagerState, 'set' | 'time'>;
  path: Path;
}

/** `"name"`, plus the subresource, plus `using <apiVersion>` for Update managers (no time: identifiers carry none). */
export function describeManager(m: Conflict['manager']): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

export function applyConflictError(conflicts: Conflict[]): ApiError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(c.manager)}`,
    field: pathToString(c.path),
  }));
  return new ApiError(409, 'Conflict', conflictMessage(conflicts), { causes });
}

function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) {
    const [c] = conflicts;
    return `Apply failed with 1 conflict: conflict with ${describeManager(c.manager)}: ${pathToString(c.path)}`;
  }
  const byManager = new Map<string, Conflict[]>();
  for (const c of conflicts) {
    const id = managerId(c.manager);
    byManager.set(id, [...(byManager.get(id) ?? []), c]);
  }
  const lines: string[] = [];
  for (const id of [...byManager.keys()].sort()) {
    const group = byManager.get(id)!;
    lines.push(`conflicts with ${describeManager(group[0].manager)}:`);
    for (const c of group) lines.push(`- ${pathToString(c.path)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
