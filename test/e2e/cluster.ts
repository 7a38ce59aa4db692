/**
 * E2E harness: starts a real `bin/k8ts` on a free port in a temp data dir and drives it with the stock kubectl.
 *
 *   const cluster = await startCluster();            // bin/k8ts server --data-dir <tmp> --port <free>
 *   const r = await cluster.kubectl(['get', 'pods']); // {code, stdout, stderr}
 *   await cluster.stop();                            // SIGTERM, SIGKILL after 5 s, temp dir removed
 *
 * Each cluster gets its own HOME and kubectl --cache-dir, so discovery and OpenAPI are always fetched fresh,
 * and no KUBECONFIG / KUBECTL_* from the caller's environment leaks in.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import https from 'node:https';
import http2 from 'node:http2';
import { parse as parseYaml } from 'yaml';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The k8ts executable under test (override with K8TS_E2E_BIN, e.g. an installed `k8ts`). */
export const k8tsBin = process.env.K8TS_E2E_BIN ?? join(repoRoot, 'bin', 'k8ts');
export const kubectlBin = process.env.K8TS_E2E_KUBECTL ?? 'kubectl';

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** Text written to kubectl's stdin (then stdin is closed). */
  stdin?: string;
  /** Don't throw on a non-zero exit; return the result instead. */
  allowFail?: boolean;
  /** Milliseconds before kubectl is killed (default 30 s). */
  timeoutMs?: number;
}

/** A long-running kubectl (e.g. `get -w`): output accumulates; wait for text, then kill. */
export interface KubectlProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches; rejects after timeoutMs with what was seen. */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
}

/** Client TLS material taken from the admin kubeconfig. */
export interface AdminTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  server: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

export interface Cluster {
  dataDir: string;
  port: number;
  kubeconfig: string;
  /** Where this cluster's kubectl keeps HOME and its cache. */
  clientDir: string;
  kubectl(args: string[], options?: KubectlOptions): Promise<KubectlResult>;
  spawnKubectl(args: string[]): KubectlProcess;
  /** Client cert/key/CA from admin.kubeconfig. */
  adminTls(): AdminTls;
  /** One HTTPS/1.1 request to the server; `auth: false` sends no client certificate. */
  request(method: string, path: string, options?: { body?: string | Buffer; contentType?: string; auth?: boolean; headers?: Record<string, string> }): Promise<RawResponse>;
  /** Server output so far (stdout + stderr interleaved), for diagnostics. */
  serverLog(): string;
  /** Stops the server (SIGTERM) and starts it again on the same data dir and port; returns how the old one exited. */
  restart(): Promise<ExitInfo>;
  /** Stops the server (SIGTERM, SIGKILL after 5 s) and removes the temp dirs; returns how it exited. */
  stop(): Promise<ExitInfo | undefined>;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when SIGTERM was not enough and the process had to be killed. */
  killed: boolean;
}

