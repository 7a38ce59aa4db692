/**
 * core/v1 Pod: PodSpec, PodStatus, Pod and PodList (Kubernetes 1.32, plus later alpha fields so no valid
 * manifest is rejected). Field names, types, enums and patch metadata follow the Go types; descriptions are ours.
 */
import type { Static } from '@sinclair/typebox';
import {
  named, field, opt, str, int32, int64, bool, enumOf, strMap, mapOf, list, atomic, mergeList, strings,
} from './schema-kit.ts';
import { quantitySchema, timeSchema, typeMetaProps, listTypeMetaProps } from './meta.ts';
import { localObjectReferenceSchema } from './references.ts';
import { volumeSchema } from './volume.ts';
import { containerSchema, ephemeralContainerSchema, resourceRequirementsSchema } from './container.ts';
import { containerStatusSchema } from './container-status.ts';
import { podSecurityContextSchema } from './security-context.ts';
import { affinitySchema, tolerationSchema, topologySpreadConstraintSchema } from './scheduling.ts';

const CORE = 'io.k8s.api.core.v1';

export const hostAliasSchema = named(`${CORE}.HostAlias`, 'An entry added to the hosts file of the pod.', {
  ip: str('IP address of the entry.'),
  hostnames: opt(atomic(strings(), 'Host names for that address.')),
});

export const podDNSConfigOptionSchema = named(`${CORE}.PodDNSConfigOption`, 'A resolver option.', {
  name: opt(str('Name of the option. Required.')),
  value: opt(str('Value of the option.')),
});

export const podDNSConfigSchema = named(`${CORE}.PodDNSConfig`, 'DNS settings added to those the DNS policy produces.', {
  nameservers: opt(atomic(strings(), 'Name server IP addresses to add.')),
  searches: opt(atomic(strings(), 'Search domains to add.')),
  options: opt(atomic(podDNSConfigOptionSchema, 'Resolver options; they override the same options of the policy.')),
});

export const podReadinessGateSchema = named(`${CORE}.PodReadinessGate`, 'A pod condition that must be True for the pod to be ready.', {
  conditionType: str('Type of the condition in status.conditions.'),
});

export const podOSSchema = named(`${CORE}.PodOS`, 'Operating system the pod needs.', {
  name: str('Name of the operating system: linux or windows.'),
});

export const podSchedulingGateSchema = named(`${CORE}.PodSchedulingGate`, 'A gate that keeps the pod from being scheduled while present.', {
  name: str('Name of the gate, unique within the pod.'),
});

export const podResourceClaimSchema = named(
  `${CORE}.PodResourceClaim`,
  'A ResourceClaim the pod uses, named directly or created from a template.',
  {
    name: str('Name of this entry, a DNS label unique within the pod; containers refer to it.'),
    resourceClaimName: opt(str("Name of an existing ResourceClaim in the pod's namespace.")),
    resourceClaimTemplateName: opt(str('Name of a ResourceClaimTemplate from which a claim is made for this pod.')),
  },
);

export const workloadReferenceSchema = named(`${CORE}.WorkloadReference`, 'The Workload and pod group a pod belongs to (alpha).', {
  name: str('Name of the Workload in the same namespace.'),
  podGroup: str('Name of the pod group within the Workload.'),
  podGroupReplicaKey: opt(str('Replica of the pod group the pod belongs to.')),
});

