/**
 * One node as the scheduler sees it: the Node (parsed once per version) plus the aggregates of the pods bound or
 * assumed to it, kept incrementally — requested resources, non-zero requests, used host ports, pods with required
 * anti-affinity. Filters and scores read these; nothing rescans pods.
 *
 *   const n = new NodeInfo('n1'); n.setNode(node); n.addPod(podInfo(pod));
 *   n.allocatable.milliCpu - n.requested.milliCpu   // free millicores
 */
import type { KubeObject } from '../api/object.ts';
import { emptyResources, quantity, resourcesOf, type HostPort, type PodInfo, type Resources } from './pod-info.ts';
import { effectiveTaints, type Taint } from './taint-toleration.ts';

export interface Allocatable extends Resources {
  pods: number;
}

/** Image names as the node reports them and as pods name them, normalised to one spelling. */
export function normalizeImageName(name: string): string {
  let n = name;
  if (!n.includes('@') && n.lastIndexOf(':') <= n.lastIndexOf('/')) n += ':latest';
  const slash = n.indexOf('/');
  const first = slash < 0 ? '' : n.slice(0, slash);
  if (slash < 0) n = `docker.io/library/${n}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') n = `docker.io/${n}`;
  return n;
}

export class NodeInfo {
  readonly name: string;
  node: KubeObject | undefined;
  labels: Record<string, string> = {};
  taints: Taint[] = [];
  unschedulable = false;
  allocatable: Allocatable = { ...emptyResources(), pods: 0 };
  /** normalised image name → size in bytes */
  images = new Map<string, number>();

  readonly pods = new Map<string, PodInfo>();
  requested: Resources = emptyResources();
  nonZeroRequested = { milliCpu: 0, memory: 0 };
  /** `protocol/port` → host IPs in use (one entry per pod using it) */
  readonly usedPorts = new Map<string, string[]>();
  /** pods here with required pod anti-affinity terms */
  readonly podsWithRequiredAntiAffinity = new Set<PodInfo>();

  constructor(name: string) {
    this.name = name;
  }

  setNode(node: KubeObject | undefined): void {
    this.node = node;
    if (!node) return;
    this.labels = node.metadata.labels ?? {};
    this.taints = effectiveTaints(node);
    this.unschedulable = node.spec?.unschedulable === true;
    const alloc = resourcesOf(node.status?.allocatable ?? node.status?.capacity);
    this.allocatable = { ...alloc, pods: Math.floor(quantity((node.status?.allocatable ?? node.status?.capacity)?.pods ?? 0)) };
    this.images = new Map();
    for (const img of (node.status?.images ?? []) as Array<{ names?: string[]; sizeBytes?: number }>) {
      for (const n of img.names ?? []) this.images.set(normalizeImageName(n), img.sizeBytes ?? 0);
    }
  }

  addPod(p: PodInfo): void {
    if (this.pods.has(p.key)) this.removePod(p.key);
    this.pods.set(p.key, p);
    this.#account(p, 1);
  }

  removePod(key: string): PodInfo | undefined {
    const p = this.pods.get(key);
    if (!p) return undefined;
    this.pods.delete(key);
    this.#account(p, -1);
    return p;
  }

  #account(p: PodInfo, sign: 1 | -1): void {
    const r = this.requested;
    r.milliCpu += sign * p.requests.milliCpu;
    r.memory += sign * p.requests.memory;
    r.ephemeral += sign * p.requests.ephemeral;
    for (const [k, v] of Object.entries(p.requests.scalar)) {
      r.scalar[k] = (r.scalar[k] ?? 0) + sign * v;
      if (r.scalar[k] === 0) delete r.scalar[k];
    }
    this.nonZeroRequested.milliCpu += sign * p.nonZero.milliCpu;
    this.nonZeroRequested.memory += sign * p.nonZero.memory;
    for (const hp of p.hostPorts) {
      const k = `${hp.protocol}/${hp.port}`;
      const ips = this.usedPorts.get(k) ?? [];
      if (sign > 0) ips.push(hp.ip);
      else {
        const i = ips.indexOf(hp.ip);
        if (i >= 0) ips.splice(i, 1);
      }
      if (ips.length) this.usedPorts.set(k, ips);
      else this.usedPorts.delete(k);
    }
    if (p.requiredAntiAffinity.length) {
      if (sign > 0) this.podsWithRequiredAntiAffinity.add(p);
      else this.podsWithRequiredAntiAffinity.delete(p);
    }
  }

  /** NodePorts: does `hp` clash with a port in use (same protocol and port; 0.0.0.0 clashes with every IP)? */
  portConflict(hp: HostPort): boolean {
    const ips = this.usedPorts.get(`${hp.protocol}/${hp.port}`);
    if (!ips) return false;
    return hp.ip === '0.0.0.0' || ips.some((ip) => ip === '0.0.0.0' || ip === hp.ip);
  }
}
