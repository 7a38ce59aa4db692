/**
 * Pod scheduling constraints: node selectors, affinity, tolerations and topology spread (core/v1, Kubernetes 1.32).
 * Every nested list here is atomic, as in Kubernetes; descriptions are ours.
 */
import type { Static } from '@sinclair/typebox';
import { named, field, opt, str, int32, int64, enumOf, atomic, strings } from './schema-kit.ts';
import { labelSelectorSchema } from './meta.ts';

const CORE = 'io.k8s.api.core.v1';

export const nodeSelectorRequirementSchema = named(
  `${CORE}.NodeSelectorRequirement`,
  'One condition on a node label or field.',
  {
    key: str('Label or field key the condition applies to.'),
    operator: enumOf(['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'], 'How the key relates to the values.'),
    values: opt(atomic(strings(), 'Values to compare with: several for In/NotIn, none for Exists/DoesNotExist, one integer for Gt/Lt.')),
  },
);

export const nodeSelectorTermSchema = named(
  `${CORE}.NodeSelectorTerm`,
  'Conditions on a node that must all hold. An empty term matches no node.',
  {
    matchExpressions: opt(atomic(nodeSelectorRequirementSchema, 'Conditions on node labels.')),
    matchFields: opt(atomic(nodeSelectorRequirementSchema, 'Conditions on node fields.')),
  },
  { 'x-kubernetes-map-type': 'atomic' },
);

export const nodeSelectorSchema = named(
  `${CORE}.NodeSelector`,
  'Selects nodes matching any of its terms.',
  { nodeSelectorTerms: atomic(nodeSelectorTermSchema, 'Terms, of which at least one must match.') },
  { 'x-kubernetes-map-type': 'atomic' },
);

export const preferredSchedulingTermSchema = named(
  `${CORE}.PreferredSchedulingTerm`,
  'A weighted node preference.',
  {
    weight: int32('Weight added to a matching node, 1-100.'),
    preference: field(nodeSelectorTermSchema, 'Term a node must match to earn the weight.'),
  },
);

export const nodeAffinitySchema = named(`${CORE}.NodeAffinity`, 'Rules about which nodes the pod may or prefers to run on.', {
  requiredDuringSchedulingIgnoredDuringExecution: opt(
    field(nodeSelectorSchema, 'Nodes the pod may be scheduled on; not re-checked once it runs.'),
  ),
  preferredDuringSchedulingIgnoredDuringExecution: opt(
    atomic(preferredSchedulingTermSchema, 'Weighted preferences; nodes with the highest sum are preferred.'),
  ),
});

export const podAffinityTermSchema = named(
  `${CORE}.PodAffinityTerm`,
  'A set of pods and a topology key: pods count as co-located when their nodes share the value of that key.',
  {
    labelSelector: opt(field(labelSelectorSchema, 'Pods the term is about; none when unset.')),
    namespaces: opt(atomic(strings(), "Namespaces to look in, added to namespaceSelector's; the pod's own when both are empty.")),
    topologyKey: str('Node label whose value defines co-location. Must not be empty.'),
    namespaceSelector: opt(field(labelSelectorSchema, 'Namespaces to look in, by label; {} means all.')),
    matchLabelKeys: opt(atomic(strings(), "Labels of this pod whose values are added to labelSelector as 'key in (value)'.")),
    mismatchLabelKeys: opt(atomic(strings(), "Labels of this pod whose values are added to labelSelector as 'key notin (value)'.")),
  },
);

export const weightedPodAffinityTermSchema = named(`${CORE}.WeightedPodAffinityTerm`, 'A weighted pod affinity term.', {
  weight: int32('Weight added to a matching node, 1-100.'),
  podAffinityTerm: field(podAffinityTermSchema, 'Term a node must satisfy to earn the weight.'),
});

export const podAffinitySchema = named(`${CORE}.PodAffinity`, 'Rules placing the pod near other pods.', {
  requiredDuringSchedulingIgnoredDuringExecution: opt(
    atomic(podAffinityTermSchema, 'Terms that must all hold at scheduling time.'),
  ),
  preferredDuringSchedulingIgnoredDuringExecution: opt(
    atomic(weightedPodAffinityTermSchema, 'Weighted preferences; nodes with the highest sum are preferred.'),
  ),
});

export const podAntiAffinitySchema = named(`${CORE}.PodAntiAffinity`, 'Rules keeping the pod away from other pods.', {
  requiredDuringSchedulingIgnoredDuringExecution: opt(
    atomic(podAffinityTermSchema, 'Terms that must all hold at scheduling time.'),
  ),
  preferredDuringSchedulingIgnoredDuringExecution: opt(
    atomic(weightedPodAffinityTermSchema, 'Weighted preferences; nodes with the highest sum are avoided.'),
  ),
});

export const affinitySchema = named(`${CORE}.Affinity`, 'Scheduling affinity rules of a pod.', {
  nodeAffinity: opt(field(nodeAffinitySchema, 'Rules about nodes.')),
  podAffinity: opt(field(podAffinitySchema, 'Rules for running near other pods.')),
  podAntiAffinity: opt(field(podAntiAffinitySchema, 'Rules for running away from other pods.')),
});
export type Affinity = Static<typeof affinitySchema>;

export const taintEffectEnum = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] as const;

export const tolerationSchema = named(`${CORE}.Toleration`, 'Lets the pod run on nodes with a matching taint.', {
  key: opt(str('Taint key to tolerate; empty with operator Exists matches every taint.')),
  operator: opt(enumOf(['Equal', 'Exists'], 'How the key relates to the value. Defaults to Equal.')),
  value: opt(str('Taint value to match; empty for Exists.')),
  effect: opt(enumOf(taintEffectEnum, 'Taint effect to match; empty matches all effects.')),
  tolerationSeconds: opt(int64('For NoExecute taints: seconds the pod may stay once the taint appears; forever when unset.')),
});
export type Toleration = Static<typeof tolerationSchema>;

const inclusionPolicy = ['Honor', 'Ignore'] as const;

export const topologySpreadConstraintSchema = named(
  `${CORE}.TopologySpreadConstraint`,
  'How evenly matching pods must be spread over the values of a node label.',
  {
    maxSkew: int32('Largest allowed difference in matching pods between two domains. At least 1.'),
    topologyKey: str('Node label whose values are the domains.'),
    whenUnsatisfiable: enumOf(['DoNotSchedule', 'ScheduleAnyway'], 'What to do with a pod that cannot satisfy the constraint.'),
    labelSelector: opt(field(labelSelectorSchema, 'Pods that are counted.')),
    minDomains: opt(int32('Minimum number of eligible domains; fewer count as a global minimum of 0.')),
    nodeAffinityPolicy: opt(enumOf(inclusionPolicy, "Whether the pod's node affinity limits the counted nodes. Defaults to Honor.")),
    nodeTaintsPolicy: opt(enumOf(inclusionPolicy, 'Whether node taints limit the counted nodes. Defaults to Ignore.')),
    matchLabelKeys: opt(atomic(strings(), "Labels of this pod whose values are added to labelSelector.")),
  },
);