export const podSpecSchema = named(`${CORE}.PodSpec`, 'Desired state of a pod.', {
  volumes: opt(
    list(volumeSchema, 'Volumes the containers can mount.', {
      type: 'map',
      keys: ['name'],
      strategy: 'merge,retainKeys',
      mergeKey: 'name',
    }),
  ),
  initContainers: opt(
    mergeList(containerSchema, 'Containers run one after another, each to completion, before the app containers start.', 'name'),
  ),
  containers: mergeList(containerSchema, 'Containers of the pod; at least one. Cannot be added or removed.', 'name'),
  ephemeralContainers: opt(
    mergeList(ephemeralContainerSchema, 'Debug containers added to the running pod through the ephemeralcontainers subresource.', 'name'),
  ),
  restartPolicy: opt(enumOf(['Always', 'Never', 'OnFailure'], 'Restart policy of the containers. Defaults to Always.')),
  terminationGracePeriodSeconds: opt(
    int64('Seconds between the stop signal and the kill on deletion; 0 kills at once. Defaults to 30.'),
  ),
  activeDeadlineSeconds: opt(int64('Seconds after start after which the pod is failed and its containers killed.')),
  dnsPolicy: opt(
    enumOf(['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'], 'How DNS is configured for the pod. Defaults to ClusterFirst.'),
  ),
  nodeSelector: opt(strMap('Labels a node must have for the pod to be scheduled there.', 'atomic')),
  serviceAccountName: opt(str('ServiceAccount the pod runs as.')),
  serviceAccount: opt(str('Deprecated alias of serviceAccountName.')),
  automountServiceAccountToken: opt(bool('Whether a service account token is mounted automatically.')),
  nodeName: opt(str('Node the pod is bound to; set by the scheduler. Its kubelet then runs the pod.')),
  hostNetwork: opt(bool("Use the host's network namespace. Defaults to false.")),
  hostPID: opt(bool("Use the host's PID namespace. Defaults to false.")),
  hostIPC: opt(bool("Use the host's IPC namespace. Defaults to false.")),
  shareProcessNamespace: opt(bool('Share one PID namespace between all containers of the pod. Defaults to false.')),
  securityContext: opt(field(podSecurityContextSchema, 'Security settings for the whole pod.')),
  imagePullSecrets: opt(mergeList(localObjectReferenceSchema, 'Secrets in the namespace used to pull images.', 'name')),
  hostname: opt(str("Host name of the pod; defaults to a system-chosen value.")),
  subdomain: opt(str('Subdomain; the FQDN becomes <hostname>.<subdomain>.<namespace>.svc.<cluster domain>.')),
  affinity: opt(field(affinitySchema, 'Scheduling affinity rules.')),
  schedulerName: opt(str('Scheduler that places the pod; the default scheduler when unset.')),
  tolerations: opt(atomic(tolerationSchema, 'Taints the pod tolerates.')),
  hostAliases: opt(mergeList(hostAliasSchema, "Entries added to the pod's hosts file.", 'ip')),
  priorityClassName: opt(str('PriorityClass giving the pod its priority.')),
  priority: opt(int32('Priority value, filled in from priorityClassName by admission.')),
  dnsConfig: opt(field(podDNSConfigSchema, 'DNS settings merged into those of the DNS policy.')),
  readinessGates: opt(atomic(podReadinessGateSchema, 'Extra conditions that must be True for the pod to be ready.')),
  runtimeClassName: opt(str('RuntimeClass used to run the pod.')),
  enableServiceLinks: opt(bool('Inject environment variables describing services. Defaults to true.')),
  preemptionPolicy: opt(enumOf(['Never', 'PreemptLowerPriority'], 'Whether the pod may preempt lower-priority pods.')),
  overhead: opt(mapOf(quantitySchema, 'Resources the sandbox itself uses, set from the RuntimeClass at admission.')),
  topologySpreadConstraints: opt(
    list(topologySpreadConstraintSchema, 'How pods are spread over topology domains; all constraints apply.', {
      type: 'map',
      keys: ['topologyKey', 'whenUnsatisfiable'],
      strategy: 'merge',
      mergeKey: 'topologyKey',
    }),
  ),
  setHostnameAsFQDN: opt(bool("Set the kernel host name to the pod's FQDN. Defaults to false.")),
  os: opt(field(podOSSchema, 'Operating system the pod needs; restricts some fields.')),
  hostUsers: opt(bool("Use the host's user namespace. Defaults to true.")),
  schedulingGates: opt(mergeList(podSchedulingGateSchema, 'Gates that must all be removed before the pod is scheduled.', 'name')),
  resourceClaims: opt(
    list(podResourceClaimSchema, 'ResourceClaims allocated to the pod before it starts.', {
      type: 'map',
      keys: ['name'],
      strategy: 'merge,retainKeys',
      mergeKey: 'name',
    }),
  ),
  resources: opt(field(resourceRequirementsSchema, 'Resources for the whole pod, shared by its containers (cpu, memory, hugepages).')),
  hostnameOverride: opt(str('Host name the pod sees, overriding hostname and subdomain (alpha).')),
  workloadRef: opt(field(workloadReferenceSchema, 'Workload and pod group the pod belongs to (alpha).')),
});
export type PodSpec = Static<typeof podSpecSchema>;

export const podConditionSchema = named(`${CORE}.PodCondition`, 'One observed condition of a pod.', {
  type: str('Type of the condition, such as Ready or PodScheduled.'),
  observedGeneration: opt(int64('metadata.generation the condition was computed for.')),
  status: str('True, False or Unknown.'),
  lastProbeTime: opt(field(timeSchema, 'When the condition was last checked.')),
  lastTransitionTime: opt(field(timeSchema, 'When the status last changed.')),
  reason: opt(str('One-word CamelCase reason for the last transition.')),
  message: opt(str('Human-readable details about the last transition.')),
});

