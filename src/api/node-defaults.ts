import type { KubeObject } from './object.ts';
import { canonicalQuantity, isValidQuantity } from './quantity.ts';

/**
 * Node defaulting (SetDefaults_NodeStatus): `status.allocatable` is a copy of `status.capacity` when
 * the client sent none. Valid quantities are rewritten in their canonical form, as the API server
 * returns them.
 *
 *   defaultNode({ metadata: { name: 'n1' }, status: { capacity: { cpu: '4', pods: '110' } } });
 *   // status.allocatable = { cpu: '4', pods: '110' }
 */
export function defaultNode(node: KubeObject): void {
  syncPodCIDRs(node.spec);
  const status = node.status;
  if (!status || typeof status !== 'object') return;
  for (const key of ['capacity', 'allocatable'] as const) {
    const list = status[key];
    if (!list || typeof list !== 'object') continue;
    for (const [k, v] of Object.entries(list)) if (isValidQuantity(v)) list[k] = canonicalQuantity(v as string | number);
  }
  if ((status.allocatable === undefined || status.allocatable === null) && status.capacity && typeof status.capacity === 'object') {
    status.allocatable = { ...status.capacity };
  }
}

/** v1 conversion: `spec.podCIDR` wins over a differing `podCIDRs[0]`, fills an empty list, and mirrors its first entry. */
export function syncPodCIDRs(spec: KubeObject['spec']): void {
  if (!spec || typeof spec !== 'object') return;
  const single: string = typeof spec.podCIDR === 'string' ? spec.podCIDR : '';
  const list: string[] = Array.isArray(spec.podCIDRs) ? spec.podCIDRs : [];
  if (single && (list.length === 0 || list[0] !== single)) spec.podCIDRs = [single];
  if (Array.isArray(spec.podCIDRs) && spec.podCIDRs.length > 0) spec.podCIDR = spec.podCIDRs[0];
}
