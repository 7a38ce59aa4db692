// Real pods on containerd through `k8ts up`, driven by the stock kubectl: networking (pod IP, shared netns/IPC),
// emptyDir, CrashLoopBackOff, image pull errors, OOMKilled, graceful deletion, `kubectl logs` flags, and pods
// surviving a k8ts restart (SIGTERM and kill -9). One shared cluster; independent scenarios run in parallel.
// Needs root + containerd/runc/CNI (skips otherwise).
import assert from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import { after, before, describe, it, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, json } from './cluster.ts';
import type { Cluster } from './cluster.ts';
import { runtimeSkipReason, startUpCluster, type UpCluster } from './up-cluster.ts';

const skip = runtimeSkipReason();
let up: UpCluster;
let c: Cluster;

const BUSYBOX = 'k8ts.local/busybox:1';
const WEB = 'k8ts.local/web:1';

before(async () => {
  if (skip) return;
  up = await startUpCluster();
  c = up.cluster;
  await up.importTestImages();
  // the node is Ready once its podCIDR is configured
  await c.kubectl(['wait', '--for=condition=Ready', 'node', up.nodeName, '--timeout=60s'], { timeoutMs: 70_000 });
}, { timeout: 180_000 });

after(async () => {
  if (skip || !up) return;
  await up.teardown();
}, { timeout: 240_000 });

// ---------------------------------------------------------------------------------------------------------------

type Container = Record<string, unknown>;
function pod(name: string, containers: Container[], spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { e2e: 'pods' } },
    spec: { terminationGracePeriodSeconds: 2, ...spec, containers },
  };
}

async function apply(obj: object): Promise<void> {
  await c.kubectl(['apply', '-f', '-'], { stdin: JSON.stringify(obj) });
}

async function waitReady(name: string, timeout = 90): Promise<void> {
  await c.kubectl(['wait', '--for=condition=Ready', `pod/${name}`, `--timeout=${timeout}s`], { timeoutMs: (timeout + 15) * 1000 });
}

async function getPod(name: string): Promise<any> {
  return json(await c.kubectl(['get', 'pod', name, '-o', 'json']));
}

/** The pod's row of `kubectl get pod NAME` as {status, restarts, raw}. */
async function row(name: string): Promise<{ status: string; restarts: number; raw: string }> {
  const out = (await c.kubectl(['get', 'pod', name, '--no-headers'])).stdout.trim();
  // NAME READY STATUS RESTARTS AGE — RESTARTS may be "3 (5s ago)"
  const cols = out.split(/\s+/);
  return { status: cols[2] ?? '', restarts: Number(cols[3] ?? NaN), raw: out };
}

