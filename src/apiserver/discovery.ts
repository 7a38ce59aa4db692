/**
 * API discovery documents, built once from the served resources' ResourceInfo (KUBECTL-API §2):
 * aggregated (apidiscovery.k8s.io v2 / v2beta1, chosen by Accept, announced by Content-Type) or legacy
 * (APIVersions, APIGroupList, APIGroup, APIResourceList).
 *
 *   const d = buildDiscovery(allResources);
 *   d.aggregatedApis('v2')    // JSON text of /apis as an APIGroupDiscoveryList
 *   d.resourceList('', 'v1')  // JSON text of /api/v1, or undefined
 */
import type { ResourceInfo } from '../api/resources.ts';

export interface Discovery {
  /** /api legacy (APIVersions). `serverAddress` is host:port as the client reached us. */
  apiVersions(serverAddress: string): string;
  /** /apis legacy (APIGroupList). */
  groupList: string;
  /** /apis/<group> (APIGroup), undefined when the group is not served. */
  group(name: string): string | undefined;
  /** /api/v1, /apis/<group>/<version> (APIResourceList). */
  resourceList(group: string, version: string): string | undefined;
  /** /api aggregated (core group only). */
  aggregatedApi(v: 'v2' | 'v2beta1'): string;
  /** /apis aggregated (every named group). */
  aggregatedApis(v: 'v2' | 'v2beta1'): string;
}

const scopeOf = (r: ResourceInfo) => (r.namespaced ? 'Namespaced' : 'Cluster');

function resourceDiscovery(r: ResourceInfo) {
  const d: Record<string, unknown> = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: scopeOf(r),
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) d.shortNames = r.shortNames;
  if (r.categories.length) d.categories = r.categories;
  const subs = Object.entries(r.subresources);
  if (subs.length) {
    d.subresources = subs.map(([name, s]) => ({
      subresource: name,
      // kubectl drain uses eviction only when discovery names policy/v1 for it.
      responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return d;
}

function legacyResources(rs: ResourceInfo[]) {
  const out: Record<string, unknown>[] = [];
  for (const r of rs) {
    const e: Record<string, unknown> = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
    if (r.shortNames.length) e.shortNames = r.shortNames;
    if (r.categories.length) e.categories = r.categories;
    out.push(e);
    for (const [name, s] of Object.entries(r.subresources)) {
      const e: Record<string, unknown> = { name: `${r.plural}/${name}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group !== undefined) Object.assign(e, { group: s.group, version: s.version });
      out.push(e);
    }
  }
  return out;
}

/** Groups → versions (in first-seen order) → resources. */
function index(resources: readonly ResourceInfo[]) {
  const groups = new Map<string, Map<string, ResourceInfo[]>>();
  for (const r of resources) {
    let versions = groups.get(r.group);
    if (!versions) groups.set(r.group, (versions = new Map()));
    let list = versions.get(r.version);
    if (!list) versions.set(r.version, (list = []));
    list.push(r);
  }
  return groups;
}

export function buildDiscovery(resources: readonly ResourceInfo[]): Discovery {
  const groups = index(resources);
  const core = groups.get('') ?? new Map<string, ResourceInfo[]>();
  const named = [...groups.entries()].filter(([g]) => g !== '');

  const aggregatedGroup = (name: string, versions: Map<string, ResourceInfo[]>) => {
    const item: Record<string, unknown> = { metadata: name ? { name, creationTimestamp: null } : { creationTimestamp: null } };
    item.versions = [...versions.entries()].map(([version, rs]) => ({ version, resources: rs.map(resourceDiscovery), freshness: 'Current' }));
    return item;
  };
  const aggregated = (items: Record<string, unknown>[], v: string) =>
    JSON.stringify({ kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${v}`, metadata: {}, items });

  const coreItems = core.size ? [aggregatedGroup('', core)] : [];
  const namedItems = named.map(([g, vs]) => aggregatedGroup(g, vs));
  const agg = {
    api: { v2: aggregated(coreItems, 'v2'), v2beta1: aggregated(coreItems, 'v2beta1') },
    apis: { v2: aggregated(namedItems, 'v2'), v2beta1: aggregated(namedItems, 'v2beta1') },
  };

  const apiGroup = (name: string, versions: Map<string, ResourceInfo[]>) => {
    const vs = [...versions.keys()].map((version) => ({ groupVersion: `${name}/${version}`, version }));
    return { name, versions: vs, preferredVersion: vs[0] };
  };
  const groupList = JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups: named.map(([g, vs]) => apiGroup(g, vs)) });
  const groupDocs = new Map(named.map(([g, vs]) => [g, JSON.stringify({ kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g, vs) })]));

  const resourceLists = new Map<string, string>();
  for (const [g, versions] of groups) {
    for (const [v, rs] of versions) {
      const groupVersion = g ? `${g}/${v}` : v;
      resourceLists.set(groupVersion, JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: legacyResources(rs) }));
    }
  }
  const coreVersions = [...core.keys()];

  return {
    apiVersions: (serverAddress) =>
      JSON.stringify({ kind: 'APIVersions', versions: coreVersions, serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] }),
    groupList,
    group: (name) => groupDocs.get(name),
    resourceList: (group, version) => resourceLists.get(group ? `${group}/${version}` : version),
    aggregatedApi: (v) => agg.api[v],
    aggregatedApis: (v) => agg.apis[v],
  };
}