export interface StartOptions {
  verb?: 'server' | 'up';
  /** Extra flags for bin/k8ts. */
  args?: string[];
  /** Milliseconds to wait for the `ready` line (default 30 s). */
  readyTimeoutMs?: number;
  env?: Record<string, string>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** Environment for kubectl: no KUBECONFIG / KUBECTL_* / KUBECACHEDIR from the caller, a private HOME. */
export function kubectlEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'KUBECONFIG' || k === 'KUBECACHEDIR' || k.startsWith('KUBECTL_') || k === 'HOME') continue;
    if (/^(HTTPS?|ALL|NO)_PROXY$/i.test(k)) continue;
    env[k] = v;
  }
  env.HOME = home;
  env.NO_PROXY = '127.0.0.1,localhost';
  return env;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((res) => {
    const t = setTimeout(() => { child.off('exit', onExit); res(false); }, ms);
    const onExit = () => { clearTimeout(t); res(true); };
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<ExitInfo> {
  let killed = false;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    if (!(await waitExit(child, graceMs))) {
      killed = true;
      child.kill('SIGKILL');
      await waitExit(child, 2000);
    }
  }
  live.delete(child);
  return { code: child.exitCode, signal: child.signalCode, killed };
}

function tail(text: string, n = 4000): string {
  return text.length > n ? '…' + text.slice(-n) : text;
}

export async function startCluster(options: StartOptions = {}): Promise<Cluster> {
  const verb = options.verb ?? 'server';
  const root = mkdtempSync(join(tmpdir(), 'k8ts-e2e-'));
  const dataDir = join(root, 'data');
  const clientDir = join(root, 'client');
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(clientDir, { recursive: true });
  const port = await freePort();
  const kubeconfig = join(dataDir, 'admin.kubeconfig');
  const cacheDir = join(clientDir, 'cache');

  let log = '';
  const appendLog = (c: string) => { log = tail(log + c, 200_000); };
  // bin/k8ts is a node script: run it with this node; an override (K8TS_E2E_BIN) is executed as it is.
  // K8TS_E2E_NODE_ARGS adds node flags for the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
  const nodeArgs = (process.env.K8TS_E2E_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const [cmd, pre] = process.env.K8TS_E2E_BIN ? [k8tsBin, []] : [process.execPath, [...nodeArgs, k8tsBin]];
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;

  /** Spawns the server and resolves once it printed `ready`, wrote the kubeconfig and answers /readyz. */
  const launch = async (): Promise<ChildProcess> => {
    let own = ''; // this process's output (the shared log is capped, so offsets into it are not stable)
    const proc = spawn(cmd, [...pre, verb, '--data-dir', dataDir, '--port', String(port), ...(options.args ?? [])], {
      cwd: repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(proc);
    const append = (c: string) => { appendLog(c); own = tail(own + c, 20_000); };
    proc.stdout!.setEncoding('utf8').on('data', append);
    proc.stderr!.setEncoding('utf8').on('data', append);
    const fail = async (why: string): Promise<never> => {
      await stopChild(proc, 5000);
      proc.stdout!.off('data', append);
      proc.stderr!.off('data', append);
      throw new Error(`k8ts ${verb} ${why}; output:\n${tail(own)}`);
    };
    const outcome = await new Promise<string | undefined>((res) => {
      const timer = setTimeout(() => done(`not ready after ${readyTimeoutMs} ms`), readyTimeoutMs);
      const onData = () => { if (/\bready\b/i.test(own)) done(undefined); };
      const onExit = (code: number | null, signal: string | null) => done(`exited (code ${code}, signal ${signal}) before ready`);
      const onError = (err: Error) => done(`could not be started: ${err.message}`);
      const done = (why: string | undefined) => {
        clearTimeout(timer);
        proc.stdout!.off('data', onData);
        proc.stderr!.off('data', onData);
        proc.off('exit', onExit);
        proc.off('error', onError);
        res(why);
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', onExit);
      proc.once('error', onError);
    });
    if (outcome) return fail(outcome);
    // The kubeconfig is written before `ready` per the contract; allow a short grace for slow disks.
    for (let i = 0; i < 50 && !existsSync(kubeconfig); i++) await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(kubeconfig)) return fail(`printed ready but ${kubeconfig} does not exist`);
    // `ready` was printed: the API must answer /readyz with 200 now (poll briefly in case the line came early).
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      const last = await request('GET', '/readyz').then((r) => `${r.status} ${r.body.trim()}`, (err: Error) => err.message);
      if (last.startsWith('200')) return proc;
      if (Date.now() > deadline || proc.exitCode !== null) return fail(`printed ready but GET /readyz never answered 200 (last: ${last})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const env = kubectlEnv(clientDir);
  const baseArgs = ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir];

  const kubectl = (args: string[], opts: KubectlOptions = {}): Promise<KubectlResult> =>
    new Promise((res, rej) => {
      const kc = spawn(kubectlBin, [...baseArgs, ...args], { env, cwd: clientDir, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      kc.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
      kc.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
      const timeoutMs = opts.timeoutMs ?? 30_000;
      let timedOut = false;
      const timer = setTimeout(() => { timedOut = true; kc.kill('SIGKILL'); }, timeoutMs);
      kc.on('error', (err) => { clearTimeout(timer); rej(err); });
      kc.on('close', (code) => {
        clearTimeout(timer);
        const result = { code, stdout, stderr };
        const cmd = `kubectl ${args.join(' ')}`;
        if (timedOut) return rej(new Error(`${cmd}: timed out after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
        if (code !== 0 && !opts.allowFail) return rej(new Error(`${cmd}: exit ${code}\nstdout: ${stdout}\nstderr: ${stderr}`));
        res(result);
      });
      kc.stdin.on('error', () => { /* kubectl may exit before reading stdin */ });
      if (opts.stdin !== undefined) kc.stdin.end(opts.stdin);
      else kc.stdin.end();
    });

  const spawnKubectl = (args: string[]): KubectlProcess => {
    const kc = spawn(kubectlBin, [...baseArgs, ...args], { env, cwd: clientDir, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(kc);
    let out = '';
    let err = '';
    kc.stdout!.setEncoding('utf8').on('data', (c: string) => { out += c; });
    kc.stderr!.setEncoding('utf8').on('data', (c: string) => { err += c; });
    return {
      child: kc,
      stdout: () => out,
      stderr: () => err,
      waitFor: (pattern, timeoutMs = 15_000) =>
        new Promise((res, rej) => {
          const test = () => (typeof pattern === 'string' ? out.includes(pattern) : pattern.test(out));
          if (test()) return res(out);
          const onData = () => { if (test()) { done(); res(out); } };
          const onExit = () => { done(); rej(new Error(`kubectl ${args.join(' ')} exited (${kc.exitCode}) before ${pattern}\nstdout: ${out}\nstderr: ${err}`)); };
          const timer = setTimeout(() => { done(); rej(new Error(`kubectl ${args.join(' ')}: no ${pattern} within ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`)); }, timeoutMs);
          const done = () => { clearTimeout(timer); kc.stdout!.off('data', onData); kc.off('exit', onExit); };
          kc.stdout!.on('data', onData);
          kc.once('exit', onExit);
        }),
      kill: async () => { await stopChild(kc, 2000); },
    };
  };

  let tls: AdminTls | undefined;
  const adminTls = (): AdminTls => {
    if (tls) return tls;
    tls = readAdminTls(kubeconfig);
    return tls;
  };

  const request: Cluster['request'] = (method, path, opts = {}) =>
    new Promise((res, rej) => {
      const t = adminTls();
      const body = opts.body === undefined ? undefined : Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body);
      const req = https.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          ca: t.ca,
          ...(opts.auth === false ? {} : { cert: t.cert, key: t.key }),
          servername: 'localhost',
          checkServerIdentity: () => undefined,
          agent: false,
          headers: {
            Accept: 'application/json',
            ...(body ? { 'Content-Type': opts.contentType ?? 'application/json', 'Content-Length': String(body.length) } : {}),
            ...opts.headers,
          },
          timeout: 15_000,
        },
        (resp) => {
          const chunks: Buffer[] = [];
          resp.on('data', (c: Buffer) => chunks.push(c));
          resp.on('end', () => res({ status: resp.statusCode ?? 0, headers: resp.headers, body: Buffer.concat(chunks).toString('utf8') }));
          resp.on('error', rej);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', rej);
      if (body) req.end(body);
      else req.end();
    });

  let child: ChildProcess;
  try {
    child = await launch();
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }

  let stopped = false;
  return {
    dataDir,
    port,
    kubeconfig,
    clientDir,
    kubectl,
    spawnKubectl,
    adminTls,
    request,
    serverLog: () => log,
    restart: async () => {
      const exit = await stopChild(child, 5000);
      tls = undefined;
      child = await launch();
      return exit;
    },
    stop: async () => {
      if (stopped) return undefined;
      stopped = true;
      const exit = await stopChild(child, 5000);
      rmSync(root, { recursive: true, force: true });
      return exit;
    },
  };
}

/** Reads the cluster CA, client certificate and key from a kubeconfig (inline *-data or file paths). */
export function readAdminTls(kubeconfigPath: string): AdminTls {
  const doc = parseYaml(readFileSync(kubeconfigPath, 'utf8')) as {
    'current-context'?: string;
    clusters?: { name: string; cluster: Record<string, string> }[];
    users?: { name: string; user: Record<string, string> }[];
    contexts?: { name: string; context: { cluster: string; user: string } }[];
  };
  const ctx = doc.contexts?.find((c) => c.name === doc['current-context']) ?? doc.contexts?.[0];
  const cluster = (doc.clusters?.find((c) => c.name === ctx?.context.cluster) ?? doc.clusters?.[0])?.cluster ?? {};
  const user = (doc.users?.find((u) => u.name === ctx?.context.user) ?? doc.users?.[0])?.user ?? {};
  const base = dirname(kubeconfigPath);
  const pick = (obj: Record<string, string>, dataKey: string, fileKey: string): Buffer => {
    if (obj[dataKey]) return Buffer.from(obj[dataKey], 'base64');
    if (obj[fileKey]) return readFileSync(resolve(base, obj[fileKey]));
    throw new Error(`${kubeconfigPath}: neither ${dataKey} nor ${fileKey} is set`);
  };
  return {
    ca: pick(cluster, 'certificate-authority-data', 'certificate-authority'),
    cert: pick(user, 'client-certificate-data', 'client-certificate'),
    key: pick(user, 'client-key-data', 'client-key'),
    server: cluster.server ?? '',
  };
}

/**
 * An HTTP/2 session to the server with the admin client certificate, with the flow-control windows Go's client
 * (kubectl) uses: 4 MiB per stream, 1 GiB per connection. Node's 64 KiB default would make a large LIST wait for
 * a WINDOW_UPDATE round trip every 64 KiB, measuring the client rather than the server.
 */
export function connectHttp2(port: number, tls: AdminTls): http2.ClientHttp2Session {
  const session = http2.connect(`https://127.0.0.1:${port}`, {
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
    servername: 'localhost',
    checkServerIdentity: () => undefined,
    settings: { initialWindowSize: 4 << 20 },
  });
  session.once('connect', () => session.setLocalWindowSize(1 << 30));
  return session;
}

/** Polls `fn` until it returns a truthy value, or throws with the last value after timeoutMs. */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Writes `content` to `<cluster.clientDir>/manifests/<name>` (creating directories) and returns the path. */
export function writeManifest(cluster: Cluster, name: string, content: string | object): string {
  const path = join(cluster.clientDir, 'manifests', name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

/** Parses `kubectl ... -o json` output. */
export function json<T = any>(result: KubectlResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON: ${result.stdout}\nstderr: ${result.stderr}`);
  }
}

/** The names in `kubectl get ... -o name` output, without the `pod/` prefix, sorted. */
export function names(result: KubectlResult): string[] {
  return result.stdout.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => l.replace(/^[^/]+\//, '')).sort();
}
