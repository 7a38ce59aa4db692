/**
 * The NodeAffinity plugin: spec.nodeSelector and required node affinity (filter), preferred node affinity (score).
 * Compiled once per pod:
 *
 *   const aff = compileNodeAffinity(pod);
 *   aff.matches(node)         // nodeSelector ∧ (term₁ ∨ term₂ …)
 *   aff.preferredScore(node)  // sum of the weights of the matching preferred terms
 */
import type { KubeObject } from '../api/object.ts';

export const NODE_AFFINITY_REASON = "node(s) didn't match Pod's node affinity/selector";

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

interface NodeSelectorTerm {
  matchExpressions?: Requirement[];
  matchFields?: Requirement[];
}

export interface CompiledNodeAffinity {
  /** True when the pod has no selector and no required affinity (everything matches). */
  readonly trivial: boolean;
  readonly hasPreferred: boolean;
  matches(node: KubeObject): boolean;
  preferredScore(node: KubeObject): number;
}

const INTEGER = /^[+-]?\d+$/;

/** One NodeSelectorRequirement against a value (undefined = label absent). Unknown operators match nothing. */
export function matchesNodeRequirement(r: Requirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1 || !INTEGER.test(value) || !INTEGER.test(values[0]!)) return false;
      const have = BigInt(value);
      const want = BigInt(values[0]!);
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

/** A NodeSelectorTerm: all expressions (labels) and all fields (only metadata.name); an empty term matches nothing. */
export function matchesNodeSelectorTerm(term: NodeSelectorTerm, node: KubeObject): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  for (const r of exprs) if (!matchesNodeRequirement(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined)) return false;
  for (const r of fields) {
    if (r.key !== 'metadata.name') return false;
    if (r.operator !== 'In' && r.operator !== 'NotIn') return false;
    if (!matchesNodeRequirement(r, node.metadata.name)) return false;
  }
  return true;
}

export function compileNodeAffinity(pod: KubeObject): CompiledNodeAffinity {
  const selector = Object.entries((pod.spec?.nodeSelector ?? {}) as Record<string, string>);
  const na = pod.spec?.affinity?.nodeAffinity;
  const required: NodeSelectorTerm[] | undefined = na?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const preferred: Array<{ weight?: number; preference?: NodeSelectorTerm }> = na?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  return {
    trivial: selector.length === 0 && required === undefined,
    hasPreferred: preferred.length > 0,
    matches(node) {
      if (selector.length) {
        const labels = node.metadata.labels ?? {};
        for (const [k, v] of selector) if (labels[k] !== v) return false;
      }
      if (required === undefined) return true;
      return required.some((t) => matchesNodeSelectorTerm(t, node));
    },
    preferredScore(node) {
      let sum = 0;
      for (const p of preferred) if (p.weight && p.preference && matchesNodeSelectorTerm(p.preference, node)) sum += p.weight;
      return sum;
    },
  };
}
