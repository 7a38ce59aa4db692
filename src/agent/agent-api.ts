import type { KubeObject } from '../api/object.ts';

/**
 * What the pod sync (src/agent/pods/**) needs from the API server. The agent implements it over the REST
 * client (rest-client.ts); tests may implement it in memory.
 */
export interface AgentApi {
  /** PATCH pods/<name>/status with a strategic-merge patch `{status}` (the kubelet's status manager). */
  patchPodStatus(ns: string, name: string, status: object): Promise<void>;
  /** Confirm a deletion: DELETE with gracePeriodSeconds 0 and a uid precondition; 404 / 409 (uid mismatch) ignored. */
  deletePod(ns: string, name: string, uid: string): Promise<void>;
  /** The pod as the API server has it now; undefined when it is gone (404). */
  getPod(ns: string, name: string): Promise<KubeObject | undefined>;
}

/** The object an event is about (an ObjectReference). */
export interface EventObjectRef {
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  apiVersion?: string;
  fieldPath?: string;
}

/**
 * The kubelet's event recorder: fire-and-forget. Same source/object/type/reason/message as an earlier event
 * → PATCH its count + lastTimestamp; else POST a new `<name>.<hex nanos>` event.
 */
export interface EventRecorder {
  event(obj: EventObjectRef, type: 'Normal' | 'Warning', reason: string, message: string): void;
}
