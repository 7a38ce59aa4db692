/**
 * The InterPodAffinity plugin's filter (required terms only). PreFilter counts, per topology pair (`key=value`),
 * the existing pods that matter; Filter then checks a node's labels against those counts:
 *   1. existing pods' required anti-affinity that matches the incoming pod  → "didn't satisfy existing pods anti-affinity rules"
 *   2. the pod's required anti-affinity matching pods in the node's domain   → "didn't match pod anti-affinity rules"
 *   3. the pod's required affinity: every term needs a matching pod in the node's domain (or, when no pod anywhere
 *      matches and the pod matches its own terms, the first pod of the group may go anywhere with the keys)
 *                                                                          → "didn't match pod affinity rules"
 *
 *   const st = interPodAffinityPreFilter(info, nodes);
 *   const why = interPodAffinityFilter(st, info, node);   // { reason, unresolvable } | undefined
 */
import { matchesLabels } from '../machinery/label-selector.ts';
import type { NodeInfo } from './node-info.ts';
import type { AffinityTerm, PodInfo } from './pod-info.ts';

export const EXISTING_ANTI_AFFINITY_REASON = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ANTI_AFFINITY_REASON = "node(s) didn't match pod anti-affinity rules";
export const AFFINITY_REASON = "node(s) didn't match pod affinity rules";

export interface InterPodAffinityState {
  existingAntiAffinity: Map<string, number>;
  antiAffinity: Map<string, number>;
  affinity: Map<string, number>;
}

/** Does `term` (of a pod in its own namespace set) select `target`? */
export const termMatches = (term: AffinityTerm, target: PodInfo) =>
  (term.namespaces === null || term.namespaces.has(target.namespace)) && matchesLabels(term.selector, target.labels);

const pair = (key: string, value: string) => `${key}\u0000${value}`;
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/**
 * Counts for one scheduling attempt. Existing anti-affinity comes from the (few) pods that have such terms;
 * the pod's own terms are checked against every bound pod only when it has required (anti-)affinity.
 */
export function interPodAffinityPreFilter(pod: PodInfo, nodes: Iterable<NodeInfo>, nodesWithAntiAffinity: Iterable<NodeInfo>): InterPodAffinityState | undefined {
  const st: InterPodAffinityState = { existingAntiAffinity: new Map(), antiAffinity: new Map(), affinity: new Map() };
  let any = false;
  for (const n of nodesWithAntiAffinity) {
    for (const existing of n.podsWithRequiredAntiAffinity) {
      for (const t of existing.requiredAntiAffinity) {
        const v = n.labels[t.topologyKey];
        if (v !== undefined && termMatches(t, pod)) {
          bump(st.existingAntiAffinity, pair(t.topologyKey, v));
          any = true;
        }
      }
    }
  }
  if (pod.requiredAffinity.length || pod.requiredAntiAffinity.length) {
    any = true;
    for (const n of nodes) {
      if (n.pods.size === 0) continue;
      for (const existing of n.pods.values()) {
        if (pod.requiredAffinity.length && pod.requiredAffinity.every((t) => termMatches(t, existing))) {
          for (const t of pod.requiredAffinity) {
            const v = n.labels[t.topologyKey];
            if (v !== undefined) bump(st.affinity, pair(t.topologyKey, v));
          }
        }
        for (const t of pod.requiredAntiAffinity) {
          const v = n.labels[t.topologyKey];
          if (v !== undefined && termMatches(t, existing)) bump(st.antiAffinity, pair(t.topologyKey, v));
        }
      }
    }
  }
  return any ? st : undefined;
}

export function interPodAffinityFilter(st: InterPodAffinityState | undefined, pod: PodInfo, node: NodeInfo): { reason: string; unresolvable: boolean } | undefined {
  if (!st) return undefined;
  if (st.existingAntiAffinity.size) {
    for (const [k, v] of Object.entries(node.labels)) {
      if ((st.existingAntiAffinity.get(pair(k, v)) ?? 0) > 0) return { reason: EXISTING_ANTI_AFFINITY_REASON, unresolvable: false };
    }
  }
  for (const t of pod.requiredAntiAffinity) {
    const v = node.labels[t.topologyKey];
    if (v !== undefined && (st.antiAffinity.get(pair(t.topologyKey, v)) ?? 0) > 0) return { reason: ANTI_AFFINITY_REASON, unresolvable: false };
  }
  if (pod.requiredAffinity.length) {
    let all = true;
    for (const t of pod.requiredAffinity) {
      const v = node.labels[t.topologyKey];
      if (v === undefined) return { reason: AFFINITY_REASON, unresolvable: true };
      if ((st.affinity.get(pair(t.topologyKey, v)) ?? 0) <= 0) all = false;
    }
    if (!all) {
      const selfMatch = st.affinity.size === 0 && pod.requiredAffinity.every((t) => termMatches(t, pod));
      if (!selfMatch) return { reason: AFFINITY_REASON, unresolvable: true };
    }
  }
  return undefined;
}