function httpText(url: string, timeoutMs = 5000): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    const req = httpGet(url, { timeout: timeoutMs, agent: false }, (r) => {
      let body = '';
      r.setEncoding('utf8').on('data', (d: string) => { body += d; }).on('end', () => res({ status: r.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timed out`)));
    req.on('error', rej);
  });
}

async function exec(name: string, container: string, cmd: string): Promise<string> {
  return (await c.kubectl(['exec', name, '-c', container, '--', 'sh', '-c', cmd], { timeoutMs: 60_000 })).stdout;
}

async function timedDelete(name: string): Promise<number> {
  const t0 = performance.now();
  await c.kubectl(['delete', 'pod', name, '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
  return performance.now() - t0;
}

// ---------------------------------------------------------------------------------------------------------------

describe('pods on containerd through k8ts up', { skip, concurrency: true, timeout: 300_000 }, () => {
  it('a web pod runs and answers on its pod IP with its hostname', async () => {
    await apply(pod('web', [{ name: 'web', image: WEB, imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 8080 }] }], { terminationGracePeriodSeconds: 1 }));
    await waitReady('web');
    const p = await getPod('web');
    assert.equal(p.status.phase, 'Running');
    assert.match(p.status.podIP, /^10\.\d+\.\d+\.\d+$/);
    assert.ok(p.status.podIP.startsWith(up.clusterCidr.split('.').slice(0, 2).join('.') + '.'), `${p.status.podIP} in ${up.clusterCidr}`);
    const r = await eventually(() => httpText(`http://${p.status.podIP}:8080/`), 20_000, 'web pod answering');
    assert.equal(r.status, 200);
    assert.equal(r.body, 'web\n');
  });

  it('two containers share the network namespace, hostname, IP and /dev/shm', async () => {
    await apply(pod('duo', [
      { name: 'server', image: WEB },
      {
        name: 'client',
        image: BUSYBOX,
        command: ['sh', '-c', 'until wget -qO- http://127.0.0.1:8080/ > /tmp/got; do sleep 0.2; done; echo "got $(cat /tmp/got)"; echo "host $(hostname)"; echo shared > /dev/shm/note; exec sleep 3600'],
      },
    ]));
    await waitReady('duo');
    const p = await getPod('duo');
    const logs = await eventually(async () => {
      const out = (await c.kubectl(['logs', 'duo', '-c', 'client'])).stdout;
      return out.includes('host ') ? out : '';
    }, 30_000, 'client logs');
    assert.match(logs, /^got duo$/m, 'client reached the server on 127.0.0.1');
    assert.match(logs, /^host duo$/m);
    const hostServer = (await exec('duo', 'server', 'hostname')).trim();
    const hostClient = (await exec('duo', 'client', 'hostname')).trim();
    assert.equal(hostServer, 'duo');
    assert.equal(hostClient, 'duo');
    const ipCmd = "ip -4 -o addr show eth0 | awk '{print $4}'";
    const ipServer = (await exec('duo', 'server', ipCmd)).trim();
    const ipClient = (await exec('duo', 'client', ipCmd)).trim();
    assert.equal(ipServer, ipClient);
    assert.equal(ipServer.split('/')[0], p.status.podIP);
    assert.equal((await exec('duo', 'server', 'cat /dev/shm/note')).trim(), 'shared');
  });

  it('a sidecar writes into an emptyDir that the other container serves', async () => {
    await apply(pod('share', [
      { name: 'writer', image: BUSYBOX, command: ['sh', '-c', 'echo from-sidecar > /data/index.html; exec sleep 3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] },
      { name: 'server', image: BUSYBOX, command: ['httpd', '-f', '-p', '8080', '-h', '/srv'], volumeMounts: [{ name: 'data', mountPath: '/srv', readOnly: true }] },
    ], { volumes: [{ name: 'data', emptyDir: {} }] }));
    await waitReady('share');
    const ip = (await getPod('share')).status.podIP;
    const r = await eventually(async () => {
      const res = await httpText(`http://${ip}:8080/index.html`);
      return res.status === 200 ? res : undefined;
    }, 20_000, 'emptyDir content served');
    assert.equal(r!.body, 'from-sidecar\n');
  });

  it('a crashing container goes into CrashLoopBackOff with growing restarts; logs --previous', async () => {
    await apply(pod('crash', [{ name: 'crash', image: BUSYBOX, command: ['sh', '-c', 'echo "crashing at $(date +%s)"; exit 3'] }]));
        const last = await eventually(async () => {
      const r = await row('crash');
      return r.status === 'CrashLoopBackOff' && r.restarts >= 2 ? r : undefined;
    }, 120_000, 'CrashLoopBackOff with RESTARTS >= 2');
    assert.ok(last!.restarts >= 2, last!.raw);
    const p = await getPod('crash');
    const cs = p.status.containerStatuses[0];
    assert.equal(cs.state.waiting?.reason, 'CrashLoopBackOff');
    assert.equal(cs.lastState.terminated?.exitCode, 3);
    const prev = await c.kubectl(['logs', 'crash', '--previous']);
    assert.match(prev.stdout, /^crashing at \d+\n$/);
    const describe = (await c.kubectl(['describe', 'pod', 'crash'])).stdout;
    assert.match(describe, /Back-off restarting failed container/);
  });

  it('a missing image shows ErrImagePull / ImagePullBackOff in get and describe', async () => {
    // 127.0.0.1:1 refuses at once: no DNS, nothing leaves the machine
    await apply(pod('noimg', [{ name: 'app', image: '127.0.0.1:1/nope:1', imagePullPolicy: 'IfNotPresent' }]));
    const r = await eventually(async () => {
      const x = await row('noimg');
      return /^(ErrImagePull|ImagePullBackOff)$/.test(x.status) ? x : undefined;
    }, 60_000, 'ErrImagePull in get');
    assert.match(r!.status, /^(ErrImagePull|ImagePullBackOff)$/);
    const d = (await c.kubectl(['describe', 'pod', 'noimg'])).stdout;
    assert.match(d, /Reason:\s+(ErrImagePull|ImagePullBackOff)/);
    assert.match(d, /Failed to pull image "127\.0\.0\.1:1\/nope:1"/);
  });

  it('a memory hog over its 32Mi limit is OOMKilled', async () => {
    await apply(pod('hog', [{
      name: 'hog',
      image: BUSYBOX,
      command: ['sh', '-c', 'tail /dev/zero'],
      resources: { limits: { memory: '32Mi' } },
    }], { restartPolicy: 'Never' }));
    const p = await eventually(async () => {
      const x = await getPod('hog');
      return x.status.containerStatuses?.[0]?.state?.terminated ? x : undefined;
    }, 90_000, 'hog terminated');
    const t = p.status.containerStatuses[0].state.terminated;
    assert.equal(t.reason, 'OOMKilled', JSON.stringify(t));
    assert.equal(t.exitCode, 137);
    assert.equal((await row('hog')).status, 'OOMKilled');
  });

  it('delete honours the grace period: a SIGTERM trap that takes ~1 s, an ignored SIGTERM killed after grace 3 s', async () => {
    await Promise.all([
      apply(pod('graceful', [{ name: 'app', image: BUSYBOX, command: ['sh', '-c', 'trap "sleep 1; exit 0" TERM; echo started; while true; do sleep 0.1; done'] }], { terminationGracePeriodSeconds: 30 })),
      apply(pod('stubborn', [{ name: 'app', image: BUSYBOX, command: ['sh', '-c', 'trap "" TERM; while true; do sleep 0.2; done'] }], { terminationGracePeriodSeconds: 3 })),
    ]);
    await Promise.all([waitReady('graceful'), waitReady('stubborn')]);
    const [tGraceful, tStubborn] = await Promise.all([timedDelete('graceful'), timedDelete('stubborn')]);
    process.stderr.write(`# delete: graceful ${tGraceful.toFixed(0)} ms, stubborn (grace 3) ${tStubborn.toFixed(0)} ms\n`);
    assert.ok(tGraceful >= 1000, `graceful delete took ${tGraceful} ms`);
    assert.ok(tGraceful < 12_000, `graceful delete took ${tGraceful} ms (should not wait for the 30 s grace)`);
    assert.ok(tStubborn >= 2900, `stubborn delete took ${tStubborn} ms`);
    assert.ok(tStubborn < 15_000, `stubborn delete took ${tStubborn} ms`);
  });

  it('kubectl logs: -c, -f, --tail, --timestamps, --limit-bytes', async () => {
    await apply(pod('logger', [
      { name: 'a', image: BUSYBOX, command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo line-$i; done; i=6; while true; sleep 1; do echo line-$i; i=$((i+1)); done'] },
      { name: 'b', image: BUSYBOX, command: ['sh', '-c', 'echo from-b; exec sleep 3600'] },
    ]));
    await waitReady('logger');
    const b = await eventually(async () => (await c.kubectl(['logs', 'logger', '-c', 'b'])).stdout, 20_000, 'logs of b');
    assert.equal(b, 'from-b\n');
    const a = await eventually(async () => {
      const out = (await c.kubectl(['logs', 'logger', '-c', 'a'])).stdout;
      return out.includes('line-6') ? out : '';
    }, 20_000, 'logs of a');
    assert.ok(a.startsWith('line-1\nline-2\nline-3\nline-4\nline-5\nline-6\n'), a);
    // no -c with two containers: kubectl defaults to the first and says so
    const noC = await c.kubectl(['logs', 'logger']);
    assert.match(noC.stderr, /Defaulted container "a" out of: a, b/);
    assert.ok(noC.stdout.startsWith('line-1\n'), noC.stdout);

    const tail = (await c.kubectl(['logs', 'logger', '-c', 'a', '--tail', '2'])).stdout;
    const tailLines = tail.trim().split('\n');
    assert.equal(tailLines.length, 2, tail);
    for (const l of tailLines) assert.match(l, /^line-\d+$/);
    assert.equal(Number(tailLines[1]!.slice(5)), Number(tailLines[0]!.slice(5)) + 1);

    const ts = (await c.kubectl(['logs', 'logger', '-c', 'a', '--timestamps', '--tail', '3'])).stdout;
    for (const l of ts.trim().split('\n')) assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z line-\d+$/);

    const limited = (await c.kubectl(['logs', 'logger', '-c', 'a', '--limit-bytes', '10'])).stdout;
    assert.equal(limited, 'line-1\nlin');

    const f = c.spawnKubectl(['logs', '-f', 'logger', '-c', 'a', '--tail', '1']);
    try {
      const first = await f.waitFor(/line-(\d+)\n/, 20_000);
      const n = Number(/line-(\d+)/.exec(first)![1]);
      await f.waitFor(`line-${n + 1}\n`, 20_000); // a line written after -f started
    } finally {
      await f.kill();
    }
  });
});

// After the parallel group: restarting k8ts must not restart pods.
test('pods survive a k8ts restart (SIGTERM, then kill -9): same container, same restartCount, still serving', { skip, timeout: 300_000 }, async () => {
  const before = await getPod('web');
  const cs0 = before.status.containerStatuses[0];
  const ip = before.status.podIP;
  const check = async (how: string) => {
    await c.kubectl(['wait', '--for=condition=Ready', 'node', up.nodeName, '--timeout=60s'], { timeoutMs: 70_000 });
    await waitReady('web', 60);
    // give the adopted pod's status a sync pass, then compare
    await sleep(1500);
    const p = await getPod('web');
    const cs = p.status.containerStatuses[0];
    assert.equal(cs.containerID, cs0.containerID, `${how}: container id`);
    assert.equal(cs.restartCount, cs0.restartCount, `${how}: restartCount`);
    assert.equal(p.status.podIP, ip, `${how}: pod IP`);
    assert.equal(p.status.phase, 'Running');
    const r = await httpText(`http://${ip}:8080/`);
    assert.equal(r.body, 'web\n', `${how}: still serving`);
  };
  // while k8ts is down the pod keeps answering
  const exit = await c.restart();
  assert.equal(exit.killed, false, 'k8ts stopped on SIGTERM');
  await check('after SIGTERM restart');

  const pid = up.k8tsPid();
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100; i++) {
    try { process.kill(pid, 0); } catch { break; }
    await sleep(50);
  }
  assert.equal((await httpText(`http://${ip}:8080/`)).body, 'web\n', 'serving while k8ts is dead');
  await c.restart();
  await check('after kill -9 restart');
});
