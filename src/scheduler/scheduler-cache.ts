/**
 * The scheduler's view of the cluster: NodeInfo per node, where each bound (or assumed) pod sits, how many nodes
 * hold each image, and which nodes have pods with required anti-affinity. Updated from informer events and by
 * the scheduler itself when it assumes a pod before the binding returns.
 *
 *   cache.setNode(node); cache.addPod(podInfo(boundPod));
 *   cache.assume(info, 'n1');  …  cache.forget(info.key)   // binding failed
 */
import type { KubeObject } from '../api/object.ts';
import { NodeInfo } from './node-info.ts';
import type { PodInfo } from './pod-info.ts';

export class SchedulerCache {
  readonly #nodes = new Map<string, NodeInfo>();
  /** pod key → node name */
  readonly #podNode = new Map<string, string>();
  readonly #assumed = new Set<string>();
  readonly #imageNodes = new Map<string, number>();
  readonly nodesWithAntiAffinity = new Set<NodeInfo>();
  #list: NodeInfo[] | undefined;

  /** Nodes that exist (not placeholders holding pods of unknown nodes), in a stable order. */
  nodeList(): NodeInfo[] {
    this.#list ??= [...this.#nodes.values()].filter((n) => n.node !== undefined);
    return this.#list;
  }

  node(name: string): NodeInfo | undefined {
    return this.#nodes.get(name);
  }

  nodesWithImage = (image: string): number => this.#imageNodes.get(image) ?? 0;

  setNode(node: KubeObject): NodeInfo {
    const name = node.metadata.name ?? '';
    let n = this.#nodes.get(name);
    if (!n) {
      n = new NodeInfo(name);
      this.#nodes.set(name, n);
    }
    if (!n.node) this.#list = undefined;
    this.#countImages(n, -1);
    n.setNode(node);
    this.#countImages(n, 1);
    return n;
  }

  removeNode(name: string): void {
    const n = this.#nodes.get(name);
    if (!n) return;
    this.#countImages(n, -1);
    this.#list = undefined;
    if (n.pods.size === 0) {
      this.#nodes.delete(name);
      this.nodesWithAntiAffinity.delete(n);
    } else n.setNode(undefined);
  }

  #countImages(n: NodeInfo, sign: 1 | -1): void {
    if (!n.node) return;
    for (const image of n.images.keys()) {
      const c = (this.#imageNodes.get(image) ?? 0) + sign;
      if (c > 0) this.#imageNodes.set(image, c);
      else this.#imageNodes.delete(image);
    }
  }

  /** Where the pod is (bound or assumed). */
  nodeOf(key: string): string | undefined {
    return this.#podNode.get(key);
  }

  isAssumed(key: string): boolean {
    return this.#assumed.has(key);
  }

  /** A bound pod appeared or changed (a confirmed binding replaces the assumed copy). */
  addPod(info: PodInfo, nodeName: string): void {
    this.#assumed.delete(info.key);
    this.#place(info, nodeName);
  }

  /** The scheduler chose `nodeName`: account for the pod now, before the binding lands. */
  assume(info: PodInfo, nodeName: string): void {
    this.#place(info, nodeName);
    this.#assumed.add(info.key);
  }

  /** Undo an assumption (binding failed). A pod the informer has since confirmed stays. */
  forget(key: string): void {
    if (this.#assumed.has(key)) this.removePod(key);
  }

  removePod(key: string): PodInfo | undefined {
    this.#assumed.delete(key);
    const nodeName = this.#podNode.get(key);
    if (nodeName === undefined) return undefined;
    this.#podNode.delete(key);
    const n = this.#nodes.get(nodeName);
    const p = n?.removePod(key);
    if (n) {
      if (n.podsWithRequiredAntiAffinity.size === 0) this.nodesWithAntiAffinity.delete(n);
      if (!n.node && n.pods.size === 0) this.#nodes.delete(nodeName);
    }
    return p;
  }

  #place(info: PodInfo, nodeName: string): void {
    const prev = this.#podNode.get(info.key);
    if (prev !== undefined && prev !== nodeName) this.removePod(info.key);
    let n = this.#nodes.get(nodeName);
    if (!n) {
      n = new NodeInfo(nodeName);
      this.#nodes.set(nodeName, n);
    }
    n.addPod(info);
    this.#podNode.set(info.key, nodeName);
    if (n.podsWithRequiredAntiAffinity.size) this.nodesWithAntiAffinity.add(n);
    else this.nodesWithAntiAffinity.delete(n);
  }
}
