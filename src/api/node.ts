/** core/v1 Node and NodeList (Kubernetes 1.32, plus later fields). Field names and patch metadata follow the Go types; descriptions are ours. */
import { type Static } from '@sinclair/typebox';
import { named, field, opt, str, int32, int64, bool, enumOf, mapOf, list, atomic, mergeList, strings } from './schema-kit.ts';
import { quantitySchema, timeSchema, typeMetaProps, listTypeMetaProps } from './meta.ts';
import { taintEffectEnum } from './scheduling.ts';

const CORE = 'io.k8s.api.core.v1';

export const taintSchema = named(`${CORE}.Taint`, 'Marks a node so that pods without a matching toleration are kept off or evicted.', {
  key: str('Taint key.'),
  value: opt(str('Taint value.')),
  effect: enumOf(taintEffectEnum, 'What happens to pods that do not tolerate the taint.'),
  timeAdded: opt(field(timeSchema, 'When the taint was added (NoExecute taints).')),
});

export const configMapNodeConfigSourceSchema = named(
  `${CORE}.ConfigMapNodeConfigSource`,
  'A ConfigMap holding kubelet configuration (deprecated feature).',
  {
    namespace: str('Namespace of the ConfigMap.'),
    name: str('Name of the ConfigMap.'),
    uid: opt(str('UID of the ConfigMap; set in status only.')),
    resourceVersion: opt(str('resourceVersion of the ConfigMap; set in status only.')),
    kubeletConfigKey: str('Key of the ConfigMap that holds the KubeletConfiguration.'),
  },
);

export const nodeConfigSourceSchema = named(`${CORE}.NodeConfigSource`, 'Source of kubelet configuration (deprecated feature).', {
  configMap: opt(field(configMapNodeConfigSourceSchema, 'ConfigMap holding the configuration.')),
});

export const nodeSpecSchema = named(`${CORE}.NodeSpec`, 'Desired state of a node.', {
  podCIDR: opt(str('Pod IP range assigned to the node.')),
  podCIDRs: opt(
    list(strings(), 'Pod IP ranges assigned to the node, at most one per family; the first equals podCIDR.', {
      type: 'set',
      strategy: 'merge',
    }),
  ),
  providerID: opt(str("Cloud provider's ID of the node, as <provider>://<id>.")),
  unschedulable: opt(bool('Keep new pods off the node (cordon). Defaults to false.')),
  taints: opt(atomic(taintSchema, 'Taints of the node.')),
  configSource: opt(field(nodeConfigSourceSchema, 'Deprecated; no longer used.')),
  externalID: opt(str('Deprecated; no longer used.')),
});

export const nodeConditionSchema = named(`${CORE}.NodeCondition`, 'One observed condition of a node.', {
  type: str('Type of the condition, such as Ready or MemoryPressure.'),
  status: str('True, False or Unknown.'),
  lastHeartbeatTime: opt(field(timeSchema, 'When the condition was last reported.')),
  lastTransitionTime: opt(field(timeSchema, 'When the status last changed.')),
  reason: opt(str('One-word CamelCase reason for the last transition.')),
  message: opt(str('Human-readable details about the last transition.')),
});

export const nodeAddressSchema = named(`${CORE}.NodeAddress`, 'An address of a node.', {
  type: str('Kind of address: Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.'),
  address: str('The address.'),
});

export const daemonEndpointSchema = named(`${CORE}.DaemonEndpoint`, 'Port of a daemon on the node.', {
  Port: int32('Port number.'),
});

export const nodeDaemonEndpointsSchema = named(`${CORE}.NodeDaemonEndpoints`, 'Ports of the daemons running on the node.', {
  kubeletEndpoint: opt(field(daemonEndpointSchema, 'Port the kubelet (agent) listens on.')),
});

export const nodeSwapStatusSchema = named(`${CORE}.NodeSwapStatus`, 'Swap memory of the node.', {
  capacity: opt(int64('Total swap in bytes.')),
});

export const nodeSystemInfoSchema = named(`${CORE}.NodeSystemInfo`, 'Identifiers and software versions reported by the node.', {
  machineID: str('Machine ID of the host (see machine-id(5)).'),
  systemUUID: str('System UUID of the host.'),
  bootID: str('ID of the current boot.'),
  kernelVersion: str('Kernel version, as uname -r prints it.'),
  osImage: str('Operating system image, from /etc/os-release.'),
  containerRuntimeVersion: str('Container runtime and version, such as containerd://1.7.0.'),
  kubeletVersion: str('Version of the node agent.'),
  kubeProxyVersion: str('Deprecated; version of kube-proxy.'),
  operatingSystem: str('Operating system, such as linux.'),
  architecture: str('CPU architecture, such as amd64.'),
  swap: opt(field(nodeSwapStatusSchema, 'Swap memory of the node.')),
});

