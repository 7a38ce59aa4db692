import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatePodStatus, podPhase, type StatusInput } from './pod-status.ts';
import type { RuntimeContainer } from './runtime-pod.ts';
import { testPod } from './test-fakes.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const T = Date.parse('2026-11-25T20:00:00Z');
let n = 0;
function rc(name: string, state: RuntimeContainer['state'], extra: Partial<RuntimeContainer> = {}): RuntimeContainer {
  n++;
  return {
    id: `id${n}`.padEnd(8, '0'), sandboxId: 'sb', name, restartCount: 0, state, createdAt: T, startedAt: state === 'CONTAINER_CREATED' ? 0 : T + 1000,
    finishedAt: state === 'CONTAINER_EXITED' ? T + 5000 : 0, exitCode: 0, reason: state === 'CONTAINER_EXITED' ? 'Completed' : '', message: '',
    imageRef: 'sha256:abc', logPath: '', terminationMessage: '', specImage: '', ...extra,
  };
}

function input(pod: Any, containers: RuntimeContainer[], over: Partial<StatusInput> = {}): StatusInput {
  return {
    pod, runtime: { sandboxes: [], containers }, sandboxReady: true, podIPs: ['10.42.0.5'], hostIPs: ['192.168.1.2'],
    waiting: new Map(), probes: { ready: new Map(), started: new Map() }, oldStatus: {}, startTime: '2026-11-25T19:59:59Z',
    now: new Date(T + 10_000), ...over,
  };
}

