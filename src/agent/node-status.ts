/**
 * The node status loop (kubelet's syncNodeStatus): every `checkMs` (10 s) read the Node, compute the status; PATCH
 * nodes/status when it differs from the stored one or when `reportMs` (60 s) passed since the last report. `kick()` checks at once (runtime went down, …).
 *
 *   const loop = startNodeStatus({ nodes: client.nodes, facts: () => facts, health: () => ({ ready: true }) });
 *   loop.stop();
 */
import type { ResourceApi } from '../client/client.ts';
import type { Logger } from '../apiserver/log.ts';
import { sameConditions, type NodeCondition, type NodeHealth } from './node-conditions.ts';
import type { NodeFacts } from './node-info.ts';
import { nodeStatus } from './node-registration.ts';
import type { EventRecorder } from './agent-api.ts';
import { recordConditionChanges } from './node-events.ts';

export interface NodeStatusOptions {
  nodes: ResourceApi;
  facts: () => NodeFacts | Promise<NodeFacts>;
  health: () => NodeHealth | Promise<NodeHealth>;
  checkMs?: number;
  reportMs?: number;
  log?: Logger;
  /** Conditions as last registered (so the first check does not re-post an unchanged status). */
  initial?: NodeCondition[];
  /** Records NodeReady / NodeNotReady / … on condition changes. */
  recorder?: EventRecorder;
}

export interface NodeStatusLoop {
  kick(): void;
  stop(): void;
  /** Resolves after the next check finished (tests). */
  checkNow(): Promise<void>;
}

export function startNodeStatus(o: NodeStatusOptions): NodeStatusLoop {
  let last: NodeCondition[] | undefined = o.initial;
  let lastFacts = '';
  let lastReport = o.initial ? Date.now() : 0;
  let stopped = false;
  let running: Promise<void> | undefined;

  const check = async () => {
    const facts = await o.facts();
    const health = await o.health();
    // compare with the Node as the API has it (the node lifecycle controller may have set Unknown meanwhile)
    const current = await o.nodes.get(undefined, facts.nodeName).catch(() => undefined);
    if (current?.status?.conditions) last = current.status.conditions;
    const status = nodeStatus(facts, health, last);
    const conditions = status.conditions as NodeCondition[];
    const factsKey = JSON.stringify([facts.addresses, facts.capacity, facts.allocatable, facts.nodeInfo]);
    const due = Date.now() - lastReport >= (o.reportMs ?? 60_000);
    if (!due && sameConditions(last, conditions) && factsKey === lastFacts) return;
    const node = await o.nodes.patchStatus(undefined, facts.nodeName, 'strategic', { status }, { fieldManager: 'kubelet' });
    if (o.recorder) recordConditionChanges(o.recorder, facts.nodeName, last, node.status?.conditions ?? conditions);
    last = node.status?.conditions ?? conditions;
    lastFacts = factsKey;
    lastReport = Date.now();
  };
  const run = () =>
    (running ??= check()
      .catch((err) => o.log?.warn('node status update failed', { error: err instanceof Error ? err.message : String(err) }))
      .finally(() => (running = undefined)));

  const timer = setInterval(() => {
    if (!stopped) void run();
  }, o.checkMs ?? 10_000);
  timer.unref();
  return {
    kick: () => {
      if (!stopped) void run();
    },
    checkNow: async () => {
      await running;
      await run();
    },
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
