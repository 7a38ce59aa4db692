/**
 * API server benchmark (`npm run bench:api`): starts `bin/k8ts server` through the e2e harness and measures, over
 * HTTP/2 with the admin client certificate (as kubectl connects):
 *
 *   1. pod creates/s and per-request p50/p99 latency with 1, 16 and 64 concurrent clients
 *      (BENCH_CREATES creates per level, unique names, each level in its own namespace, removed afterwards);
 *   2. LIST of BENCH_LIST pods as JSON (median of 5);
 *   3. watch delivery latency (POST sent → ADDED event read) to BENCH_WATCHERS watchers;
 *   4. the raw SQLite store insert rate in the same run (measureRawInsertRate), to show the API's overhead as a ratio.
 *
 * Prints a table and writes JSON to bench/results/api-<time>.json.
 *   npm run bench:api                 # full run
 *   npm run bench:api -- --quick      # small numbers, to check the script itself
 */
import http2 from 'node:http2';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster, connectHttp2 } from '../test/e2e/cluster.ts';
import type { AdminTls, Cluster } from '../test/e2e/cluster.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { measureRawInsertRate } from '../src/store/store-bench.ts';

const quick = process.argv.includes('--quick');
const envInt = (name: string, full: number, small: number) => Number(process.env[name] ?? (quick ? small : full));
const CREATES = envInt('BENCH_CREATES', 2000, 200);
const LIST_SIZE = envInt('BENCH_LIST', 10_000, 1000);
const WATCHERS = envInt('BENCH_WATCHERS', 100, 20);
const WATCH_EVENTS = envInt('BENCH_WATCH_EVENTS', 50, 10);
const RAW_INSERTS = envInt('BENCH_RAW_INSERTS', 10_000, 2000);
const LEVELS = [1, 16, 64];
/** Workers share sessions (TCP+TLS connections) in groups of this size. */
const STREAMS_PER_SESSION = 8;

const GOALS = { createsPerSecAt64: 3000, p99Ms: 20, list10kMs: 300 };

interface H2Reply {
  status: number;
  body: string;
  /** ms from sending the request to the first body byte (server work before it starts writing). */
  firstByteMs: number;
}

function h2request(session: http2.ClientHttp2Session, method: string, path: string, body?: string): Promise<H2Reply> {
  return new Promise((resolve, reject) => {
    const headers: http2.OutgoingHttpHeaders = { ':method': method, ':path': path, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const t0 = performance.now();
    const req = session.request(headers, { endStream: body === undefined });
    let status = 0;
    let firstByteMs = NaN;
    const chunks: Buffer[] = [];
    req.on('response', (h) => { status = Number(h[':status']); });
    req.on('data', (c: Buffer) => {
      if (chunks.length === 0) firstByteMs = performance.now() - t0;
      chunks.push(c);
    });
    req.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8'), firstByteMs }));
    req.on('error', reject);
    if (body !== undefined) req.end(body);
  });
}

class SessionPool {
  readonly sessions: http2.ClientHttp2Session[] = [];
  constructor(port: number, tls: AdminTls, count: number) {
    for (let i = 0; i < count; i++) {
      const s = connectHttp2(port, tls);
      s.on('error', () => { /* surfaced by the requests */ });
      this.sessions.push(s);
    }
  }
  at(i: number): http2.ClientHttp2Session {
    return this.sessions[i % this.sessions.length];
  }
  close(): void {
    for (const s of this.sessions) s.close();
  }
}

const podBody = (name: string, i: number) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'bench', i: String(i % 10) } },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'], ports: [{ containerPort: 8080 }] }] },
  });

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 0.5);

