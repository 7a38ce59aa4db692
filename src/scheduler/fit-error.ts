/**
 * The scheduler's FitError text (framework.FitError.Error() plus the DefaultPreemption PostFilter message):
 *
 *   0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient memory.
 *   preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
 *
 * (one line). Histogram entries are `<count> <reason>`, sorted as strings. With no nodes at all:
 * `no nodes available to schedule pods`.
 */

/** Why one node was rejected: the failing plugin's reasons; `unresolvable` when preemption cannot help there. */
export interface NodeStatus {
  reasons: string[];
  unresolvable: boolean;
}

export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_PREEMPTION_VICTIMS = 'No preemption victims found for incoming pod';

/** `<count> <reason>` entries, sorted as strings, joined with ", ". */
export function histogram(reasons: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts]
    .map(([r, n]) => `${n} ${r}`)
    .sort()
    .join(', ');
}

/**
 * The full message for a pod no node fits. Preemption is not implemented, so every node that preemption might
 * help (a resolvable failure) reports that no victims were found — what kube-scheduler says when all pods share a
 * priority.
 */
export function fitErrorMessage(totalNodes: number, statuses: readonly NodeStatus[], opts: { preemptionPolicy?: string } = {}): string {
  if (totalNodes === 0) return NO_NODES_AVAILABLE;
  const main = `0/${totalNodes} nodes are available: ${histogram(statuses.flatMap((s) => s.reasons))}.`;
  if (opts.preemptionPolicy === 'Never') return `${main} preemption: not eligible due to preemptionPolicy=Never.`;
  const post = histogram(statuses.map((s) => (s.unresolvable ? PREEMPTION_NOT_HELPFUL : NO_PREEMPTION_VICTIMS)));
  return `${main} preemption: 0/${totalNodes} nodes are available: ${post}.`;
}
