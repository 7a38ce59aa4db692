// A real pod on a real containerd: sandbox with a CNI bridge, a web container and a logging
// container, HTTP from the host to the pod IP, logs, exec, stop, removal and full cleanup.
// Skips (with the reason) unless root with containerd, runc and the CNI plugins installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerConfig, PodSandboxConfig } from './cri-types.ts';
import { cgroupMountPoints } from './cgroups.ts';
import { mountsUnder } from './mounts.ts';
import { BUSYBOX_IMAGE, WEB_IMAGE, WEB_PORT, ensureTestImages } from './test-images.ts';
import { httpGet, runtimeSkipReason, startTestNode } from './test-node.ts';

const skip = runtimeSkipReason();


async function eventually<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;

test('a pod runs on containerd: CNI network, HTTP from the host, CRI logs, exec, stop, cleanup', { skip, timeout: 120_000 }, async () => {
  let t = performance.now();
  const node = await startTestNode();
  const timings: Record<string, string> = {
    'containerd start (to CRI Version)': `${node.timings.containerdStart!.toFixed(0)} ms`,
    'pause image build+import': `${node.timings.pauseImage!.toFixed(0)} ms`,
  };
  let bridgeSeen = false;
  try {
    const cri = node.cri;
    const status = await cri.status();
    const network = status.status?.conditions.find((c) => c.type === 'NetworkReady');
    assert.equal(network?.status, true, `NetworkReady: ${network?.reason} ${network?.message}`);

    t = performance.now();
    assert.deepEqual((await ensureTestImages({ cri, ctr: node.ctrd.binaries.ctr, socket: node.ctrd.socket })).sort(), [BUSYBOX_IMAGE, WEB_IMAGE]);
    timings['test images build+import'] = ms(t);
    const images = (await cri.listImages()).flatMap((i) => i.repo_tags).sort();
    assert.deepEqual(images, [BUSYBOX_IMAGE, 'k8ts.local/pause:1', WEB_IMAGE].sort());
    const fs = await cri.imageFsInfo();
    assert.ok(fs.image_filesystems[0]?.fs_id?.mountpoint.startsWith(node.dataDir), JSON.stringify(fs));

    const uid = `uid-${Date.now()}`;
    const logDir = join(node.dataDir, 'pods', `default_web_${uid}`);
    mkdirSync(logDir, { recursive: true });
    const sandboxConfig: PodSandboxConfig = {
      metadata: { name: 'web', uid, namespace: 'default', attempt: 0 },
      hostname: 'web-pod',
      log_directory: logDir,
      labels: { 'k8ts.io/test': 'pod-lifecycle' },
      linux: { cgroup_parent: `${node.cgroupParent}/pod${uid}` },
    };
    t = performance.now();
    const podId = await cri.runPodSandbox(sandboxConfig);
    timings.RunPodSandbox = ms(t);

    const sb = await cri.podSandboxStatus(podId);
    assert.equal(sb.status?.state, 'SANDBOX_READY');
    assert.equal(sb.status?.metadata?.name, 'web');
    const podIp = sb.status?.network?.ip ?? '';
    const prefix = node.subnet.split('.').slice(0, 3).join('.') + '.';
    assert.ok(podIp.startsWith(prefix), `pod IP ${podIp} should be in ${node.subnet}`);
    assert.ok(existsSync(join(node.ctrd.paths.ipamDataDir, 'k8ts', podIp)), 'host-local lease kept in the data dir');
    assert.ok(sb.status!.created_at > 1.7e18, `created_at in ns: ${sb.status!.created_at}`);
    bridgeSeen = existsSync(`/sys/class/net/${node.bridge}`);
    assert.ok(bridgeSeen, `bridge ${node.bridge} exists`);

    const container = (name: string, image: string, extra: Partial<ContainerConfig>): ContainerConfig => ({
      metadata: { name, attempt: 0 },
      image: { image },
      log_path: `${name}/0.log`,
      linux: {},
      ...extra,
    });
    t = performance.now();
    const webId = await cri.createContainer(podId, container('web', WEB_IMAGE, { envs: [{ key: 'PORT', value: String(WEB_PORT) }] }), sandboxConfig);
    await cri.startContainer(webId);
    timings['create+start container (web)'] = ms(t);
    t = performance.now();
    const shId = await cri.createContainer(podId, container('sh', BUSYBOX_IMAGE, {
      command: ['sh', '-c'],
      args: ['echo hi; echo oops >&2; exec sleep 30'],
    }), sandboxConfig);
    await cri.startContainer(shId);
    timings['create+start container (sh)'] = ms(t);

    // The host reaches the pod IP directly over the bridge.
    t = performance.now();
    const res = await eventually('HTTP from the web container', async () => {
      const r = await httpGet(`http://${podIp}:${WEB_PORT}/`, 1000);
      return r.status === 200 ? r : undefined;
    });
    timings['first HTTP answer after start'] = ms(t);
    assert.equal(res.body, 'web-pod\n');

    // CRI log format: "<RFC3339Nano> <stream> <F|P> <text>".
    const shStatus = await cri.containerStatus(shId);
    assert.equal(shStatus.status?.state, 'CONTAINER_RUNNING');
    assert.equal(shStatus.status?.log_path, join(logDir, 'sh/0.log'));
    const lines = await eventually('both log lines', () => {
      const text = existsSync(shStatus.status!.log_path) ? readFileSync(shStatus.status!.log_path, 'utf8') : '';
      const l = text.trimEnd().split('\n');
      return l.length >= 2 ? l : undefined;
    });
    assert.match(lines.find((l) => l.includes(' stdout '))!, /^\d{4}-\d\d-\d\dT\S+Z stdout F hi$/);
    assert.match(lines.find((l) => l.includes(' stderr '))!, /^\S+ stderr F oops$/);

    const listed = await cri.listContainers({ pod_sandbox_id: podId });
    assert.deepEqual(listed.map((c) => c.metadata?.name).sort(), ['sh', 'web']);

    const exec = await cri.execSync(shId, ['hostname'], 5);
    assert.equal(exec.exit_code, 0);
    assert.equal(exec.stdout.toString(), 'web-pod\n');

    // Containers in one pod share the network namespace.
    const fromSh = await cri.execSync(shId, ['wget', '-qO-', `http://127.0.0.1:${WEB_PORT}/healthz`], 5);
    assert.equal(fromSh.stdout.toString(), 'ok\n', fromSh.stderr.toString());

    const url = await cri.exec(shId, ['sh'], { stdin: true, stdout: true });
    assert.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${node.ctrd.streamServerPort}/exec/`));

    // Pods outlive containerd: kill it, the supervisor restarts it, the pod is still there and serving.
    const oldPid = node.ctrd.pid!;
    process.kill(oldPid, 'SIGKILL');
    t = performance.now();
    await eventually('containerd restarted', () => (node.ctrd.restarts === 1 && node.ctrd.pid !== oldPid ? true : undefined));
    await eventually('CRI after restart', async () => (await cri.version({ timeoutMs: 500 })) && true);
    timings['containerd restart after SIGKILL (incl. backoff)'] = ms(t);
    assert.equal((await cri.podSandboxStatus(podId)).status?.state, 'SANDBOX_READY');
    assert.equal((await cri.containerStatus(webId)).status?.state, 'CONTAINER_RUNNING');
    assert.equal((await httpGet(`http://${podIp}:${WEB_PORT}/`, 1000)).body, 'web-pod\n');

    t = performance.now();
    await cri.stopContainer(shId, 0);
    timings['StopContainer (timeout 0)'] = ms(t);
    const stopped = await cri.containerStatus(shId);
    assert.equal(stopped.status?.state, 'CONTAINER_EXITED');
    assert.equal(stopped.status?.exit_code, 137);

    await assert.rejects(cri.containerStatus('no-such-container'), (err: Error) => {
      assert.match(err.message, /CRI ContainerStatus container no-such-container: NOT_FOUND/);
      return true;
    });

    t = performance.now();
    await cri.stopPodSandbox(podId);
    await cri.removePodSandbox(podId);
    timings['StopPodSandbox+RemovePodSandbox'] = ms(t);
    assert.deepEqual(await cri.listPodSandbox(), []);
    assert.deepEqual(await cri.listContainers(), []);
    const leftover = mountsUnder(node.dataDir);
    assert.deepEqual(leftover, [], 'no netns or rootfs mounts left after RemovePodSandbox');

    // Warm timings: a few more one-container pods (printed, not asserted).
    const runs: Record<string, number[]> = { RunPodSandbox: [], 'create+start 1 container': [], 'stop+remove sandbox': [] };
    for (let i = 0; i < 5; i++) {
      const u = `${uid}-${i}`;
      const cfg: PodSandboxConfig = {
        metadata: { name: `p${i}`, uid: u, namespace: 'default' },
        hostname: `p${i}`,
        log_directory: join(node.dataDir, 'pods', u),
        linux: { cgroup_parent: `${node.cgroupParent}/pod${u}` },
      };
      let t0 = performance.now();
      const id = await cri.runPodSandbox(cfg);
      runs.RunPodSandbox!.push(performance.now() - t0);
      t0 = performance.now();
      const cid = await cri.createContainer(id, container('c', BUSYBOX_IMAGE, { command: ['sleep', '30'] }), cfg);
      await cri.startContainer(cid);
      runs['create+start 1 container']!.push(performance.now() - t0);
      t0 = performance.now();
      await cri.stopPodSandbox(id);
      await cri.removePodSandbox(id);
      runs['stop+remove sandbox']!.push(performance.now() - t0);
    }
    for (const [k, v] of Object.entries(runs)) {
      const sorted = [...v].sort((a, b) => a - b);
      timings[`warm ${k} (min/median/max of 5)`] = sorted.length
        ? `${sorted[0]!.toFixed(0)} / ${sorted[2]!.toFixed(0)} / ${sorted[4]!.toFixed(0)} ms`
        : 'n/a';
    }
  } finally {
    const dataDir = node.dataDir;
    await node.teardown();
    assert.equal(existsSync(dataDir), false, 'data dir removed');
    assert.equal(existsSync(`/sys/class/net/${node.bridge}`), false, 'bridge removed');
    for (const mount of cgroupMountPoints()) {
      assert.equal(existsSync(join(mount, node.cgroupParent)), false, `cgroup ${join(mount, node.cgroupParent)} removed`);
    }
    console.log(`# pod lifecycle timings (bridge ${node.bridge}, ${node.subnet}${bridgeSeen ? '' : ', bridge never seen'}):`);
    for (const [k, v] of Object.entries(timings)) console.log(`#   ${k.padEnd(36)} ${v}`);
  }
});
