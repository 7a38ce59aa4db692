/**
 * What the API serves: one entry per resource. Discovery, routing, OpenAPI and the registry all read this table.
 */
export interface ResourceInfo {
  group: string; // '' for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Subresource name → verbs (pods: status, binding, log, exec, attach, portforward, eviction). */
  /** `group`/`version` only where the subresource's kind lives in another group (pods/eviction: policy/v1). */
  subresources: Record<string, { kind: string; verbs: string[]; group?: string; version?: string }>;
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const pods: ResourceInfo = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  listKind: 'PodList',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  verbs: allVerbs,
  subresources: {
    status: { kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    binding: { kind: 'Binding', verbs: ['create'] },
    eviction: { kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' },
    log: { kind: 'Pod', verbs: ['get'] },
    exec: { kind: 'PodExecOptions', verbs: ['create', 'get'] },
    attach: { kind: 'PodAttachOptions', verbs: ['create', 'get'] },
    portforward: { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
  },
};

export const namespaces: ResourceInfo = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  categories: [],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: {
    status: { kind: 'Namespace', verbs: ['get', 'patch', 'update'] },
    finalize: { kind: 'Namespace', verbs: ['update'] },
  },
};

export const nodes: ResourceInfo = {
  group: '',
  version: 'v1',
  kind: 'Node',
  listKind: 'NodeList',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  categories: [],
  verbs: allVerbs,
  subresources: { status: { kind: 'Node', verbs: ['get', 'patch', 'update'] } },
};

export const events: ResourceInfo = {
  group: '',
  version: 'v1',
  kind: 'Event',
  listKind: 'EventList',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  categories: [],
  verbs: allVerbs,
  subresources: {},
};

export const leases: ResourceInfo = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  listKind: 'LeaseList',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  shortNames: [],
  categories: [],
  verbs: allVerbs,
  subresources: {},
};

export const allResources: ResourceInfo[] = [pods, namespaces, nodes, events, leases];

export const apiVersionOf = (r: ResourceInfo) => (r.group ? `${r.group}/${r.version}` : r.version);

/** Store key of an object: /registry/<group.>plural/<ns>/<name> (cluster-scoped: no namespace segment). */
export function storeKey(r: ResourceInfo, namespace: string | undefined, name: string): string {
  return `${storePrefix(r, namespace)}${name}`;
}

/** Prefix of every key of a resource (in one namespace, when given). Always ends in '/'. */
export function storePrefix(r: ResourceInfo, namespace?: string): string {
  const base = `/registry/${r.group ? `${r.group}/` : ''}${r.plural}/`;
  return r.namespaced && namespace ? `${base}${namespace}/` : base;
}
