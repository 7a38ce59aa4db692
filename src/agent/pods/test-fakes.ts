// Tests only: an in-memory AgentApi (pods by ns/name, status patches, deletes) and an EventRecorder that keeps
// what it was given, plus a pod factory that defaults pods the way the API server stores them.
//
//   const api = new FakeAgentApi(); const events = new FakeRecorder();
//   const pod = api.add(testPod('web', { containers: [{ name: 'web', image: WEB_IMAGE }] }));
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeObject } from '../../api/object.ts';
import { computeQosClass, defaultPod } from '../../api/pod-defaults.ts';
import type { AgentApi, EventObjectRef, EventRecorder } from '../agent-api.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export interface RecordedEvent {
  obj: EventObjectRef;
  type: string;
  reason: string;
  message: string;
  at: number;
}

export class FakeRecorder implements EventRecorder {
  readonly events: RecordedEvent[] = [];
  event(obj: EventObjectRef, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.events.push({ obj, type, reason, message, at: Date.now() });
  }
  for(name: string): RecordedEvent[] {
    return this.events.filter((e) => e.obj.name === name);
  }
  reasons(name: string): string[] {
    return this.for(name).map((e) => e.reason);
  }
}

export class FakeAgentApi implements AgentApi {
  readonly pods = new Map<string, KubeObject>();
  readonly patches: { ns: string; name: string; status: Any; at: number }[] = [];
  readonly deletes: { ns: string; name: string; uid: string; at: number }[] = [];

  add(pod: KubeObject): KubeObject {
    this.pods.set(`${pod.metadata.namespace}/${pod.metadata.name}`, pod);
    return pod;
  }

  get(ns: string, name: string): KubeObject | undefined {
    return this.pods.get(`${ns}/${name}`);
  }

  async patchPodStatus(ns: string, name: string, status: object): Promise<void> {
    const pod = this.pods.get(`${ns}/${name}`);
    this.patches.push({ ns, name, status: structuredClone(status), at: Date.now() });
    if (!pod) throw new Error(`pods "${name}" not found`);
    pod.status = structuredClone(status);
  }

  async deletePod(ns: string, name: string, uid: string): Promise<void> {
    this.deletes.push({ ns, name, uid, at: Date.now() });
    const pod = this.pods.get(`${ns}/${name}`);
    if (pod?.metadata.uid === uid) this.pods.delete(`${ns}/${name}`);
  }

  async getPod(ns: string, name: string): Promise<KubeObject | undefined> {
    return this.pods.get(`${ns}/${name}`);
  }
}

/** A defaulted pod bound to nodeName, as the API server would hand it to the agent. */
export function testPod(name: string, spec: Any, nodeName = 'node-1', namespace = 'default'): KubeObject {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: randomUUID(), creationTimestamp: new Date().toISOString(), labels: { app: name } },
    spec: { ...spec, nodeName },
  };
  defaultPod(pod);
  pod.status = { phase: 'Pending', qosClass: computeQosClass(pod) };
  return pod;
}

/** Polls fn every 50 ms until it returns something other than undefined/false. */
export async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(50);
  }
}
