/**
 * Pod runtime benchmark (`npm run bench:pods`, needs root + containerd/runc/CNI): starts `bin/k8ts up` in a temp data
 * dir through the e2e harness (test/e2e/up-cluster.ts), imports the test images, and measures:
 *
 *   1. cold start: spawning `k8ts up` on a fresh data dir → the Node is Ready;
 *   2. pod start latency, image present: POST → phase Running seen by a watch, for BENCH_SEQ sequential and
 *      BENCH_PAR parallel pods (p50/p99);
 *   3. the raw CRI start of the same pod in the same run, interleaved with the sequential starts (same load):
 *      CriClient straight on DATA/containerd/containerd.sock, RunPodSandbox + CreateContainer + StartContainer
 *      (then StopContainer + StopPodSandbox + RemovePodSandbox, timed too);
 *   4. `podman kube play` of the same manifest, only when podman is installed;
 *   5. teardown: DELETE → DELETED seen by the watch, the container exiting on SIGTERM;
 *   6. RSS of the k8ts process with 0 and BENCH_MANY (100) sleeping pods.
 *
 * Prints a table with the goals beside and writes JSON to bench/results/pods-<time>.json. Everything it creates
 * (pods, sandboxes, containerd, bridge, netns mounts, cgroups, data dir) is removed at the end.
 *   npm run bench:pods                # full run
 *   npm run bench:pods -- --quick     # small numbers, to check the script itself
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeCgroup } from '../src/cri/cgroups.ts';
import { containerdPaths } from '../src/cri/containerd-config.ts';
import { CriClient } from '../src/cri/cri-client.ts';
import type { ContainerConfig, PodSandboxConfig } from '../src/cri/cri-types.ts';
import { connectHttp2 } from '../test/e2e/cluster.ts';
import { runtimeSkipReason, startUpCluster, type UpCluster } from '../test/e2e/up-cluster.ts';

const quick = process.argv.includes('--quick');
const envInt = (name: string, full: number, small: number) => Number(process.env[name] ?? (quick ? small : full));
const SEQ = envInt('BENCH_SEQ', 50, 8);
const PAR = envInt('BENCH_PAR', 20, 5);
const RAW = envInt('BENCH_RAW', 20, 5);
const TEARDOWN = envInt('BENCH_TEARDOWN', 20, 5);
const MANY = envInt('BENCH_MANY', 100, 20);
const NS = 'bench';
const BUSYBOX = 'k8ts.local/busybox:1';
/** Exits at once on SIGTERM (the trap interrupts `wait`), sleeps otherwise without burning CPU. */
const COMMAND = ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'];

const GOALS = { startRatioToRaw: 1.3, startP99Ms: 600, teardownMs: 500, rssMb: 150, coldStartMs: 2000 };

// ---------------------------------------------------------------------------------------------------------------

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
const summary = (v: number[]) => ({ n: v.length, min: Math.min(...v), p50: pct(v, 50), p99: pct(v, 99), max: Math.max(...v) });
const round = (n: number) => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function podManifest(name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { bench: 'pods' } },
    spec: { terminationGracePeriodSeconds: 5, containers: [{ name: 'app', image: BUSYBOX, imagePullPolicy: 'IfNotPresent', command: COMMAND }] },
  };
}

function h2request(session: http2.ClientHttp2Session, method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: http2.OutgoingHttpHeaders = { ':method': method, ':path': path, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const req = session.request(headers, { endStream: body === undefined });
    let status = 0;
    const chunks: Buffer[] = [];
    req.on('response', (h) => { status = Number(h[':status']); });
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', reject);
    if (body !== undefined) req.end(JSON.stringify(body));
  });
}