async function createNamespace(session: http2.ClientHttp2Session, name: string): Promise<void> {
  const r = await h2request(session, 'POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  if (r.status !== 201) throw new Error(`create namespace ${name}: ${r.status} ${r.body.slice(0, 300)}`);
}

/** Deletes a namespace and waits (up to timeoutMs) until it is gone; returns the ms it took, or NaN on timeout. */
async function deleteNamespace(session: http2.ClientHttp2Session, name: string, timeoutMs = 180_000): Promise<number> {
  const start = performance.now();
  const r = await h2request(session, 'DELETE', `/api/v1/namespaces/${name}`);
  if (r.status !== 200 && r.status !== 202) throw new Error(`delete namespace ${name}: ${r.status} ${r.body.slice(0, 300)}`);
  while (performance.now() - start < timeoutMs) {
    const g = await h2request(session, 'GET', `/api/v1/namespaces/${name}`);
    if (g.status === 404) return performance.now() - start;
    await new Promise((res) => setTimeout(res, 250));
  }
  console.error(`warning: namespace ${name} still present ${timeoutMs} ms after DELETE`);
  return NaN;
}

interface CreateResult {
  concurrency: number;
  creates: number;
  errors: number;
  firstError?: string;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU the benchmark client itself used, in cores (it shares the machine with the server). */
  clientCpuCores: number;
  namespaceDeleteMs: number;
}

async function runCreates(pool: SessionPool, namespace: string, total: number, concurrency: number): Promise<Omit<CreateResult, 'namespaceDeleteMs'>> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      const session = pool.at(w);
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const t0 = performance.now();
        const r = await h2request(session, 'POST', `/api/v1/namespaces/${namespace}/pods`, podBody(`p-${i}`, i));
        latencies.push(performance.now() - t0);
        if (r.status !== 201) {
          errors++;
          firstError ??= `${r.status} ${r.body.slice(0, 300)}`;
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  return {
    concurrency,
    creates: total,
    errors,
    firstError,
    seconds,
    perSecond: (total - errors) / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies[latencies.length - 1],
    clientCpuCores: (cpu.user + cpu.system) / 1e6 / seconds,
  };
}

interface WatchResult {
  watchers: number;
  events: number;
  delivered: number;
  missing: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

async function runWatch(port: number, tls: AdminTls, pool: SessionPool): Promise<WatchResult> {
  const ns = 'bench-watch';
  await createNamespace(pool.at(0), ns);
  const list = await h2request(pool.at(0), 'GET', `/api/v1/namespaces/${ns}/pods`);
  const rv = JSON.parse(list.body).metadata?.resourceVersion ?? '';
  const sent = new Map<string, number>();
  const samples: number[] = [];
  let delivered = 0;
  const watchPool = new SessionPool(port, tls, Math.ceil(WATCHERS / 25));
  const streams: http2.ClientHttp2Stream[] = [];
  let opened = 0;
  await new Promise<void>((resolve, reject) => {
    for (let w = 0; w < WATCHERS; w++) {
      const req = watchPool.at(w).request({
        ':method': 'GET',
        ':path': `/api/v1/namespaces/${ns}/pods?watch=true&resourceVersion=${rv}`,
        accept: 'application/json',
      });
      streams.push(req);
      let buf = '';
      req.setEncoding('utf8');
      req.on('response', (h) => {
        if (Number(h[':status']) !== 200) reject(new Error(`watch: status ${h[':status']}`));
        if (++opened === WATCHERS) resolve();
      });
      req.on('data', (chunk: string) => {
        const now = performance.now();
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (!line.trim()) continue;
          const ev = JSON.parse(line);
          if (ev.type !== 'ADDED') continue;
          const t0 = sent.get(ev.object?.metadata?.name);
          if (t0 !== undefined) {
            samples.push(now - t0);
            delivered++;
          }
        }
      });
      req.on('error', () => { /* closed at the end */ });
    }
    setTimeout(() => reject(new Error(`only ${opened}/${WATCHERS} watches answered within 30 s`)), 30_000).unref();
  });
  // Let the watch registrations settle before the first event.
  await new Promise((res) => setTimeout(res, 200));
  for (let i = 0; i < WATCH_EVENTS; i++) {
    const name = `w-${i}`;
    sent.set(name, performance.now());
    const r = await h2request(pool.at(0), 'POST', `/api/v1/namespaces/${ns}/pods`, podBody(name, i));
    if (r.status !== 201) throw new Error(`watch bench create ${name}: ${r.status} ${r.body.slice(0, 300)}`);
    await new Promise((res) => setTimeout(res, 20));
  }
  const expected = WATCHERS * WATCH_EVENTS;
  const deadline = performance.now() + 10_000;
  while (delivered < expected && performance.now() < deadline) await new Promise((res) => setTimeout(res, 50));
  for (const s of streams) s.close(http2.constants.NGHTTP2_CANCEL);
  watchPool.close();
  await deleteNamespace(pool.at(0), ns);
  samples.sort((a, b) => a - b);
  return {
    watchers: WATCHERS,
    events: WATCH_EVENTS,
    delivered,
    missing: expected - delivered,
    p50Ms: percentile(samples, 0.5),
    p99Ms: percentile(samples, 0.99),
    maxMs: samples[samples.length - 1],
  };
}

async function runList(pool: SessionPool): Promise<{ pods: number; runsMs: number[]; medianMs: number; firstByteMedianMs: number; bytes: number; fillPerSecond: number }> {
  const ns = 'bench-list';
  await createNamespace(pool.at(0), ns);
  const fill = await runCreates(pool, ns, LIST_SIZE, 64);
  if (fill.errors) throw new Error(`filling ${ns}: ${fill.errors} errors, first: ${fill.firstError}`);
  const runsMs: number[] = [];
  const firstByte: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = await h2request(pool.at(0), 'GET', `/api/v1/namespaces/${ns}/pods`);
    runsMs.push(performance.now() - t0);
    firstByte.push(r.firstByteMs);
    if (r.status !== 200) throw new Error(`LIST: ${r.status} ${r.body.slice(0, 300)}`);
    const n = JSON.parse(r.body).items?.length;
    if (n !== LIST_SIZE) throw new Error(`LIST returned ${n} items, expected ${LIST_SIZE}`);
    bytes = r.body.length;
  }
  await deleteNamespace(pool.at(0), ns, 300_000);
  return { pods: LIST_SIZE, runsMs, medianMs: median(runsMs), firstByteMedianMs: median(firstByte), bytes, fillPerSecond: fill.perSecond };
}

