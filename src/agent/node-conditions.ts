/**
 * The node conditions as the kubelet's setters write them (pkg/kubelet/nodestatus/setters.go): MemoryPressure,
 * DiskPressure, PIDPressure, Ready — in that order, heartbeat = now, transition time kept while the status holds.
 *
 *   const conditions = nodeConditions(prev, { ready: true }, new Date());
 */
export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastHeartbeatTime: string;
  lastTransitionTime: string;
}

export interface NodeHealth {
  ready: boolean;
  /** Why the node is not ready (kubelet: "container runtime network not ready: …"). */
  notReadyMessage?: string;
}

/** A Kubernetes `Time`: RFC 3339 in seconds. */
export const kubeTime = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

export function nodeConditions(prev: NodeCondition[] | undefined, health: NodeHealth, now: Date): NodeCondition[] {
  const t = kubeTime(now);
  const want: Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>[] = [
    { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    health.ready
      ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
      : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: health.notReadyMessage ?? 'container runtime is down' },
  ];
  return want.map((c) => {
    const old = prev?.find((p) => p.type === c.type);
    const transition = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : t;
    return { ...c, lastHeartbeatTime: t, lastTransitionTime: transition };
  });
}

/** Same conditions apart from heartbeat times? (decides whether a status report is due before the 60 s mark) */
export function sameConditions(a: NodeCondition[] | undefined, b: NodeCondition[]): boolean {
  if (!a || a.length !== b.length) return false;
  return b.every((c) => {
    const o = a.find((x) => x.type === c.type);
    return !!o && o.status === c.status && o.reason === c.reason && o.message === c.message;
  });
}