async function ok(p: Promise<{ status: number; body: string }>, what: string): Promise<string> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: HTTP ${r.status}: ${r.body.slice(0, 500)}`);
  return r.body;
}

/** One watch on the bench namespace: when each pod was first seen Running, and when it was DELETED. */
class PodWatch {
  readonly running = new Map<string, number>();
  readonly deleted = new Map<string, number>();
  readonly uids = new Set<string>();
  #waiters: (() => void)[] = [];
  #req: http2.ClientHttp2Stream;

  constructor(session: http2.ClientHttp2Session) {
    this.#req = session.request({ ':method': 'GET', ':path': `/api/v1/namespaces/${NS}/pods?watch=1`, accept: 'application/json' });
    let buf = '';
    this.#req.setEncoding('utf8');
    this.#req.on('data', (chunk: string) => {
      const now = performance.now();
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        const ev = JSON.parse(line) as { type: string; object: { metadata: { name: string; uid: string }; status?: { phase?: string } } };
        const name = ev.object.metadata?.name;
        if (!name) continue;
        this.uids.add(ev.object.metadata.uid);
        if (ev.type === 'DELETED') this.deleted.set(name, now);
        else if (ev.object.status?.phase === 'Running' && !this.running.has(name)) this.running.set(name, now);
      }
      for (const w of this.#waiters.splice(0)) w();
    });
    this.#req.on('error', () => { /* session closing */ });
  }

  async until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 500);
        this.#waiters.push(() => { clearTimeout(t); r(); });
      });
    }
  }

  close(): void {
    this.#req.close();
  }
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const skip = runtimeSkipReason();
  if (skip) {
    console.error(`bench:pods cannot run here: ${skip}`);
    process.exitCode = 1;
    return;
  }
  const load0 = loadavg();
  const results: Record<string, unknown> = {
    time: new Date().toISOString(),
    quick,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGb: round(totalmem() / 2 ** 30), loadavgStart: load0 },
    params: { SEQ, PAR, RAW, TEARDOWN, MANY },
  };

  // 1. cold start: spawn → node Ready
  const tCold = performance.now();
  const up: UpCluster = await startUpCluster();
  const readyLineMs = performance.now() - tCold;
  const c = up.cluster;
  let session: http2.ClientHttp2Session | undefined;
  let watch: PodWatch | undefined;
  let cri: CriClient | undefined;
  const rawCgroupRoot = `/k8ts-bench-${randomBytes(3).toString('hex')}`;
  try {
    session = connectHttp2(c.port, c.adminTls());
    session.on('error', () => {});
    for (;;) {
      const node = JSON.parse(await ok(h2request(session, 'GET', `/api/v1/nodes/${up.nodeName}`), 'get node').catch(() => '{}'));
      if (node.status?.conditions?.some((x: { type: string; status: string }) => x.type === 'Ready' && x.status === 'True')) break;
      if (performance.now() - tCold > 120_000) throw new Error('node not Ready after 120 s');
      await sleep(20);
    }
    const coldStartMs = performance.now() - tCold;
    results.coldStart = { readyLineMs: round(readyLineMs), nodeReadyMs: round(coldStartMs) };
    console.error(`# cold start: ready line ${readyLineMs.toFixed(0)} ms, node Ready ${coldStartMs.toFixed(0)} ms`);

    const tImg = performance.now();
    await up.importTestImages();
    console.error(`# test images imported in ${(performance.now() - tImg).toFixed(0)} ms`);
    await ok(h2request(session, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }), 'create namespace');
    watch = new PodWatch(session);
    await sleep(300);
    const w = watch;
    const s = session;

    const createPod = (name: string) => ok(h2request(s, 'POST', `/api/v1/namespaces/${NS}/pods`, podManifest(name)), `create ${name}`);
    const deletePods = async (names: string[]) => {
      await Promise.all(names.map((n) => ok(h2request(s, 'DELETE', `/api/v1/namespaces/${NS}/pods/${n}`), `delete ${n}`)));
      await w.until(() => names.every((n) => w.deleted.has(n)), 180_000, `${names.length} pods deleted`);
    };

    // warm-up: one pod through the whole path (first-use costs: image snapshot unpack, CNI, code paths)
    await createPod('warmup');
    await w.until(() => w.running.has('warmup'), 120_000, 'warmup Running');
    await deletePods(['warmup']);

    // 2a. sequential starts, interleaved with 3. raw CRI starts of the same pod straight on containerd, so both
    // see the same machine load (these VMs are shared)
    cri = new CriClient(containerdPaths(c.dataDir).socket);
    const rawCri = cri;
    const rawStart: number[] = [];
    const rawStop: number[] = [];
    const rawOnce = async (i: number) => {
      const uid = `raw-${randomBytes(4).toString('hex')}`;
      const logDir = join(c.dataDir, 'bench-raw', uid);
      mkdirSync(logDir, { recursive: true });
      const sandbox: PodSandboxConfig = {
        metadata: { name: `raw-${i}`, uid, namespace: NS, attempt: 0 },
        hostname: `raw-${i}`,
        log_directory: logDir,
        labels: { 'k8ts.io/bench': 'raw' },
        linux: { cgroup_parent: `${rawCgroupRoot}/pod${uid}` },
      };
      const container: ContainerConfig = {
        metadata: { name: 'app', attempt: 0 },
        image: { image: BUSYBOX },
        command: COMMAND,
        log_path: 'app/0.log',
        linux: {},
      };
      const t0 = performance.now();
      const podId = await rawCri.runPodSandbox(sandbox);
      const cid = await rawCri.createContainer(podId, container, sandbox);
      await rawCri.startContainer(cid);
      rawStart.push(performance.now() - t0);
      const t1 = performance.now();
      await rawCri.stopContainer(cid, 5);
      await rawCri.stopPodSandbox(podId);
      await rawCri.removePodSandbox(podId);
      rawStop.push(performance.now() - t1);
    };
    const seq: number[] = [];
    for (let i = 0; i < Math.max(SEQ, RAW); i++) {
      if (i < SEQ) {
        const name = `seq-${i}`;
        const t0 = performance.now();
        await createPod(name);
        await w.until(() => w.running.has(name), 120_000, `${name} Running`);
        seq.push(w.running.get(name)! - t0);
      }
      if (i < RAW) await rawOnce(i);
    }
    console.error(`# ${SEQ} sequential: p50 ${pct(seq, 50).toFixed(0)} ms; raw CRI start p50 ${pct(rawStart, 50).toFixed(0)} ms, stop+remove p50 ${pct(rawStop, 50).toFixed(0)} ms`);
    await deletePods(Array.from({ length: SEQ }, (_, i) => `seq-${i}`));

    // 2b. parallel starts
    const parNames = Array.from({ length: PAR }, (_, i) => `par-${i}`);
    const starts = new Map<string, number>();
    await Promise.all(parNames.map(async (n) => { starts.set(n, performance.now()); await createPod(n); }));
    await w.until(() => parNames.every((n) => w.running.has(n)), 300_000, `${PAR} parallel pods Running`);
    const par = parNames.map((n) => w.running.get(n)! - starts.get(n)!);
    const parWallMs = Math.max(...parNames.map((n) => w.running.get(n)!)) - Math.min(...starts.values());
    console.error(`# ${PAR} parallel: p50 ${pct(par, 50).toFixed(0)} ms, all Running after ${parWallMs.toFixed(0)} ms`);
    await deletePods(parNames);

    // 4. podman, only if present
    const podman = spawnSync('sh', ['-c', 'command -v podman'], { encoding: 'utf8' }).stdout.trim();
    if (!podman) console.error('# podman not installed: podman kube play skipped');
    results.podman = podman ? 'installed but not measured by this script (see /work/shared/notes/RUNTIME.md for settings)' : 'podman not installed';

    // 5. teardown: DELETE → DELETED (container exits on SIGTERM)
    const tdNames = Array.from({ length: TEARDOWN }, (_, i) => `td-${i}`);
    for (const n of tdNames) await createPod(n);
    await w.until(() => tdNames.every((n) => w.running.has(n)), 300_000, 'teardown pods Running');
    await sleep(1500); // let the status settle (ready condition) so the delete is the only work
    const teardown: number[] = [];
    for (const n of tdNames) {
      const t0 = performance.now();
      await ok(h2request(s, 'DELETE', `/api/v1/namespaces/${NS}/pods/${n}`), `delete ${n}`);
      await w.until(() => w.deleted.has(n), 60_000, `${n} deleted`);
      teardown.push(w.deleted.get(n)! - t0);
    }
    console.error(`# teardown p50 ${pct(teardown, 50).toFixed(0)} ms`);

    // 6. RSS with 0 and MANY pods
    const pid = up.k8tsPid();
    await sleep(2000);
    const rss0 = rssMb(pid);
    const ctrdPid = up.containerdPid();
    const ctrdRss0 = ctrdPid ? rssMb(ctrdPid) : NaN;
    const manyNames = Array.from({ length: MANY }, (_, i) => `many-${i}`);
    const tMany = performance.now();
    for (let i = 0; i < manyNames.length; i += 10) await Promise.all(manyNames.slice(i, i + 10).map(createPod));
    await w.until(() => manyNames.every((n) => w.running.has(n)), 900_000, `${MANY} pods Running`);
    const manyMs = performance.now() - tMany;
    await sleep(3000);
    const rssMany = rssMb(pid);
    const ctrdRssMany = ctrdPid ? rssMb(ctrdPid) : NaN;
    console.error(`# RSS k8ts: ${rss0.toFixed(0)} MB with 0 pods, ${rssMany.toFixed(0)} MB with ${MANY} (all Running after ${(manyMs / 1000).toFixed(1)} s)`);
    const tDelMany = performance.now();
    await deletePods(manyNames);
    const delManyMs = performance.now() - tDelMany;

    const startS = summary(seq);
    const parS = summary(par);
    const rawS = summary(rawStart);
    const tdS = summary(teardown);
    Object.assign(results, {
      startSequentialMs: mapRound(startS),
      startParallelMs: { ...mapRound(parS), wallMs: round(parWallMs) },
      rawCriStartMs: mapRound(rawS),
      rawCriStopRemoveMs: mapRound(summary(rawStop)),
      teardownMs: mapRound(tdS),
      rssMb: { k8ts0: round(rss0), [`k8ts${MANY}`]: round(rssMany), containerd0: round(ctrdRss0), [`containerd${MANY}`]: round(ctrdRssMany) },
      many: { pods: MANY, allRunningMs: round(manyMs), allDeletedMs: round(delManyMs) },
      loadavgEnd: loadavg(),
    });

    const coldStart = (results.coldStart as { nodeReadyMs: number }).nodeReadyMs;
    const rows: [string, string, string, boolean][] = [
      [`pod start p50, ${SEQ} sequential`, `${startS.p50.toFixed(0)} ms (${(startS.p50 / rawS.p50).toFixed(2)}× raw CRI)`, `≤ ${GOALS.startRatioToRaw}× raw CRI (${(rawS.p50 * GOALS.startRatioToRaw).toFixed(0)} ms)`, startS.p50 <= rawS.p50 * GOALS.startRatioToRaw],
      [`pod start p99, ${SEQ} sequential`, `${startS.p99.toFixed(0)} ms`, `≤ ${GOALS.startP99Ms} ms`, startS.p99 <= GOALS.startP99Ms],
      [`pod start p50, ${PAR} parallel`, `${parS.p50.toFixed(0)} ms (all in ${parWallMs.toFixed(0)} ms)`, `≤ ${GOALS.startRatioToRaw}× raw CRI`, parS.p50 <= rawS.p50 * GOALS.startRatioToRaw],
      [`pod start p99, ${PAR} parallel`, `${parS.p99.toFixed(0)} ms`, `≤ ${GOALS.startP99Ms} ms`, parS.p99 <= GOALS.startP99Ms],
      ['raw CRI start p50 / p99 (interleaved)', `${rawS.p50.toFixed(0)} / ${rawS.p99.toFixed(0)} ms`, '(reference)', true],
      ['podman kube play', podman ? 'not measured' : 'podman not installed', '(reference)', true],
      ['teardown p50 / p99 (DELETE → gone)', `${tdS.p50.toFixed(0)} / ${tdS.p99.toFixed(0)} ms`, `≤ ${GOALS.teardownMs} ms`, tdS.p50 <= GOALS.teardownMs],
      [`k8ts RSS, 0 / ${MANY} pods`, `${rss0.toFixed(0)} / ${rssMany.toFixed(0)} MB`, `≤ ${GOALS.rssMb} MB`, rssMany <= GOALS.rssMb],
      ['cold start (spawn → node Ready)', `${coldStart.toFixed(0)} ms`, `≤ ${GOALS.coldStartMs} ms`, coldStart <= GOALS.coldStartMs],
    ];
    const w1 = Math.max(...rows.map((r) => r[0].length));
    const w2 = Math.max(...rows.map((r) => r[1].length));
    const w3 = Math.max(...rows.map((r) => r[2].length));
    const line = (a: string, b: string, g: string, m: string) => `| ${a.padEnd(w1)} | ${b.padEnd(w2)} | ${g.padEnd(w3)} | ${m.padEnd(4)} |`;
    console.log(`\nk8ts pod runtime benchmark ${quick ? '(quick) ' : ''}— ${cpus().length} cores, load ${load0.map((l) => l.toFixed(1)).join(' ')} at start`);
    console.log(line('measure', 'result', 'goal', 'met'));
    console.log(`|${'-'.repeat(w1 + 2)}|${'-'.repeat(w2 + 2)}|${'-'.repeat(w3 + 2)}|------|`);
    for (const [a, b, g, met] of rows) console.log(line(a, b, g, g === '(reference)' ? '' : met ? 'yes' : 'NO'));
    results.goals = GOALS;
    results.met = Object.fromEntries(rows.filter((r) => r[2] !== '(reference)').map((r) => [r[0], r[3]]));
  } finally {
    watch?.close();
    session?.close();
    cri?.close();
    try {
      await up.teardown();
    } catch (err) {
      console.error(`teardown: ${(err as Error).message}`);
      process.exitCode = 1;
    }
    await removeCgroup(rawCgroupRoot).catch((err: Error) => console.error(`raw CRI cgroups: ${err.message}`));
  }
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `pods-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`\nJSON: ${file}`);
}

function mapRound(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v)]));
}

await main();