async function rawInsertRate(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-bench-store-'));
  const store = openSqliteStore(join(dir, 'state.db'));
  try {
    return await measureRawInsertRate(store, RAW_INSERTS);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const mark = (ok: boolean) => (ok ? 'ok' : 'MISS');

async function main(): Promise<void> {
  console.log(`k8ts API benchmark${quick ? ' (--quick)' : ''}: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const loadBefore = loadavg()[0];
  const cluster: Cluster = await startCluster({ readyTimeoutMs: 60_000 });
  const tls = cluster.adminTls();
  const results: Record<string, unknown> = {};
  try {
    const pool = new SessionPool(cluster.port, tls, Math.ceil(64 / STREAMS_PER_SESSION));
    // Warm-up (JIT, caches), not measured.
    await createNamespace(pool.at(0), 'bench-warm');
    await runCreates(pool, 'bench-warm', Math.min(300, CREATES), 16);
    await deleteNamespace(pool.at(0), 'bench-warm');

    const creates: CreateResult[] = [];
    for (const c of LEVELS) {
      const ns = `bench-c${c}`;
      await createNamespace(pool.at(0), ns);
      // Workers w use session w % sessions; with c workers, use ceil(c / STREAMS_PER_SESSION) sessions.
      const levelPool = new SessionPool(cluster.port, tls, Math.ceil(c / STREAMS_PER_SESSION));
      const r = await runCreates(levelPool, ns, CREATES, c);
      levelPool.close();
      const namespaceDeleteMs = await deleteNamespace(pool.at(0), ns);
      creates.push({ ...r, namespaceDeleteMs });
      console.log(`  creates @${c}: ${fmt(r.perSecond, 0)}/s p50 ${fmt(r.p50Ms, 2)} ms p99 ${fmt(r.p99Ms, 2)} ms, client CPU ${fmt(r.clientCpuCores, 2)} cores${r.errors ? ` (${r.errors} errors: ${r.firstError})` : ''}`);
    }
    results.creates = creates;

    const list = await runList(pool);
    results.list = list;
    console.log(`  LIST ${list.pods}: median ${fmt(list.medianMs)} ms (first byte ${fmt(list.firstByteMedianMs)} ms)`);

    const watch = await runWatch(cluster.port, tls, pool);
    results.watch = watch;
    console.log(`  watch: p50 ${fmt(watch.p50Ms, 2)} ms p99 ${fmt(watch.p99Ms, 2)} ms`);
    pool.close();

    const raw = await rawInsertRate();
    const at64 = creates.find((c) => c.concurrency === 64)!;
    results.store = { rawInsertsPerSecond: raw, inserts: RAW_INSERTS, apiToRawRatio: at64.perSecond / raw };

    const rows: string[][] = [
      ['measure', 'value', 'goal', ''],
      ...creates.map((c) => [
        `pod creates, ${c.concurrency} client${c.concurrency > 1 ? 's' : ''}`,
        `${fmt(c.perSecond, 0)}/s  p50 ${fmt(c.p50Ms, 2)} ms  p99 ${fmt(c.p99Ms, 2)} ms  (client ${fmt(c.clientCpuCores, 2)} cores)${c.errors ? `  (${c.errors} errors)` : ''}`,
        c.concurrency === 64 ? `≥${GOALS.createsPerSecAt64}/s, p99 ≤${GOALS.p99Ms} ms` : `p99 ≤${GOALS.p99Ms} ms`,
        c.concurrency === 64 ? mark(c.perSecond >= GOALS.createsPerSecAt64 && c.p99Ms <= GOALS.p99Ms && !c.errors) : mark(c.p99Ms <= GOALS.p99Ms && !c.errors),
      ]),
      [`LIST ${list.pods} pods (JSON, median of 5)`, `${fmt(list.medianMs)} ms  (first byte ${fmt(list.firstByteMedianMs)} ms, ${(list.bytes / 2 ** 20).toFixed(1)} MiB)`, `≤${GOALS.list10kMs} ms`, mark(list.medianMs <= GOALS.list10kMs)],
      [`watch delivery, ${watch.watchers} watchers × ${watch.events}`, `p50 ${fmt(watch.p50Ms, 2)} ms  p99 ${fmt(watch.p99Ms, 2)} ms${watch.missing ? `  (${watch.missing} missing)` : ''}`, '', ''],
      ['raw store inserts (SQLite, 1 writer)', `${fmt(raw, 0)}/s`, '', ''],
      ['API creates @64 / raw store inserts', `${fmt(at64.perSecond / raw, 2)}`, '', ''],
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    console.log('');
    for (const [i, r] of rows.entries()) {
      console.log(r.map((cell, j) => cell.padEnd(widths[j])).join('  ').trimEnd());
      if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    }

    const out = join(dirname(fileURLToPath(import.meta.url)), 'results');
    mkdirSync(out, { recursive: true });
    const file = join(out, `api-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({
      when: new Date().toISOString(),
      quick,
      machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: loadavg()[0] },
      parameters: { creates: CREATES, levels: LEVELS, streamsPerSession: STREAMS_PER_SESSION, list: LIST_SIZE, watchers: WATCHERS, watchEvents: WATCH_EVENTS, rawInserts: RAW_INSERTS },
      goals: GOALS,
      results,
    }, null, 2) + '\n');
    console.log(`\nload average (1 min) before ${loadBefore.toFixed(1)}, after ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs: other work on the machine skews every figure`);
    console.log(`wrote ${file}`);
  } finally {
    await cluster.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