export const hostIPSchema = named(`${CORE}.HostIP`, 'An IP address of the host.', { ip: str('The address.') });
export const podIPSchema = named(`${CORE}.PodIP`, 'An IP address of the pod.', { ip: str('The address.') });

export const podResourceClaimStatusSchema = named(
  `${CORE}.PodResourceClaimStatus`,
  'Name of the ResourceClaim generated for one entry of spec.resourceClaims.',
  {
    name: str('Name of the spec.resourceClaims entry.'),
    resourceClaimName: opt(str('Name of the generated ResourceClaim; unset when none was needed.')),
  },
);

export const containerExtendedResourceRequestSchema = named(
  `${CORE}.ContainerExtendedResourceRequest`,
  'Maps an extended resource of a container to a request of the generated claim.',
  {
    containerName: str('Container requesting the resource.'),
    resourceName: str('Extended resource name.'),
    requestName: str('Request in the generated ResourceClaim.'),
  },
);

export const podExtendedResourceClaimStatusSchema = named(
  `${CORE}.PodExtendedResourceClaimStatus`,
  'The ResourceClaim generated for extended resources backed by dynamic allocation.',
  {
    requestMappings: atomic(containerExtendedResourceRequestSchema, 'Which container resource maps to which request.'),
    resourceClaimName: str('Name of the generated ResourceClaim.'),
  },
);

export const podStatusSchema = named(`${CORE}.PodStatus`, 'Observed state of a pod; may lag behind reality.', {
  observedGeneration: opt(int64('metadata.generation the status was computed for.')),
  phase: opt(enumOf(['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'], 'Summary of where the pod is in its lifecycle.')),
  conditions: opt(mergeList(podConditionSchema, 'Current conditions of the pod.', 'type')),
  message: opt(str('Human-readable details about the current state.')),
  reason: opt(str("Short CamelCase reason for the current state, such as Evicted.")),
  nominatedNodeName: opt(str('Node the pod may run on after preempting others there; not a promise.')),
  hostIP: opt(str('IP address of the node the pod runs on.')),
  hostIPs: opt(
    list(hostIPSchema, 'IP addresses of the node; the first equals hostIP.', { type: 'atomic', strategy: 'merge', mergeKey: 'ip' }),
  ),
  podIP: opt(str('IP address of the pod.')),
  podIPs: opt(mergeList(podIPSchema, 'IP addresses of the pod, at most one per family; the first equals podIP.', 'ip')),
  startTime: opt(field(timeSchema, 'When the node accepted the pod, before pulling images.')),
  initContainerStatuses: opt(atomic(containerStatusSchema, 'Status of each init container.')),
  containerStatuses: opt(atomic(containerStatusSchema, 'Status of each container.')),
  qosClass: opt(enumOf(['BestEffort', 'Burstable', 'Guaranteed'], 'Quality of service class derived from the resource requests.')),
  ephemeralContainerStatuses: opt(atomic(containerStatusSchema, 'Status of each ephemeral container.')),
  resize: opt(str('Deprecated state of a pending resource resize.')),
  resourceClaimStatuses: opt(
    list(podResourceClaimStatusSchema, 'Names of generated ResourceClaims.', {
      type: 'map',
      keys: ['name'],
      strategy: 'merge,retainKeys',
      mergeKey: 'name',
    }),
  ),
  extendedResourceClaimStatus: opt(field(podExtendedResourceClaimStatusSchema, 'Claim generated for extended resources.')),
  allocatedResources: opt(mapOf(quantitySchema, 'Total requests the node allocated to the pod.')),
  resources: opt(field(resourceRequirementsSchema, 'Pod-level requests and limits in effect.')),
});
export type PodStatus = Static<typeof podStatusSchema>;

export const podSchema = named(
  `${CORE}.Pod`,
  'A group of containers that share storage and network and are scheduled together onto a node.',
  {
    ...typeMetaProps(),
    spec: opt(field(podSpecSchema, 'Desired state of the pod.')),
    status: opt(field(podStatusSchema, 'Observed state of the pod, written by the system. Read-only.')),
  },
  { 'x-kubernetes-group-version-kind': [{ group: '', kind: 'Pod', version: 'v1' }] },
);
export type Pod = Static<typeof podSchema>;

export const podListSchema = named(
  `${CORE}.PodList`,
  'A list of pods.',
  { ...listTypeMetaProps(), items: list(podSchema, 'The pods.') },
  { 'x-kubernetes-group-version-kind': [{ group: '', kind: 'PodList', version: 'v1' }] },
);
export type PodList = Static<typeof podListSchema>;
