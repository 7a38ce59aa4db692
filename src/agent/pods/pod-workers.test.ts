// PodWorkers against a real containerd (test-node.ts): the scenarios run concurrently on one throwaway node,
// then adoption by a second PodWorkers, then create/delete cycles checked for leaks.
// Skips with the reason unless root with containerd, runc and the CNI plugins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import type { KubeObject } from '../../api/object.ts';
import { cgroupMountPoints } from '../../cri/cgroups.ts';
import type { PodSandboxConfig } from '../../cri/cri-types.ts';
import { BUSYBOX_IMAGE, WEB_IMAGE, ensureTestImages } from '../../cri/test-images.ts';
import { httpGet, runtimeSkipReason, startTestNode } from '../../cri/test-node.ts';
import { LABEL_POD_UID } from './deps.ts';
import { PodWorkers, type PodSyncDeps } from './pod-workers.ts';
import { FakeAgentApi, FakeRecorder, testPod, waitFor } from './test-fakes.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const skip = runtimeSkipReason();


const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

test('pod workers on a real containerd', { skip, timeout: 300_000 }, async (t) => {
  const node = await startTestNode();
  const api = new FakeAgentApi();
  const recorder = new FakeRecorder();
  const timings: Record<string, string> = {};
  const warnings: string[] = [];
  const startLog: string[] = [];
  let workers: PodWorkers | undefined;
  let workers2: PodWorkers | undefined;
  try {
    await ensureTestImages({ cri: node.cri, ctr: node.ctrd.binaries.ctr, socket: node.ctrd.socket });
    const deps: PodSyncDeps = {
      cri: node.cri, nodeName: 'node-1', dataDir: node.dataDir, podCidr: node.subnet, client: api, recorder,
      logDir: join(node.dataDir, 'logs'), cgroupParent: node.cgroupParent, hostIP: '127.0.0.1', pullTimeoutMs: 20_000,
      log: {
        debug: () => {},
        info: (msg, f) => void (msg === 'pod containers started' && startLog.push(JSON.stringify(f?.timings))),
        warn: (msg, f) => void warnings.push(`${msg} ${JSON.stringify(f)}`),
        error: (msg, f) => void warnings.push(`ERROR ${msg} ${JSON.stringify(f)}`),
      },
    };
    workers = new PodWorkers(deps);
    let w = workers;
    const run = (pod: KubeObject) => {
      api.add(pod);
      w.sync(pod);
      return pod;
    };
    const statusOf = (pod: KubeObject): Any => api.get(pod.metadata.namespace!, pod.metadata.name!)?.status;
    const cstatus = (pod: KubeObject, name: string): Any =>
      [...(statusOf(pod)?.containerStatuses ?? []), ...(statusOf(pod)?.initContainerStatuses ?? [])].find((c: Any) => c.name === name);
    const cid = (pod: KubeObject, name: string): string => String(cstatus(pod, name)?.containerID ?? '').replace('containerd://', '');
    const exec = async (pod: KubeObject, name: string, cmd: string[]) => {
      const r = await node.cri.execSync(cid(pod, name), cmd, 10);
      return r.stdout.toString() + r.stderr.toString();
    };
    const deletePod = (pod: KubeObject, grace: number) => {
      const cur = api.get(pod.metadata.namespace!, pod.metadata.name!)!;
      const next = { ...cur, metadata: { ...cur.metadata, deletionTimestamp: new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d+Z$/, 'Z'), deletionGracePeriodSeconds: grace } };
      api.add(next);
      w.sync(next);
      return next;
    };
    const deleted = (pod: KubeObject) => api.deletes.some((d) => d.uid === pod.metadata.uid);

    // ---- start latency: raw CRI (sandbox + 1 container) vs PodWorkers (sync → status Running), alternating, alone ----
    const raw: number[] = [];
    const ours: number[] = [];
    const cmd = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'];
    for (let i = 0; i < 5; i++) {
      let t0 = performance.now();
      const cfg: PodSandboxConfig = { metadata: { name: `raw${i}`, uid: `raw-${i}`, namespace: 'default' }, hostname: `raw${i}`, log_directory: join(node.dataDir, 'raw'), linux: { cgroup_parent: `${node.cgroupParent}/podraw-${i}` } };
      const id = await node.cri.runPodSandbox(cfg);
      const c = await node.cri.createContainer(id, { metadata: { name: 'c' }, image: { image: BUSYBOX_IMAGE }, command: cmd, log_path: 'c/0.log' }, cfg);
      await node.cri.startContainer(c);
      raw.push(performance.now() - t0);
      await node.cri.stopPodSandbox(id);
      await node.cri.removePodSandbox(id);
      t0 = performance.now();
      const pod = run(testPod(`lat${i}`, { containers: [{ name: 'c', image: BUSYBOX_IMAGE, command: cmd }] }));
      await waitFor('lat Running', () => statusOf(pod)?.phase === 'Running', 30_000);
      ours.push(performance.now() - t0);
      deletePod(pod, 2);
      await waitFor('lat deleted', () => deleted(pod));
    }
    timings['raw CRI sandbox+1 container (median of 5)'] = `${median(raw).toFixed(0)} ms`;
    timings['PodWorkers sync→Running patch (median of 5)'] = `${median(ours).toFixed(0)} ms (×${(median(ours) / median(raw)).toFixed(2)})`;

    const scenarios: Promise<unknown>[] = [];
    const scenario = (name: string, fn: () => Promise<void>) => scenarios.push(t.test(name, fn));

    scenario('a web pod reaches Running and answers on its pod IP with its hostname', async () => {
      {
        const pod = run(testPod('web0', { containers: [{ name: 'web', image: WEB_IMAGE }] }));
        const st = await waitFor('web Running', () => statusOf(pod)?.phase === 'Running' && statusOf(pod));
        assert.match(st.podIP, /^10\.42\./);
        assert.deepEqual(st.podIPs, [{ ip: st.podIP }]);
        assert.equal(st.hostIP, '127.0.0.1');
        assert.equal(st.qosClass, 'BestEffort');
        assert.deepEqual(st.conditions.map((c: Any) => `${c.type}=${c.status}`), ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
        const cs = st.containerStatuses[0];
        assert.equal(cs.ready, true);
        assert.equal(cs.started, true);
        assert.equal(cs.restartCount, 0);
        assert.equal(cs.image, WEB_IMAGE);
        assert.match(cs.imageID, /^sha256:/);
        assert.match(cs.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
        assert.ok(cs.state.running.startedAt);
        const body = await waitFor('HTTP answer', async () => (await httpGet(`http://${st.podIP}:8080/`, 2000)).body);
        assert.equal(body, 'web0\n');
        assert.deepEqual(recorder.for('web0').map((e) => `${e.reason}: ${e.message}`), [
          `Pulled: Container image "${WEB_IMAGE}" already present on machine`, 'Created: Created container: web', 'Started: Started container web',
        ]);
        assert.equal(recorder.for('web0')[0]!.obj.fieldPath, 'spec.containers{web}');
        assert.ok(existsSync(join(deps.logDir, `default_web0_${pod.metadata.uid}`, 'web', '0.log')), 'log at <logDir>/<ns>_<name>_<uid>/<c>/0.log');
      }
    });

    scenario('two containers share 127.0.0.1, hostname, IP and /dev/shm; env and downward API', async () => {
      const pod = run(testPod('pair', {
        containers: [
          { name: 'web', image: WEB_IMAGE, resources: { limits: { cpu: '500m', memory: '64Mi' } } },
          {
            name: 'sh', image: BUSYBOX_IMAGE, command: ['sh', '-c'], args: ['echo $(WHO) > /dev/shm/hello; exec sleep 3600'],
            env: [
              { name: 'WHO', value: 'world' }, { name: 'GREETING', value: 'hi-$(WHO)-$$(WHO)' },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
              { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              { name: 'MEM', valueFrom: { resourceFieldRef: { containerName: 'web', resource: 'limits.memory', divisor: '1Mi' } } },
              { name: 'CPU', valueFrom: { resourceFieldRef: { containerName: 'web', resource: 'limits.cpu', divisor: '1m' } } },
            ],
          },
        ],
      }));
      const st = await waitFor('pair Running', () => statusOf(pod)?.phase === 'Running' && statusOf(pod).containerStatuses.every((c: Any) => c.ready) && statusOf(pod));
      assert.equal(await waitFor('localhost', async () => (await exec(pod, 'sh', ['wget', '-qO-', 'http://127.0.0.1:8080/'])).includes('pair') && 'ok'), 'ok');
      assert.equal(await exec(pod, 'sh', ['hostname']), 'pair\n');
      assert.equal(await exec(pod, 'web', ['hostname']), 'pair\n');
      assert.match(await exec(pod, 'web', ['ip', '-4', 'addr', 'show', 'eth0']), new RegExp(`inet ${st.podIP.replace(/\./g, '\\.')}/`));
      assert.equal(await waitFor('/dev/shm shared', async () => (await exec(pod, 'web', ['cat', '/dev/shm/hello'])) || undefined), 'world\n');
      const env = await exec(pod, 'sh', ['env']);
      for (const want of ['POD_NAME=pair', `POD_IP=${st.podIP}`, 'APP=pair', 'NODE=node-1', 'MEM=64', 'CPU=500', 'WHO=world', 'GREETING=hi-world-$(WHO)']) assert.ok(env.includes(`${want}\n`), `${want} in env:\n${env}`);
      assert.equal(st.qosClass, 'Burstable');
    });

    scenario('a sidecar writes into an emptyDir the other container serves; init containers run first', async () => {
      const pod = run(testPod('side', {
        initContainers: [
          { name: 'init', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'echo init-done > /data/init'], volumeMounts: [{ name: 'data', mountPath: '/data' }] },
          { name: 'writer', image: BUSYBOX_IMAGE, restartPolicy: 'Always', command: ['sh', '-c', 'while true; do echo from-sidecar > /data/index.html; sleep 1; done'], volumeMounts: [{ name: 'data', mountPath: '/data' }] },
        ],
        containers: [{ name: 'server', image: BUSYBOX_IMAGE, command: ['httpd', '-f', '-p', '8080', '-h', '/www'], volumeMounts: [{ name: 'data', mountPath: '/www' }] }],
        volumes: [{ name: 'data', emptyDir: {} }, { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } }],
      }));
      const st = await waitFor('side Running', () => statusOf(pod)?.phase === 'Running' && statusOf(pod));
      assert.equal(await waitFor('served by sidecar', async () => (await httpGet(`http://${st.podIP}:8080/`, 2000)).body.trim() === 'from-sidecar' && 'ok'), 'ok');
      assert.equal((await httpGet(`http://${st.podIP}:8080/init`, 2000)).body, 'init-done\n');
      const init = cstatus(pod, 'init');
      assert.equal(init.state.terminated.reason, 'Completed');
      assert.equal(init.ready, true);
      assert.ok(cstatus(pod, 'writer').state.running);
      assert.ok(existsSync(join(node.dataDir, 'pods', pod.metadata.uid!, 'volumes', 'empty-dir', 'data', 'index.html')));
      assert.ok(readFileMounts().some((m) => m.includes(`${pod.metadata.uid}/volumes/empty-dir/mem`) && m.includes('tmpfs')), 'Memory emptyDir is a tmpfs');
      const events = recorder.for('side').filter((e) => e.reason === 'Started').map((e) => e.message);
      assert.deepEqual(events, ['Started container init', 'Started container writer', 'Started container server']);
    });

    scenario('a crashing container reaches CrashLoopBackOff with growing restarts', async () => {
      const t0 = Date.now();
      const pod = run(testPod('crash', { containers: [{ name: 'c', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'echo boom; exit 3'] }] }));
      const back = await waitFor('CrashLoopBackOff', () => cstatus(pod, 'c')?.state?.waiting?.reason === 'CrashLoopBackOff' && cstatus(pod, 'c'), 30_000);
      assert.match(back.state.waiting.message, new RegExp(`^back-off 10s restarting failed container=c pod=crash_default\\(${pod.metadata.uid}\\)$`));
      assert.equal(back.lastState.terminated.exitCode, 3);
      assert.equal(back.lastState.terminated.reason, 'Error');
      assert.equal(statusOf(pod).phase, 'Running');
      await waitFor('restartCount ≥ 2', () => cstatus(pod, 'c')?.restartCount >= 2, 45_000);
      timings['crash loop: restartCount 2 after'] = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
      const ev = recorder.for('crash').find((e) => e.reason === 'BackOff')!;
      assert.equal(ev.type, 'Warning');
      assert.equal(ev.message, `Back-off restarting failed container c in pod crash_default(${pod.metadata.uid})`);
    });

    scenario('a missing image: ErrImagePull, then ImagePullBackOff', async () => {
      const image = '127.0.0.1:1/missing:1';
      const pod = run(testPod('noimg', { containers: [{ name: 'c', image }] }));
      const first = await waitFor('ErrImagePull', () => cstatus(pod, 'c')?.state?.waiting?.reason === 'ErrImagePull' && cstatus(pod, 'c'));
      assert.ok(first.state.waiting.message.length > 0);
      assert.equal(statusOf(pod).phase, 'Pending');
      await waitFor('ImagePullBackOff', () => cstatus(pod, 'c')?.state?.waiting?.reason === 'ImagePullBackOff', 20_000);
      assert.equal(cstatus(pod, 'c').state.waiting.message, `Back-off pulling image "${image}"`);
      const msgs = recorder.for('noimg').map((e) => `${e.type} ${e.reason}: ${e.message}`);
      assert.ok(msgs.includes(`Normal Pulling: Pulling image "${image}"`), msgs.join('\n'));
      assert.ok(msgs.some((m) => m.startsWith(`Warning Failed: Failed to pull image "${image}": rpc error: code = `)), msgs.join('\n'));
      assert.ok(msgs.includes('Warning Failed: Error: ErrImagePull'));
      assert.ok(msgs.includes(`Normal BackOff: Back-off pulling image "${image}"`));
      assert.ok(msgs.includes('Warning Failed: Error: ImagePullBackOff'));
      const never = run(testPod('neverpull', { containers: [{ name: 'c', image, imagePullPolicy: 'Never' }] }));
      await waitFor('ErrImageNeverPull', () => cstatus(never, 'c')?.state?.waiting?.reason === 'ErrImageNeverPull');
      // a registry that accepts connections and never answers: the pull hangs, the pod is still deletable at once
      const sockets: Socket[] = [];
      const blackhole = createServer((s) => void sockets.push(s));
      await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
      try {
        const slow = run(testPod('slowpull', { containers: [{ name: 'c', image: `127.0.0.1:${(blackhole.address() as AddressInfo).port}/slow:1` }] }));
        await waitFor('Pulling', () => recorder.for('slowpull').some((e) => e.reason === 'Pulling'));
        await waitFor('ContainerCreating while pulling', () => cstatus(slow, 'c')?.state?.waiting?.reason === 'ContainerCreating' && statusOf(slow).conditions[0].status === 'True');
        const t0 = Date.now();
        deletePod(slow, 30);
        await waitFor('slowpull deleted', () => deleted(slow), 10_000);
        timings['delete while pulling from a silent registry'] = `${Date.now() - t0} ms`;
      } finally {
        sockets.forEach((s) => s.destroy());
        blackhole.close();
      }
    });

    scenario('a memory hog over 32Mi is OOMKilled; a Never pod ends Failed, a good one Succeeded', async () => {
      const pod = run(testPod('hog', {
        restartPolicy: 'Never',
        containers: [{ name: 'hog', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'head -c 200m /dev/zero | tail'], resources: { limits: { memory: '32Mi' } } }],
      }));
      await waitFor('Failed', () => statusOf(pod)?.phase === 'Failed', 40_000);
      const term = cstatus(pod, 'hog').state.terminated;
      assert.equal(term.reason, 'OOMKilled');
      assert.equal(term.exitCode, 137);
      assert.ok(term.startedAt && term.finishedAt);
      const ok = run(testPod('done', { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'echo bye > /dev/termination-log'] }] }));
      await waitFor('Succeeded', () => statusOf(ok)?.phase === 'Succeeded', 30_000);
      const done = cstatus(ok, 'c').state.terminated;
      assert.equal(done.reason, 'Completed');
      assert.equal(done.message, 'bye\n');
      const conds = Object.fromEntries(statusOf(ok).conditions.map((c: Any) => [c.type, c]));
      assert.equal(conds.Ready.reason, 'PodCompleted');
    });

    scenario('delete honours the grace period: SIGTERM ignored, killed after ~2 s', async () => {
      const pod = run(testPod('stubborn', {
        terminationGracePeriodSeconds: 30,
        containers: [{ name: 'c', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'trap "echo got TERM" TERM; while true; do sleep 1; done'] }],
      }));
      await waitFor('stubborn Running', () => statusOf(pod)?.phase === 'Running');
      const t0 = Date.now();
      deletePod(pod, 2);
      await waitFor('deleted', () => deleted(pod), 30_000);
      const took = (Date.now() - t0) / 1000;
      timings['delete with grace 2 s (SIGTERM ignored)'] = `${took.toFixed(1)} s`;
      assert.ok(took >= 1.5 && took < 8, `took ${took}s`);
      assert.ok(recorder.for('stubborn').some((e) => e.reason === 'Killing' && e.message === 'Stopping container c'));
      assert.equal((await node.cri.listPodSandbox({ label_selector: { [LABEL_POD_UID]: pod.metadata.uid! } })).length, 0);
    });

    scenario('probes: startup, readiness, liveness restart; postStart and preStop hooks; hostPath', async () => {
      const hostDir = join(node.dataDir, 'host-data');
      const pod = run(testPod('probed', {
        terminationGracePeriodSeconds: 5,
        containers: [{
          name: 'web', image: WEB_IMAGE, ports: [{ name: 'http', containerPort: 8080 }],
          lifecycle: {
            postStart: { exec: { command: ['sh', '-c', 'echo alive > /tmp/alive'] } },
            preStop: { exec: { command: ['sh', '-c', 'echo bye > /host/prestop'] } },
          },
          startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 30 },
          readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1 },
          livenessProbe: { exec: { command: ['cat', '/tmp/alive'] }, periodSeconds: 1, failureThreshold: 2 },
          volumeMounts: [{ name: 'host', mountPath: '/host' }],
        }],
        volumes: [{ name: 'host', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } }],
      }));
      await waitFor('probed Ready', () => cstatus(pod, 'web')?.ready === true, 30_000);
      assert.equal(cstatus(pod, 'web').started, true);
      const readyCond = statusOf(pod).conditions.find((c: Any) => c.type === 'Ready');
      assert.equal(readyCond.status, 'True');
      await exec(pod, 'web', ['rm', '/tmp/alive']);
      await waitFor('restarted by liveness', () => cstatus(pod, 'web')?.restartCount === 1 && cstatus(pod, 'web')?.state?.running, 40_000);
      const msgs = recorder.for('probed').map((e) => `${e.type} ${e.reason}: ${e.message}`);
      assert.ok(msgs.some((m) => m.startsWith("Warning Unhealthy: Liveness probe failed: cat: can't open '/tmp/alive'")), msgs.join('\n'));
      assert.ok(msgs.includes('Normal Killing: Container web failed liveness probe, will be restarted'), msgs.join('\n'));
      await waitFor('Ready again', () => cstatus(pod, 'web')?.ready === true, 30_000);
      deletePod(pod, 5);
      await waitFor('probed deleted', () => deleted(pod), 30_000);
      assert.equal(readFileSync(join(hostDir, 'prestop'), 'utf8'), 'bye\n', 'preStop ran');

      const missing = run(testPod('nomount', {
        containers: [{ name: 'c', image: BUSYBOX_IMAGE, volumeMounts: [{ name: 'h', mountPath: '/h' }] }],
        volumes: [{ name: 'h', hostPath: { path: join(node.dataDir, 'nope'), type: 'Directory' } }],
      }));
      const ev = await waitFor('FailedMount', () => recorder.for('nomount').find((e) => e.reason === 'FailedMount'));
      assert.equal(ev.message, `MountVolume.SetUp failed for volume "h" : hostPath type check failed: ${join(node.dataDir, 'nope')} is not a directory`);
      await waitFor('status written', () => statusOf(missing)?.containerStatuses);
      assert.deepEqual(cstatus(missing, 'c').state, { waiting: { reason: 'ContainerCreating' } });
      deletePod(missing, 30);
      await waitFor('nomount deleted', () => deleted(missing));
    });

    scenario('a changed image restarts the container', async () => {
      const pod = run(testPod('swap', { terminationGracePeriodSeconds: 2, containers: [{ name: 'c', image: BUSYBOX_IMAGE, command: ['sleep', '3600'] }] }));
      await waitFor('swap Running', () => cstatus(pod, 'c')?.state?.running);
      const next = structuredClone(api.get('default', 'swap')!);
      next.spec.containers[0].image = WEB_IMAGE;
      delete next.spec.containers[0].command;
      api.add(next);
      w.sync(next);
      await waitFor('new image running', () => cstatus(pod, 'c')?.image === WEB_IMAGE && cstatus(pod, 'c')?.state?.running && cstatus(pod, 'c').restartCount === 1, 30_000);
      assert.ok(recorder.for('swap').some((e) => e.reason === 'Killing' && e.message === 'Container c definition changed, will be restarted'));
    });

    scenario('a dead sandbox is re-created (attempt 1) and its containers restarted', async () => {
      const pod = run(testPod('phoenix', { containers: [{ name: 'c', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.2; done'] }] }));
      await waitFor('phoenix Running', () => cstatus(pod, 'c')?.state?.running);
      const [sb] = await node.cri.listPodSandbox({ label_selector: { [LABEL_POD_UID]: pod.metadata.uid! } });
      const info = JSON.parse((await node.cri.podSandboxStatus(sb!.id, true)).info.info ?? '{}');
      assert.ok(info.pid > 0, 'pause pid');
      process.kill(info.pid, 'SIGKILL');
      await waitFor('restarted in a new sandbox', () => cstatus(pod, 'c')?.restartCount === 1 && cstatus(pod, 'c')?.state?.running, 40_000);
      const sandboxes = await node.cri.listPodSandbox({ label_selector: { [LABEL_POD_UID]: pod.metadata.uid! } });
      assert.ok(sandboxes.some((x) => x.metadata?.attempt === 1 && x.state === 'SANDBOX_READY'), JSON.stringify(sandboxes.map((x) => [x.metadata?.attempt, x.state])));
      assert.ok(recorder.for('phoenix').some((e) => e.reason === 'SandboxChanged'));
      assert.equal(statusOf(pod).conditions[0].status, 'True');
    });

    await Promise.all(scenarios);

    await t.test('adoption: a new PodWorkers keeps containers running, restart counts unchanged', async () => {
      const pod = api.get('default', 'pair')!;
      const before = structuredClone(pod.status);
      const crashBefore = cstatus(api.get('default', 'crash')!, 'c').restartCount;
      const orphan = testPod('orphan', { containers: [{ name: 'c', image: BUSYBOX_IMAGE, command: ['sleep', '3600'] }] });
      run(orphan);
      await waitFor('orphan Running', () => statusOf(orphan)?.phase === 'Running');
      await w.stop();
      api.pods.delete('default/orphan');
      const patchesBefore = api.patches.filter((p) => p.name === 'pair').length;
      workers2 = new PodWorkers(deps);
      w = workers2;
      await workers2.adoptExisting([...api.pods.values()]);
      const after = statusOf(pod);
      assert.deepEqual(after.containerStatuses.map((c: Any) => [c.containerID, c.restartCount, c.state]), before.containerStatuses.map((c: Any) => [c.containerID, c.restartCount, c.state]));
      const pairPatches = api.patches.filter((p) => p.name === 'pair');
      assert.equal(pairPatches.length, patchesBefore, `no status change → no patch: ${JSON.stringify(before)}\n→ ${JSON.stringify(pairPatches.at(-1)?.status)}`);
      assert.ok(cstatus(api.get('default', 'crash')!, 'c').restartCount >= crashBefore);
      assert.equal((await node.cri.listPodSandbox({ label_selector: { [LABEL_POD_UID]: orphan.metadata.uid! } })).length, 0, 'orphan removed');
      assert.equal((await httpGet(`http://${statusOf(api.get('default', 'web0')!).podIP}:8080/`, 2000)).body, 'web0\n');
    });

    await t.test('create/delete cycles leak nothing', async () => {
      const uids: string[] = [];
      const cyclePods: KubeObject[] = [];
      for (let round = 0; round < 4; round++) {
        const pods = Array.from({ length: 5 }, (_, i) => run(testPod(`cyc${round}-${i}`, {
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'c', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.2; done'], volumeMounts: [{ name: 'v', mountPath: '/v' }, { name: 'm', mountPath: '/m' }] }],
          volumes: [{ name: 'v', emptyDir: {} }, { name: 'm', emptyDir: { medium: 'Memory' } }],
        })));
        await Promise.all(pods.map((p) => waitFor('Running', () => statusOf(p)?.phase === 'Running')));
        pods.forEach((p) => deletePod(p, 1));
        await Promise.all(pods.map((p) => waitFor('deleted', () => deleted(p))));
        uids.push(...pods.map((p) => p.metadata.uid!));
        cyclePods.push(...pods);
      }
      const sandboxes = await node.cri.listPodSandbox();
      for (const uid of uids) {
        assert.ok(!sandboxes.some((s) => s.labels[LABEL_POD_UID] === uid), `sandbox of ${uid} gone`);
        assert.ok(!existsSync(join(node.dataDir, 'pods', uid)), `pod dir of ${uid} gone`);
        for (const m of cgroupMountPoints()) assert.ok(!existsSync(join(m, node.cgroupParent, `pod${uid}`)), `cgroup of ${uid} gone under ${m}`);
      }
      assert.ok(!readFileMounts().some((m) => uids.some((u) => m.includes(u))), 'no mounts left');
      const logs = readdirSync(deps.logDir);
      assert.ok(!logs.some((d) => uids.some((u) => d.endsWith(u))), 'log dirs gone');
      const leases = readdirSync(node.ctrd.paths.ipamDataDir + '/k8ts').filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f));
      const liveIPs = new Set<string>();
      for (const sb of await node.cri.listPodSandbox()) {
        if (sb.state !== 'SANDBOX_READY') continue;
        liveIPs.add((await node.cri.podSandboxStatus(sb.id)).status?.network?.ip ?? '');
      }
      const stale = leases.filter((ip) => !liveIPs.has(ip));
      const owners = stale.map((ip) => [...api.pods.values(), ...cyclePods].filter((p) => p.status?.podIP === ip).map((p) => p.metadata.name));
      assert.deepEqual(stale, [], `CNI leases without a ready sandbox: ${JSON.stringify(stale)} (pods ${JSON.stringify(owners)})`);
    });
  } finally {
    await workers?.stop();
    await workers2?.stop();
    await node.teardown();
    console.log(`# agent warnings (${warnings.length}):\n${warnings.slice(0, 40).join('\n')}`);
    console.log(`# start timings (first 10): ${startLog.slice(0, 10).join(' ')}`);
    console.log('# pod workers timings:');
    for (const [k, v] of Object.entries(timings)) console.log(`#   ${k.padEnd(44)} ${v}`);
  }
});

function readFileMounts(): string[] {
  return readFileSyncSafe('/proc/self/mountinfo').split('\n');
}

function readFileSyncSafe(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}