test('a running single-container pod', () => {
  const pod = testPod('web', { containers: [{ name: 'web', image: 'nginx:1' }] });
  const s = generatePodStatus(input(pod, [rc('web', 'CONTAINER_RUNNING')]));
  assert.equal(s.phase, 'Running');
  assert.deepEqual(s.conditions.map((c: Any) => [c.type, c.status]), [
    ['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'True'], ['ContainersReady', 'True'], ['PodScheduled', 'True'],
  ]);
  assert.equal(s.conditions[0].lastTransitionTime, '2026-11-25T20:00:10Z');
  assert.equal(s.conditions[0].lastProbeTime, null);
  assert.equal(s.podIP, '10.42.0.5');
  assert.deepEqual(s.hostIPs, [{ ip: '192.168.1.2' }]);
  assert.equal(s.qosClass, 'BestEffort');
  const cs = s.containerStatuses[0];
  assert.deepEqual(cs.state, { running: { startedAt: '2026-11-25T20:00:01Z' } });
  assert.equal(cs.ready, true);
  assert.equal(cs.started, true);
  assert.match(cs.containerID, /^containerd:\/\//);
});

test('lastTransitionTime changes only when a condition flips', () => {
  const pod = testPod('web', { containers: [{ name: 'web', image: 'nginx:1', readinessProbe: { exec: { command: ['true'] } } }] });
  const c = rc('web', 'CONTAINER_RUNNING');
  const s1 = generatePodStatus(input(pod, [c]));
  const ready = (s: Any) => s.conditions.find((x: Any) => x.type === 'Ready');
  assert.equal(ready(s1).status, 'False');
  assert.equal(ready(s1).reason, 'ContainersNotReady');
  assert.equal(ready(s1).message, 'containers with unready status: [web]');
  const s2 = generatePodStatus(input(pod, [c], { oldStatus: s1, now: new Date(T + 20_000) }));
  assert.equal(ready(s2).lastTransitionTime, ready(s1).lastTransitionTime);
  const s3 = generatePodStatus(input(pod, [c], { oldStatus: s2, now: new Date(T + 30_000), probes: { ready: new Map([[c.id, true]]), started: new Map() } }));
  assert.equal(ready(s3).status, 'True');
  assert.equal(ready(s3).lastTransitionTime, '2026-11-25T20:00:30Z');
  assert.equal(s3.conditions[0].lastTransitionTime, s1.conditions[0].lastTransitionTime);
});

test('waiting reasons, CrashLoopBackOff with lastState, pending phase', () => {
  const pod = testPod('p', { containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:1' }] });
  const prev = rc('a', 'CONTAINER_EXITED', { exitCode: 1, reason: 'Error', restartCount: 0 });
  const cur = rc('a', 'CONTAINER_EXITED', { exitCode: 1, reason: 'Error', restartCount: 1 });
  const s = generatePodStatus(input(pod, [cur, prev], { waiting: new Map([['a', { reason: 'CrashLoopBackOff', message: 'back-off 10s …' }], ['b', { reason: 'ErrImagePull', message: 'nope' }]]) }));
  const [a, b] = s.containerStatuses;
  assert.deepEqual(a.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s …' } });
  assert.equal(a.lastState.terminated.exitCode, 1);
  assert.equal(a.lastState.terminated.containerID, `containerd://${cur.id}`);
  assert.equal(a.restartCount, 1);
  assert.deepEqual(b.state, { waiting: { reason: 'ErrImagePull', message: 'nope' } });
  assert.equal(b.imageID, '');
  assert.equal(s.phase, 'Pending', 'b waiting without a previous termination');
  const none = generatePodStatus(input(pod, []));
  assert.deepEqual(none.containerStatuses[0].state, { waiting: { reason: 'ContainerCreating' } });
});

test('init containers: PodInitializing, Initialized condition message, Failed with Never', () => {
  const pod = testPod('p', { restartPolicy: 'Never', initContainers: [{ name: 'i1', image: 'x:1' }, { name: 'i2', image: 'x:1' }], containers: [{ name: 'a', image: 'x:1' }] });
  const s = generatePodStatus(input(pod, [rc('i1', 'CONTAINER_RUNNING')]));
  assert.equal(s.phase, 'Pending');
  const init = s.conditions.find((c: Any) => c.type === 'Initialized');
  assert.equal(init.reason, 'ContainersNotInitialized');
  assert.equal(init.message, 'containers with incomplete status: [i1 i2]');
  assert.deepEqual(s.containerStatuses[0].state, { waiting: { reason: 'PodInitializing' } });
  assert.deepEqual(s.initContainerStatuses[1].state, { waiting: { reason: 'PodInitializing' } });
  const failed = generatePodStatus(input(pod, [rc('i1', 'CONTAINER_EXITED', { exitCode: 2, reason: 'Error' })]));
  assert.equal(failed.phase, 'Failed');
  assert.equal(failed.conditions.find((c: Any) => c.type === 'Ready').reason, 'PodFailed');
  const done = generatePodStatus(input(pod, [rc('i1', 'CONTAINER_EXITED'), rc('i2', 'CONTAINER_EXITED'), rc('a', 'CONTAINER_RUNNING')]));
  assert.equal(done.phase, 'Running');
  assert.equal(done.initContainerStatuses[0].ready, true);
  assert.equal(done.conditions.find((c: Any) => c.type === 'Initialized').status, 'True');
});

test('getPhase by restartPolicy', () => {
  const term = (exitCode: number) => ({ name: 'a', state: { terminated: { exitCode } }, lastState: {} });
  const spec = (restartPolicy: string) => ({ restartPolicy, containers: [{ name: 'a' }] });
  assert.equal(podPhase(spec('Always'), [], [term(0)], false), 'Running');
  assert.equal(podPhase(spec('OnFailure'), [], [term(0)], false), 'Succeeded');
  assert.equal(podPhase(spec('OnFailure'), [], [term(1)], false), 'Running');
  assert.equal(podPhase(spec('Never'), [], [term(1)], false), 'Failed');
  assert.equal(podPhase(spec('Always'), [], [term(0)], true), 'Succeeded');
  assert.equal(podPhase(spec('Always'), [], [], false), 'Pending');
  // sidecar running + started, app running
  const sc = { restartPolicy: 'Always', initContainers: [{ name: 's', restartPolicy: 'Always' }], containers: [{ name: 'a' }] };
  assert.equal(podPhase(sc, [{ name: 's', state: { running: {} }, started: true }], [{ name: 'a', state: { running: {} } }], false), 'Running');
  assert.equal(podPhase(sc, [{ name: 's', state: { running: {} }, started: false }], [{ name: 'a', state: { waiting: {} } }], false), 'Pending');
});

test('a terminal phase never reverts; readiness gates', () => {
  const pod = testPod('p', { containers: [{ name: 'a', image: 'x:1' }], readinessGates: [{ conditionType: 'example.com/gate' }] });
  const s = generatePodStatus(input(pod, [rc('a', 'CONTAINER_RUNNING')], { oldStatus: { phase: 'Failed' } }));
  assert.equal(s.phase, 'Failed');
  const g = generatePodStatus(input(pod, [rc('a', 'CONTAINER_RUNNING')]));
  const ready = g.conditions.find((c: Any) => c.type === 'Ready');
  assert.equal(ready.reason, 'ReadinessGatesNotReady');
  assert.equal(ready.message, 'corresponding condition of pod readiness gate "example.com/gate" does not exist.');
  const g2 = generatePodStatus(input(pod, [rc('a', 'CONTAINER_RUNNING')], { oldStatus: { conditions: [{ type: 'example.com/gate', status: 'True' }] } }));
  assert.equal(g2.conditions[0].type, 'example.com/gate', 'foreign conditions kept first');
  assert.equal(g2.conditions.find((c: Any) => c.type === 'Ready').status, 'True');
});
