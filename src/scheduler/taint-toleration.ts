/**
 * The TaintToleration plugin: a node's NoSchedule/NoExecute taints must be tolerated (filter); untolerated
 * PreferNoSchedule taints lower a node's score (counted here, normalised reversed by the framework).
 *
 *   untoleratedTaint(node.spec.taints, pod.spec.tolerations)   // {key:'gpu', value:'', effect:'NoSchedule'} | undefined
 */
import type { KubeObject } from '../api/object.ts';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/** v1.Toleration.ToleratesTaint. */
export function toleratesTaint(tol: Toleration, taint: Taint): boolean {
  if (tol.effect && tol.effect !== taint.effect) return false;
  if (tol.key && tol.key !== taint.key) return false;
  switch (tol.operator || 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return !!tol.key && (tol.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export const tolerates = (tols: readonly Toleration[], taint: Taint) => tols.some((t) => toleratesTaint(t, taint));

/** The first NoSchedule/NoExecute taint the pod does not tolerate. */
export function untoleratedTaint(taints: readonly Taint[], tols: readonly Toleration[]): Taint | undefined {
  for (const t of taints) if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tols, t)) return t;
  return undefined;
}

/** The FitError phrase for an untolerated taint (1.33 wording). */
export const taintReason = (t: Taint) => `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;

/** How many PreferNoSchedule taints the pod does not tolerate (tolerations with effect '' or PreferNoSchedule count). */
export function intolerablePreferNoSchedule(taints: readonly Taint[], tols: readonly Toleration[]): number {
  let n = 0;
  let prefer: Toleration[] | undefined;
  for (const t of taints) {
    if (t.effect !== 'PreferNoSchedule') continue;
    prefer ??= tols.filter((x) => !x.effect || x.effect === 'PreferNoSchedule');
    if (!tolerates(prefer, t)) n++;
  }
  return n;
}

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

/**
 * The node's taints as the scheduler sees them. A node whose Ready condition is not True but that carries no
 * not-ready/unreachable taint yet (the node lifecycle controller adds them, here only for lost leases) gets the one
 * the controller would add: not-ready (Ready=False or missing) or unreachable (Ready=Unknown), NoSchedule.
 */
export function effectiveTaints(node: KubeObject): Taint[] {
  const taints: Taint[] = node.spec?.taints ?? [];
  const ready = (node.status?.conditions ?? []).find((c: { type: string; status: string }) => c.type === 'Ready');
  if (ready?.status === 'True') return taints;
  if (taints.some((t) => t.key === NOT_READY_TAINT || t.key === UNREACHABLE_TAINT)) return taints;
  return [...taints, { key: ready?.status === 'Unknown' ? UNREACHABLE_TAINT : NOT_READY_TAINT, effect: 'NoSchedule' }];
}
