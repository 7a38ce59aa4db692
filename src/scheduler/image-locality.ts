/**
 * The ImageLocality score: nodes that already hold the pod's images score higher, scaled by how widely each image
 * is spread (an image on every node says little), clamped between 23 MB and 1000 MB per container.
 *
 *   imageLocalityScore(info, node, nodesWithImage, totalNodes)   // 0..100
 */
import { normalizeImageName, type NodeInfo } from './node-info.ts';
import type { PodInfo } from './pod-info.ts';

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

export function imageLocalityScore(pod: PodInfo, node: NodeInfo, nodesWithImage: (image: string) => number, totalNodes: number): number {
  if (node.images.size === 0 || pod.images.length === 0 || totalNodes === 0) return 0;
  let sum = 0;
  for (const image of pod.images) {
    const name = normalizeImageName(image);
    const size = node.images.get(name);
    if (size !== undefined) sum += Math.trunc(size * (nodesWithImage(name) / totalNodes));
  }
  const maxThreshold = MAX_CONTAINER_THRESHOLD * pod.images.length;
  const clamped = Math.min(maxThreshold, Math.max(MIN_THRESHOLD, sum));
  return Math.floor((100 * (clamped - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}
