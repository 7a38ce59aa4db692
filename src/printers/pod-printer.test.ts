import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/object.ts';
import { podPrinter, podStatusSummary } from './pod-printer.ts';

const now = Date.parse('2026-11-25T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return {
    metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(125), ...meta },
    spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec },
    status,
  };
}

const running = { running: { startedAt: ago(60) } };

test('a new unbound pod prints Pending 0/1', () => {
  const cells = podPrinter.cells(pod({}, { phase: 'Pending' }), now);
  assert.deepEqual(cells, ['web', '0/1', 'Pending', '0', '2m5s', '<none>', '<none>', '<none>', '<none>']);
});

test('waiting and terminated reasons win over the phase', () => {
  const creating = pod({}, { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, state: { waiting: { reason: 'ContainerCreating' } } }] });
  assert.equal(podStatusSummary(creating).status, 'ContainerCreating');
  const oom = pod({}, { phase: 'Running', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] });
  assert.equal(podStatusSummary(oom).status, 'OOMKilled');
  const noReason = pod({}, { phase: 'Running', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 3 } } }] });
  assert.equal(podStatusSummary(noReason).status, 'ExitCode:3');
  const signal = pod({}, { phase: 'Running', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, signal: 9 } } }] });
  assert.equal(podStatusSummary(signal).status, 'Signal:9');
});

test('the first container in the list decides when several qualify', () => {
  const p = pod(
    { containers: [{ name: 'a' }, { name: 'b' }] },
    {
      phase: 'Pending',
      containerStatuses: [
        { name: 'a', state: { waiting: { reason: 'ErrImagePull' } } },
        { name: 'b', state: { waiting: { reason: 'ContainerCreating' } } },
      ],
    },
  );
  assert.equal(podStatusSummary(p).status, 'ErrImagePull');
});

test('running and ready shows Running 1/1 with IP and node', () => {
  const p = pod(
    { nodeName: 'node1' },
    { phase: 'Running', podIP: '10.42.0.5', podIPs: [{ ip: '10.42.0.5' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }] },
  );
  assert.deepEqual(podPrinter.cells(p, now).slice(1, 7), ['1/1', 'Running', '0', '2m5s', '10.42.0.5', 'node1']);
});

test('restarts show how long ago the last one finished', () => {
  const p = pod(
    {},
    {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          restartCount: 3,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(130) } },
        },
      ],
    },
  );
  const cells = podPrinter.cells(p, now);
  assert.equal(cells[2], 'CrashLoopBackOff');
  assert.equal(cells[3], '3 (2m10s ago)');
});

test('init containers: progress, failures and waiting reasons', () => {
  const spec = { initContainers: [{ name: 'i1' }, { name: 'i2' }] };
  const progress = pod(spec, {
    phase: 'Pending',
    initContainerStatuses: [
      { name: 'i1', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { name: 'i2', state: { running: {} } },
    ],
  });
  assert.equal(podStatusSummary(progress).status, 'Init:1/2');
  const failed = pod(spec, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 1, reason: 'Error' } } }] });
  assert.equal(podStatusSummary(failed).status, 'Init:Error');
  const loop = pod(spec, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { waiting: { reason: 'CrashLoopBackOff' } } }] });
  assert.equal(podStatusSummary(loop).status, 'Init:CrashLoopBackOff');
  const exit = pod(spec, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 2 } } }] });
  assert.equal(podStatusSummary(exit).status, 'Init:ExitCode:2');
});

test('a started sidecar counts toward READY and does not block the status', () => {
  const p = pod(
    { initContainers: [{ name: 'side', restartPolicy: 'Always' }] },
    {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [{ name: 'side', started: true, ready: true, restartCount: 1, state: running }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
    },
  );
  const cells = podPrinter.cells(p, now);
  assert.equal(cells[1], '2/2');
  assert.equal(cells[2], 'Running');
  assert.equal(cells[3], '1');
});

test('Completed with a container still running becomes Running or NotReady', () => {
  const statuses = [
    { name: 'a', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    { name: 'b', ready: true, state: running },
  ];
  const notReady = pod({ containers: [{ name: 'a' }, { name: 'b' }] }, { phase: 'Running', containerStatuses: statuses });
  assert.equal(podStatusSummary(notReady).status, 'NotReady');
  const ready = pod({ containers: [{ name: 'a' }, { name: 'b' }] }, { phase: 'Running', containerStatuses: statuses, conditions: [{ type: 'Ready', status: 'True' }] });
  assert.equal(podStatusSummary(ready).status, 'Running');
});

test('deletion shows Terminating unless the pod already finished', () => {
  const deleting = pod({}, { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: running }] }, { deletionTimestamp: ago(-30) });
  assert.equal(podStatusSummary(deleting).status, 'Terminating');
  const done = pod({}, { phase: 'Succeeded', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }, { deletionTimestamp: ago(-30) });
  assert.equal(podStatusSummary(done).status, 'Completed');
  assert.deepEqual(podPrinter.conditions?.(done), [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  const lost = pod({}, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: ago(-30) });
  assert.equal(podStatusSummary(lost).status, 'Unknown');
});

test('scheduling gates and status.reason override the phase', () => {
  const gated = pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
  assert.equal(podStatusSummary(gated).status, 'SchedulingGated');
  const evicted = pod({}, { phase: 'Failed', reason: 'Evicted' });
  assert.equal(podStatusSummary(evicted).status, 'Evicted');
});

test('readiness gates count True conditions', () => {
  const p = pod({ readinessGates: [{ conditionType: 'x/a' }, { conditionType: 'x/b' }] }, { phase: 'Running', conditions: [{ type: 'x/a', status: 'True' }] });
  assert.equal(podPrinter.cells(p, now)[8], '1/2');
});
