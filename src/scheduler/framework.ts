/**
 * One scheduling cycle over the cache: filter nodes (kube-scheduler's default plugin order), score the feasible
 * ones with the default weights, pick the best (ties at random).
 *
 * Filters, in order, the first failing one giving the node's reasons:
 *   NodeUnschedulable, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, InterPodAffinity.
 * Scores (weight): TaintToleration (3, PreferNoSchedule), NodeAffinity (2, preferred terms),
 *   NodeResourcesFit/LeastAllocated (1), NodeResourcesBalancedAllocation (1), ImageLocality (1).
 * Like kube-scheduler, filtering stops once enough feasible nodes are found (all below 100 nodes; 42% of 1,000),
 * starting where the previous cycle stopped.
 *
 *   const fw = new Framework(cache);
 *   const r = fw.schedule(podInfo(pod));   // { node: 'n2' } | { message: '0/3 nodes are available: …' }
 */
import { fitErrorMessage, type NodeStatus } from './fit-error.ts';
import { imageLocalityScore } from './image-locality.ts';
import { interPodAffinityFilter, interPodAffinityPreFilter } from './inter-pod-affinity.ts';
import { compileNodeAffinity, NODE_AFFINITY_REASON, type CompiledNodeAffinity } from './node-affinity.ts';
import type { NodeInfo } from './node-info.ts';
import { balancedAllocationScore, leastAllocatedScore, resourcesFit } from './node-resources.ts';
import type { PodInfo } from './pod-info.ts';
import type { SchedulerCache } from './scheduler-cache.ts';
import { intolerablePreferNoSchedule, taintReason, tolerates, untoleratedTaint, UNSCHEDULABLE_TAINT, type Toleration } from './taint-toleration.ts';

export const UNSCHEDULABLE_REASON = 'node(s) were unschedulable';
export const NODE_PORTS_REASON = "node(s) didn't have free ports for the requested pod ports";

export const WEIGHTS = { taintToleration: 3, nodeAffinity: 2, leastAllocated: 1, balancedAllocation: 1, imageLocality: 1 } as const;

export type ScheduleResult = { node: string; feasible: number; evaluated: number } | { node?: undefined; message: string; statuses: Map<string, NodeStatus> };

/** Per-pod state computed once per cycle. */
interface CycleState {
  pod: PodInfo;
  tolerations: Toleration[];
  tolerateUnschedulable: boolean;
  affinity: CompiledNodeAffinity;
  ipa: ReturnType<typeof interPodAffinityPreFilter>;
}

/** numFeasibleNodesToFind with percentageOfNodesToScore unset (adaptive). */
export function numFeasibleNodesToFind(total: number): number {
  if (total < 100) return total;
  const pct = Math.max(5, 50 - Math.trunc(total / 125));
  return Math.max(100, Math.trunc((total * pct) / 100));
}

export class Framework {
  readonly #cache: SchedulerCache;
  #next = 0;
  readonly #random: () => number;

  constructor(cache: SchedulerCache, random: () => number = Math.random) {
    this.#cache = cache;
    this.#random = random;
  }

