/**
 * Request paths → what they name. Pure: no I/O, no registry calls (the caller supplies `lookup`).
 *
 *   parsePath('/api/v1/namespaces/default/pods/web/log', lookup)
 *   // { t: 'resource', group: '', version: 'v1', plural: 'pods', namespace: 'default', name: 'web', subresource: 'log', info, watchPath: false }
 */
import type { ResourceInfo } from '../api/resources.ts';

export type HealthCheck = 'healthz' | 'livez' | 'readyz';

export interface ResourceRoute {
  t: 'resource';
  group: string;
  version: string;
  plural: string;
  info: ResourceInfo;
  /** The namespace in the path (namespaced resources); undefined for cluster-scoped ones and all-namespace requests. */
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Legacy `/watch/` path prefix. */
  watchPath: boolean;
}

export type Route =
  | { t: 'version' }
  | { t: 'health'; check: HealthCheck }
  | { t: 'api' }
  | { t: 'apis' }
  | { t: 'group'; group: string }
  | { t: 'resourceList'; group: string; version: string }
  | { t: 'openapiV3Index' }
  | { t: 'openapiV3'; path: string }
  | { t: 'openapiV2' }
  | ResourceRoute
  | { t: 'notFound' };

/** Finds the served resource `plural` in group/version, or undefined. */
export type ResourceLookup = (group: string, version: string, plural: string) => ResourceInfo | undefined;

const NOT_FOUND: Route = { t: 'notFound' };
const healthChecks = new Set<string>(['healthz', 'livez', 'readyz']);

function segmentsOf(path: string): string[] | undefined {
  const parts = path.split('/');
  // leading '' from the first '/', and tolerate one trailing '/'
  if (parts[0] !== '') return undefined;
  parts.shift();
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  try {
    return parts.map((p) => (p.includes('%') ? decodeURIComponent(p) : p));
  } catch {
    return undefined;
  }
}

export function parsePath(path: string, lookup: ResourceLookup): Route {
  const segs = segmentsOf(path);
  if (!segs || segs.length === 0) return NOT_FOUND;
  const [head] = segs;
  if (head === 'api') {
    if (segs.length === 1) return { t: 'api' };
    if (segs.length === 2) return { t: 'resourceList', group: '', version: segs[1] };
    return resourceRoute('', segs[1], segs.slice(2), lookup);
  }
  if (head === 'apis') {
    if (segs.length === 1) return { t: 'apis' };
    if (segs.length === 2) return { t: 'group', group: segs[1] };
    if (segs.length === 3) return { t: 'resourceList', group: segs[1], version: segs[2] };
    return resourceRoute(segs[1], segs[2], segs.slice(3), lookup);
  }
  if (head === 'version' && segs.length === 1) return { t: 'version' };
  if (healthChecks.has(head) && segs.length <= 2) return { t: 'health', check: head as HealthCheck };
  if (head === 'openapi') {
    if (segs[1] === 'v3') return segs.length === 2 ? { t: 'openapiV3Index' } : { t: 'openapiV3', path: segs.slice(2).join('/') };
    if (segs[1] === 'v2' && segs.length === 2) return { t: 'openapiV2' };
  }
  return NOT_FOUND;
}

function resourceRoute(group: string, version: string, rest: string[], lookup: ResourceLookup): Route {
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  if (rest.length === 0 || rest.some((s) => s === '')) return NOT_FOUND;

  let namespace: string | undefined;
  let plural: string;
  let name: string | undefined;
  let subresource: string | undefined;
  const nsResource = rest[0] === 'namespaces' && rest.length >= 3 ? lookup(group, version, rest[2]) : undefined;
  if (nsResource?.namespaced) {
    if (rest.length > 5) return NOT_FOUND;
    [, namespace, plural, name, subresource] = rest;
  } else {
    if (rest.length > 3) return NOT_FOUND;
    [plural, name, subresource] = rest;
  }
  const info = nsResource?.namespaced ? nsResource : lookup(group, version, plural);
  if (!info) return NOT_FOUND;
  if (info.namespaced && namespace === undefined && name !== undefined) return NOT_FOUND; // /api/v1/pods/x
  if (!info.namespaced && namespace !== undefined) return NOT_FOUND;
  if (subresource !== undefined && (watchPath || !Object.hasOwn(info.subresources, subresource))) return NOT_FOUND;
  return { t: 'resource', group, version, plural, info, namespace, name, subresource, watchPath };
}
