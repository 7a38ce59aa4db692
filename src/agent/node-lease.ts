/**
 * The node heartbeat Lease (kubelet's nodelease controller): `kube-node-lease/<node>`, holderIdentity = node,
 * leaseDurationSeconds 40, renewTime (MicroTime) refreshed every 10 s, owned by the Node.
 *
 *   const lease = startNodeLease({ leases: client.leases, nodeName: 'n1', nodeUid: node.metadata.uid });
 *   await lease.renewNow(); lease.stop();
 */
import type { KubeObject } from '../api/object.ts';
import type { Logger } from '../apiserver/log.ts';
import type { ResourceApi } from '../client/client.ts';
import { ApiError } from '../machinery/api-error.ts';

export const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;

/** A `MicroTime`: RFC 3339 with 6 fraction digits. */
export function microTime(d?: Date): string {
  const us = d ? d.getTime() * 1000 : Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const iso = new Date(Math.floor(us / 1000)).toISOString();
  return `${iso.slice(0, -1)}${String(us % 1000).padStart(3, '0')}Z`;
}

export interface NodeLeaseOptions {
  leases: ResourceApi;
  nodeName: string;
  nodeUid?: string;
  intervalMs?: number;
  log?: Logger;
}

export interface NodeLease {
  renewNow(): Promise<KubeObject>;
  stop(): void;
}

export function startNodeLease(o: NodeLeaseOptions): NodeLease {
  let cached: KubeObject | undefined;
  let stopped = false;

  const fresh = (): KubeObject => {
    const lease: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: o.nodeName, namespace: LEASE_NAMESPACE },
      spec: { holderIdentity: o.nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime() },
    };
    if (o.nodeUid) lease.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: o.nodeName, uid: o.nodeUid }];
    return lease;
  };

  const renew = async (): Promise<KubeObject> => {
    if (!cached) {
      try {
        cached = await o.leases.get(LEASE_NAMESPACE, o.nodeName);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
        cached = await o.leases.create(LEASE_NAMESPACE, fresh());
        return cached;
      }
    }
    const next = structuredClone(cached);
    next.spec = { ...next.spec, holderIdentity: o.nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime() };
    if (o.nodeUid && !next.metadata.ownerReferences?.some((r) => r.uid === o.nodeUid)) {
      next.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: o.nodeName, uid: o.nodeUid }];
    }
    try {
      cached = await o.leases.update(next);
    } catch (err) {
      cached = undefined; // conflict or gone: re-read (or re-create) next time
      throw err;
    }
    return cached;
  };

  let running: Promise<KubeObject> | undefined;
  const renewNow = () => (running ??= renew().finally(() => (running = undefined)));
  const tick = () => {
    if (stopped) return;
    renewNow().catch((err) => o.log?.warn('node lease renewal failed', { node: o.nodeName, error: err instanceof Error ? err.message : String(err) }));
  };
  tick();
  const timer = setInterval(tick, o.intervalMs ?? 10_000);
  timer.unref();
  return {
    renewNow,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