export const containerImageSchema = named(`${CORE}.ContainerImage`, 'An image present on the node.', {
  names: opt(atomic(strings(), 'Names the image is known by.')),
  sizeBytes: opt(int64('Size of the image in bytes.')),
});

export const attachedVolumeSchema = named(`${CORE}.AttachedVolume`, 'A volume attached to the node.', {
  name: str('Name of the volume.'),
  devicePath: str('Device path where the volume is available.'),
});

export const nodeConfigStatusSchema = named(`${CORE}.NodeConfigStatus`, 'State of the deprecated dynamic kubelet configuration.', {
  assigned: opt(field(nodeConfigSourceSchema, 'Configuration the node will try to use.')),
  active: opt(field(nodeConfigSourceSchema, 'Configuration the node uses now.')),
  lastKnownGood: opt(field(nodeConfigSourceSchema, 'Configuration the node falls back to.')),
  error: opt(str('Problem applying the configuration, if any.')),
});

export const nodeRuntimeHandlerFeaturesSchema = named(`${CORE}.NodeRuntimeHandlerFeatures`, 'Features a runtime handler supports.', {
  recursiveReadOnlyMounts: opt(bool('Supports recursive read-only mounts.')),
  userNamespaces: opt(bool('Supports user namespaces, volumes included.')),
});

export const nodeRuntimeHandlerSchema = named(`${CORE}.NodeRuntimeHandler`, 'A runtime handler of the node.', {
  name: opt(str('Name of the handler; empty for the default one.')),
  features: opt(field(nodeRuntimeHandlerFeaturesSchema, 'Features it supports.')),
});

export const nodeFeaturesSchema = named(`${CORE}.NodeFeatures`, 'Features of the container runtime of the node.', {
  supplementalGroupsPolicy: opt(bool('Supports supplementalGroupsPolicy and reports container users.')),
});

export const nodeStatusSchema = named(`${CORE}.NodeStatus`, 'Observed state of a node.', {
  capacity: opt(mapOf(quantitySchema, 'Total resources of the node.')),
  allocatable: opt(mapOf(quantitySchema, 'Resources available to pods; defaults to capacity.')),
  phase: opt(enumOf(['Pending', 'Running', 'Terminated'], 'Deprecated and never set.')),
  conditions: opt(mergeList(nodeConditionSchema, 'Current conditions of the node.', 'type')),
  addresses: opt(mergeList(nodeAddressSchema, 'Addresses of the node. Replace the whole list when patching.', 'type')),
  daemonEndpoints: opt(field(nodeDaemonEndpointsSchema, 'Ports of daemons on the node.')),
  nodeInfo: opt(field(nodeSystemInfoSchema, 'Identifiers and versions of the node.')),
  images: opt(atomic(containerImageSchema, 'Images present on the node.')),
  volumesInUse: opt(atomic(strings(), 'Attachable volumes mounted on the node.')),
  volumesAttached: opt(atomic(attachedVolumeSchema, 'Volumes attached to the node.')),
  config: opt(field(nodeConfigStatusSchema, 'Deprecated dynamic configuration state.')),
  runtimeHandlers: opt(atomic(nodeRuntimeHandlerSchema, 'Runtime handlers available on the node.')),
  features: opt(field(nodeFeaturesSchema, 'Features of the container runtime.')),
  declaredFeatures: opt(atomic(strings(), 'Feature-gated features the node declares (alpha).')),
});

export const nodeSchema = named(
  `${CORE}.Node`,
  'A machine that runs pods.',
  {
    ...typeMetaProps(),
    spec: opt(field(nodeSpecSchema, 'Desired state of the node.')),
    status: opt(field(nodeStatusSchema, 'Observed state of the node, reported by its agent. Read-only.')),
  },
  { 'x-kubernetes-group-version-kind': [{ group: '', kind: 'Node', version: 'v1' }] },
);
export type Node = Static<typeof nodeSchema>;

export const nodeListSchema = named(
  `${CORE}.NodeList`,
  'A list of nodes.',
  { ...listTypeMetaProps(), items: list(nodeSchema, 'The nodes.') },
  { 'x-kubernetes-group-version-kind': [{ group: '', kind: 'NodeList', version: 'v1' }] },
);