  schedule(pod: PodInfo): ScheduleResult {
    const nodes = this.#cache.nodeList();
    const total = nodes.length;
    const statuses = new Map<string, NodeStatus>();
    if (total === 0) return { message: fitErrorMessage(0, []), statuses };
    const tolerations: Toleration[] = pod.pod.spec?.tolerations ?? [];
    const st: CycleState = {
      pod,
      tolerations,
      tolerateUnschedulable: tolerates(tolerations, { key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule' }),
      affinity: compileNodeAffinity(pod.pod),
      ipa: interPodAffinityPreFilter(pod, nodes, this.#cache.nodesWithAntiAffinity),
    };
    const want = numFeasibleNodesToFind(total);
    const feasible: NodeInfo[] = [];
    const start = this.#next % total;
    let i = 0;
    for (; i < total && feasible.length < want; i++) {
      const n = nodes[(start + i) % total]!;
      const s = this.filter(st, n);
      if (s) statuses.set(n.name, s);
      else feasible.push(n);
    }
    this.#next = (start + i) % total;
    if (feasible.length === 0) {
      return { message: fitErrorMessage(total, [...statuses.values()], { preemptionPolicy: pod.pod.spec?.preemptionPolicy }), statuses };
    }
    if (feasible.length === 1) return { node: feasible[0]!.name, feasible: 1, evaluated: i };
    return { node: this.#select(feasible, this.score(st, feasible)), feasible: feasible.length, evaluated: i };
  }

  /** The first failing filter's status for `n`, or undefined when the pod fits. */
  filter(st: CycleState, n: NodeInfo): NodeStatus | undefined {
    if (n.unschedulable && !st.tolerateUnschedulable) return { reasons: [UNSCHEDULABLE_REASON], unresolvable: true };
    if (n.taints.length) {
      const t = untoleratedTaint(n.taints, st.tolerations);
      if (t) return { reasons: [taintReason(t)], unresolvable: true };
    }
    if (!st.affinity.trivial && !st.affinity.matches(n.node!)) return { reasons: [NODE_AFFINITY_REASON], unresolvable: true };
    const ports = st.pod.hostPorts;
    for (let i = 0; i < ports.length; i++) if (n.portConflict(ports[i]!)) return { reasons: [NODE_PORTS_REASON], unresolvable: false };
    const fit = resourcesFit(st.pod, n);
    if (fit) return fit;
    if (!st.ipa) return undefined;
    const ipa = interPodAffinityFilter(st.ipa, st.pod, n);
    if (ipa) return { reasons: [ipa.reason], unresolvable: ipa.unresolvable };
    return undefined;
  }

  /** Weighted total per feasible node, after each plugin's normalisation. */
  score(st: CycleState, nodes: NodeInfo[]): Float64Array {
    const total = this.#cache.nodeList().length;
    const n = nodes.length;
    const out = new Float64Array(n);
    const images = st.pod.images.length > 0;
    for (let i = 0; i < n; i++) {
      const node = nodes[i]!;
      let s = WEIGHTS.leastAllocated * leastAllocatedScore(st.pod, node) + WEIGHTS.balancedAllocation * balancedAllocationScore(st.pod, node);
      if (images && node.images.size) s += WEIGHTS.imageLocality * imageLocalityScore(st.pod, node, this.#cache.nodesWithImage, total);
      out[i] = s;
    }
    // NodeAffinity: DefaultNormalizeScore(100, reverse=false)
    if (st.affinity.hasPreferred) {
      const raw = nodes.map((x) => st.affinity.preferredScore(x.node!));
      const max = Math.max(...raw);
      if (max > 0) for (let i = 0; i < n; i++) out[i]! += WEIGHTS.nodeAffinity * Math.floor((100 * raw[i]!) / max);
    }
    // TaintToleration: DefaultNormalizeScore(100, reverse=true); with no PreferNoSchedule taints every node gets 100
    let raw: number[] | undefined;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const node = nodes[i]!;
      if (!node.taints.length) continue;
      const c = intolerablePreferNoSchedule(node.taints, st.tolerations);
      if (c === 0) continue;
      raw ??= new Array<number>(n).fill(0);
      raw[i] = c;
      if (c > max) max = c;
    }
    for (let i = 0; i < n; i++) out[i]! += WEIGHTS.taintToleration * (raw && max > 0 ? 100 - Math.floor((100 * raw[i]!) / max) : 100);
    return out;
  }

  /** The highest score; ties broken uniformly at random (reservoir sampling, as selectHost does). */
  #select(nodes: NodeInfo[], scores: Float64Array): string {
    let best = 0;
    let ties = 1;
    for (let i = 1; i < scores.length; i++) {
      if (scores[i]! > scores[best]!) {
        best = i;
        ties = 1;
      } else if (scores[i] === scores[best]) {
        ties++;
        if (this.#random() * ties < 1) best = i;
      }
    }
    return nodes[best]!.name;
  }
}
