/**
 * NodeResourcesFit (filter + LeastAllocated score) and NodeResourcesBalancedAllocation (score), over the node's
 * incremental aggregates.
 *
 *   resourcesFit(info, node)          // [] or ['Insufficient cpu', …] (+ unresolvable when over allocatable)
 *   leastAllocatedScore(info, node)   // 0..100
 *   balancedAllocationScore(info, node)
 */
import type { NodeInfo } from './node-info.ts';
import type { PodInfo } from './pod-info.ts';

export const TOO_MANY_PODS = 'Too many pods';

export interface FitResult {
  reasons: string[];
  /** A request exceeds the node's whole allocatable: preemption cannot help. */
  unresolvable: boolean;
}

export function resourcesFit(pod: PodInfo, node: NodeInfo): FitResult | undefined {
  let out: FitResult | undefined;
  const a = node.allocatable;
  const used = node.requested;
  if (node.pods.size + 1 > a.pods) out = { reasons: [TOO_MANY_PODS], unresolvable: false };
  const r = pod.requests;
  if (r.milliCpu > 0) out = check(out, 'cpu', r.milliCpu, a.milliCpu, used.milliCpu);
  if (r.memory > 0) out = check(out, 'memory', r.memory, a.memory, used.memory);
  if (r.ephemeral > 0) out = check(out, 'ephemeral-storage', r.ephemeral, a.ephemeral, used.ephemeral);
  if (pod.hasScalarRequests) {
    for (const name in r.scalar) out = check(out, name, r.scalar[name]!, a.scalar[name] ?? 0, used.scalar[name] ?? 0);
  }
  return out;
}

/** Adds `Insufficient <name>` when `want` does not fit in what is left. */
function check(out: FitResult | undefined, name: string, want: number, alloc: number, inUse: number): FitResult | undefined {
  if (want <= 0 || want <= alloc - inUse) return out;
  out ??= { reasons: [], unresolvable: false };
  out.reasons.push(`Insufficient ${name}`);
  if (want > alloc) out.unresolvable = true;
  return out;
}

const MAX = 100;

function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX) / capacity);
}

/** LeastAllocated over cpu and memory (weight 1 each), with non-zero requests, the pod included. */
export function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  const a = node.allocatable;
  let score = 0;
  let weights = 0;
  if (a.milliCpu > 0) {
    score += leastRequested(node.nonZeroRequested.milliCpu + pod.nonZero.milliCpu, a.milliCpu);
    weights++;
  }
  if (a.memory > 0) {
    score += leastRequested(node.nonZeroRequested.memory + pod.nonZero.memory, a.memory);
    weights++;
  }
  return weights ? Math.floor(score / weights) : 0;
}

/** BalancedAllocation: 100 × (1 − std of the cpu and memory fractions), actual requests, the pod included. */
export function balancedAllocationScore(pod: PodInfo, node: NodeInfo): number {
  const a = node.allocatable;
  if (a.milliCpu <= 0 || a.memory <= 0) return MAX; // one fraction or none: std 0
  const cpu = Math.min(1, (node.requested.milliCpu + pod.requests.milliCpu) / a.milliCpu);
  const mem = Math.min(1, (node.requested.memory + pod.requests.memory) / a.memory);
  return Math.trunc((1 - Math.abs((cpu - mem) / 2)) * MAX);
}
