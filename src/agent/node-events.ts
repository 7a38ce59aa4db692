/**
 * The kubelet's Node events: `Starting kubelet.` and `NodeAllocatableEnforced` on start, and one event per condition
 * change (`Node <n> status is now: NodeReady`, …). The involved object is the Node with uid = its name, as the
 * kubelet's nodeRef has it (so `kubectl describe node` finds them through its second events query).
 *
 *   recordNodeStart(recorder, 'n1');
 *   recordConditionChanges(recorder, 'n1', oldConditions, newConditions);
 */
import type { EventRecorder } from './agent-api.ts';
import type { NodeCondition } from './node-conditions.ts';

const reasons: Record<string, Record<string, string>> = {
  MemoryPressure: { False: 'NodeHasSufficientMemory', True: 'NodeHasInsufficientMemory' },
  DiskPressure: { False: 'NodeHasNoDiskPressure', True: 'NodeHasDiskPressure' },
  PIDPressure: { False: 'NodeHasSufficientPID', True: 'NodeHasInsufficientPID' },
  Ready: { True: 'NodeReady', False: 'NodeNotReady' },
};

const nodeRef = (nodeName: string) => ({ kind: 'Node', name: nodeName, uid: nodeName });

export function recordNodeStart(recorder: EventRecorder, nodeName: string): void {
  recorder.event(nodeRef(nodeName), 'Normal', 'Starting', 'Starting kubelet.');
}

export function recordAllocatableEnforced(recorder: EventRecorder, nodeName: string): void {
  recorder.event(nodeRef(nodeName), 'Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
}

export function recordConditionChanges(recorder: EventRecorder, nodeName: string, prev: NodeCondition[] | undefined, next: NodeCondition[]): void {
  for (const c of next) {
    const old = prev?.find((p) => p.type === c.type);
    if (old && old.status === c.status) continue;
    // the kubelet's Ready setter records only transitions of an existing condition; the pressure setters also a new one
    if (!old && c.type === 'Ready') continue;
    const reason = reasons[c.type]?.[c.status];
    if (reason) recorder.event(nodeRef(nodeName), 'Normal', reason, `Node ${nodeName} status is now: ${reason}`);
  }
}
