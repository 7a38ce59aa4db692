/**
 * What the scheduler needs to know about a pod, computed once per pod version: resource requests (with the
 * init-container max rule and sidecars), the non-zero requests scoring uses, host ports, compiled pod
 * (anti-)affinity terms, and the images it runs.
 *
 *   const info = podInfo(pod);
 *   info.requests.milliCpu;      // 250 for one container requesting cpu: 250m
 */
import type { KubeObject } from '../api/object.ts';
import { parseQuantity } from '../api/quantity.ts';
import { labelSelectorFromObject, type LabelSelector } from '../machinery/label-selector.ts';

/** Resource amounts in the scheduler's units: millicores and bytes; other resources by name. */
export interface Resources {
  milliCpu: number;
  memory: number;
  ephemeral: number;
  /** Extended resources (nvidia.com/gpu, hugepages-2Mi, …) in their base unit. */
  scalar: Record<string, number>;
}

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** A required (anti-)affinity term with its selector compiled. `namespaces` null = all namespaces. */
export interface AffinityTerm {
  selector: LabelSelector;
  namespaces: ReadonlySet<string> | null;
  topologyKey: string;
}

export interface PodInfo {
  key: string;
  pod: KubeObject;
  namespace: string;
  labels: Record<string, string>;
  priority: number;
  requests: Resources;
  hasScalarRequests: boolean;
  /** cpu/memory with the scheduler's defaults (100m, 200Mi) for containers that request nothing. */
  nonZero: { milliCpu: number; memory: number };
  hostPorts: HostPort[];
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  images: string[];
}

export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export const podKey = (pod: KubeObject) => `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;

const quantityCache = new Map<string, number>();
/** A quantity in base units (cores, bytes), cached; unparsable → 0. */
export function quantity(q: unknown): number {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return 0;
  let v = quantityCache.get(q);
  if (v === undefined) {
    try {
      v = parseQuantity(q);
    } catch {
      v = 0;
    }
    if (quantityCache.size > 10_000) quantityCache.clear();
    quantityCache.set(q, v);
  }
  return v;
}

export const emptyResources = (): Resources => ({ milliCpu: 0, memory: 0, ephemeral: 0, scalar: {} });

/** A resource list (`{cpu: '250m', memory: '64Mi', …}`) in scheduler units. */
export function resourcesOf(list: Record<string, unknown> | undefined): Resources {
  const r = emptyResources();
  for (const [name, q] of Object.entries(list ?? {})) addResource(r, name, quantity(q));
  return r;
}

function addResource(r: Resources, name: string, v: number): void {
  if (name === 'cpu') r.milliCpu += Math.ceil(Math.round(v * 1e6) / 1e3);
  else if (name === 'memory') r.memory += Math.ceil(v);
  else if (name === 'ephemeral-storage') r.ephemeral += Math.ceil(v);
  else if (name !== 'pods') r.scalar[name] = (r.scalar[name] ?? 0) + v;
}

function add(a: Resources, b: Resources): Resources {
  const scalar = { ...a.scalar };
  for (const [k, v] of Object.entries(b.scalar)) scalar[k] = (scalar[k] ?? 0) + v;
  return { milliCpu: a.milliCpu + b.milliCpu, memory: a.memory + b.memory, ephemeral: a.ephemeral + b.ephemeral, scalar };
}

function max(a: Resources, b: Resources): Resources {
  const scalar = { ...a.scalar };
  for (const [k, v] of Object.entries(b.scalar)) scalar[k] = Math.max(scalar[k] ?? 0, v);
  return { milliCpu: Math.max(a.milliCpu, b.milliCpu), memory: Math.max(a.memory, b.memory), ephemeral: Math.max(a.ephemeral, b.ephemeral), scalar };
}

interface Container {
  image?: string;
  restartPolicy?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  ports?: Array<{ hostPort?: number; hostIP?: string; protocol?: string }>;
}

/** A container's requests; a resource given only as a limit counts as requested (API defaulting does the same). */
function containerRequests(c: Container, nonZero: boolean): Resources {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const r = resourcesOf({ ...lim, ...req });
  if (nonZero) {
    const has = (n: string) => req[n] !== undefined || lim[n] !== undefined;
    if (!has('cpu')) r.milliCpu = DEFAULT_MILLI_CPU_REQUEST;
    if (!has('memory')) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * resourcehelper.PodRequests: max(sum of containers + sidecars, each init container + the sidecars started before
 * it), plus spec.overhead.
 */
export function podRequests(pod: KubeObject, nonZero = false): Resources {
  let reqs = emptyResources();
  for (const c of (pod.spec?.containers ?? []) as Container[]) reqs = add(reqs, containerRequests(c, nonZero));
  let sidecars = emptyResources();
  let init = emptyResources();
  for (const c of (pod.spec?.initContainers ?? []) as Container[]) {
    let r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      reqs = add(reqs, r);
      sidecars = add(sidecars, r);
      r = sidecars;
    } else r = add(r, sidecars);
    init = max(init, r);
  }
  reqs = max(reqs, init);
  if (pod.spec?.overhead) reqs = add(reqs, resourcesOf(pod.spec.overhead));
  return reqs;
}

interface TermObject {
  labelSelector?: Parameters<typeof labelSelectorFromObject>[0];
  namespaces?: string[];
  namespaceSelector?: Parameters<typeof labelSelectorFromObject>[0];
  topologyKey?: string;
}

function compileTerms(terms: TermObject[] | undefined, namespace: string): AffinityTerm[] {
  const out: AffinityTerm[] = [];
  for (const t of terms ?? []) {
    let selector: LabelSelector;
    try {
      selector = labelSelectorFromObject(t.labelSelector);
    } catch {
      continue;
    }
    // namespaceSelector {} = every namespace; a non-empty one needs namespace labels, which we don't track (gap):
    // it widens to every namespace too.
    const all = t.namespaceSelector !== undefined && t.namespaceSelector !== null;
    const namespaces = all ? null : new Set(t.namespaces?.length ? t.namespaces : [namespace]);
    out.push({ selector, namespaces, topologyKey: t.topologyKey ?? '' });
  }
  return out;
}

/** Every value the scheduler reads off a pod, computed once. */
export function podInfo(pod: KubeObject): PodInfo {
  const namespace = pod.metadata.namespace ?? '';
  const containers = [...((pod.spec?.initContainers ?? []) as Container[]), ...((pod.spec?.containers ?? []) as Container[])];
  const hostPorts: HostPort[] = [];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (p.hostPort && p.hostPort > 0) hostPorts.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  const nz = podRequests(pod, true);
  const affinity = pod.spec?.affinity ?? {};
  const requests = podRequests(pod);
  return {
    key: podKey(pod),
    pod,
    namespace,
    labels: pod.metadata.labels ?? {},
    priority: typeof pod.spec?.priority === 'number' ? pod.spec.priority : 0,
    requests,
    hasScalarRequests: Object.keys(requests.scalar).length > 0,
    nonZero: { milliCpu: nz.milliCpu, memory: nz.memory },
    hostPorts,
    requiredAffinity: compileTerms(affinity.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, namespace),
    requiredAntiAffinity: compileTerms(affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, namespace),
    images: containers.map((c) => c.image ?? '').filter((i) => i !== ''),
  };
}
