import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StartEtcdOptions {
  /** The member's data directory (created if missing; reused across restarts). */
  dataDir: string;
  /** Loopback client port; default: a free one. */
  clientPort?: number;
  /** Loopback peer port; default: a free one. */
  peerPort?: number;
  /** Member name; default 'default'. */
  name?: string;
  /** The --initial-cluster value (name=peerURL,…); default: this member alone. */
  initialCluster?: string;
  /** --initial-cluster-token; members of one cluster share it. Default 'k8ts'. */
  clusterToken?: string;
  /** Raft heartbeat and election timeout in ms (etcd's defaults: 100 / 1000). */
  heartbeatMs?: number;
  electionTimeoutMs?: number;
  /** How long to wait for the member to be healthy. Default 20 s. */
  readyTimeoutMs?: number;
  /** Don't wait for health (a cluster member can only be healthy once a quorum runs). */
  noWait?: boolean;
  /** Serve clients over https with these PEM files; with `ca`, clients must present a certificate it signed. */
  tls?: { cert: string; key: string; ca?: string };
}

export interface EtcdProcess {
  /** The client URL, http://127.0.0.1:<clientPort>. */
  endpoint: string;
  pid: number;
  name: string;
  clientPort: number;
  peerPort: number;
  dataDir: string;
  /** The options it was started with, ports filled in: pass them to startEtcd again to restart the member. */
  options: StartEtcdOptions;
  /** Resolves when healthy (it already is, unless started with noWait). */
  ready: Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL (a crash); resolves once the process has exited. */
  kill(): Promise<void>;
  /** The last lines etcd wrote to stderr, for error messages. */
  logTail(): string;
}

/** The etcd binary: $ETCD_BIN, else `etcd` on PATH (Debian's etcd-server puts it at /usr/bin/etcd). */
export const etcdBinary = (): string => process.env.ETCD_BIN || 'etcd';

/** A directory for throwaway test data: /dev/shm (tmpfs: fsync is free, and a killed process loses nothing) if there is one. */
export const scratchDir = (): string => (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());

/** Whether etcd can be run here (for skipping tests with a clear message). */
export function etcdAvailable(): boolean {
  const res = spawnSync(etcdBinary(), ['--version'], { encoding: 'utf8' });
  return res.status === 0 && /etcd Version: 3\./.test(res.stdout);
}

/**
 * Starts one etcd member on loopback and waits until it is healthy.
 *
 *   const etcd = await startEtcd({ dataDir: mkdtempSync(join(tmpdir(), 'etcd-')) });
 *   const store = await openEtcdStore({ endpoints: [etcd.endpoint] });
 *   ...
 *   await etcd.stop();
 */
export async function startEtcd(options: StartEtcdOptions): Promise<EtcdProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      // A port picked free may be taken before etcd binds it: pick again (only ports we picked).
      const picked = options.clientPort === undefined || options.peerPort === undefined;
      if (!picked || attempt >= 3 || !/address already in use/.test(String(err))) throw err;
    }
  }
}

async function startOnce(options: StartEtcdOptions): Promise<EtcdProcess> {
  const name = options.name ?? 'default';
  const clientPort = options.clientPort ?? (await freePort());
  const peerPort = options.peerPort ?? (await freePort());
  const clientUrl = `${options.tls ? 'https' : 'http'}://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const args = [
    `--name=${name}`,
    `--data-dir=${options.dataDir}`,
    `--listen-client-urls=${clientUrl}`,
    `--advertise-client-urls=${clientUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=${options.initialCluster ?? `${name}=${peerUrl}`}`,
    `--initial-cluster-token=${options.clusterToken ?? 'k8ts'}`,
    '--initial-cluster-state=new',
    `--heartbeat-interval=${options.heartbeatMs ?? 100}`,
    `--election-timeout=${options.electionTimeoutMs ?? 1000}`,
    '--logger=zap',
    '--log-outputs=stderr',
    '--log-level=warn',
    ...(options.tls ? [`--cert-file=${options.tls.cert}`, `--key-file=${options.tls.key}`] : []),
    ...(options.tls?.ca ? [`--trusted-ca-file=${options.tls.ca}`, '--client-cert-auth'] : []),
  ];
  const child = spawn(etcdBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const tail: string[] = [];
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    tail.push(...chunk.split('\n').filter(Boolean));
    if (tail.length > 40) tail.splice(0, tail.length - 40);
  });
  // A test process that dies of an uncaught error or calls process.exit() does not leave members running.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.removeListener('exit', killOnExit);
      resolve();
    }),
  );
  const spawned = await new Promise<number>((resolve, reject) => {
    child.once('spawn', () => resolve(child.pid!));
    child.once('error', (err) => reject(new Error(`startEtcd: cannot run ${etcdBinary()}: ${err.message}`)));
  });
  const proc: EtcdProcess = {
    endpoint: clientUrl,
    pid: spawned,
    name,
    clientPort,
    peerPort,
    dataDir: options.dataDir,
    options: { ...options, name, clientPort, peerPort },
    ready: Promise.resolve(),
    stop: () => terminate(child, exited, 'SIGTERM'),
    kill: () => terminate(child, exited, 'SIGKILL'),
    logTail: () => tail.join('\n'),
  };
  proc.ready = waitHealthy(proc, child, options.readyTimeoutMs ?? 20_000, options.tls);
  proc.ready.catch(() => {}); // observed by the caller (or below)
  if (!options.noWait) {
    try {
      await proc.ready;
    } catch (err) {
      await proc.kill();
      throw err;
    }
  }
  return proc;
}

export interface StartClusterOptions extends Pick<StartEtcdOptions, 'heartbeatMs' | 'electionTimeoutMs' | 'readyTimeoutMs'> {
  /** Where the cluster's temp dir goes (default: the OS temp dir; tests use /dev/shm to spare the disk's fsyncs). */
  baseDir?: string;
}

export interface EtcdCluster {
  members: EtcdProcess[];
  endpoints: string[];
  /** The index in `members` of the current leader (asks each running member). */
  leader(): Promise<number>;
  /** Stops every member and removes the data directories. */
  stop(): Promise<void>;
}

/**
 * Starts an `size`-member etcd cluster on loopback (data under a fresh temp dir) and waits until every member is
 * healthy. Members are named m0, m1, …; restart one with startEtcd(cluster.members[i].options).
 *
 *   const cluster = await startEtcdCluster(3);
 *   await cluster.members[await cluster.leader()]!.kill();
 */
export async function startEtcdCluster(size: number, options: StartClusterOptions = {}): Promise<EtcdCluster> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`startEtcdCluster: size must be a positive integer, got ${size}`);
  const { baseDir, ...memberOptions } = options;
  const root = mkdtempSync(join(baseDir ?? tmpdir(), 'k8ts-etcd-cluster-'));
  const ports = await Promise.all(Array.from({ length: size }, async () => ({ client: await freePort(), peer: await freePort() })));
  const initialCluster = ports.map((p, i) => `m${i}=http://127.0.0.1:${p.peer}`).join(',');
  const clusterToken = `k8ts-${process.pid}-${Date.now()}`;
  const members: EtcdProcess[] = [];
  const cluster: EtcdCluster = {
    members,
    endpoints: ports.map((p) => `http://127.0.0.1:${p.client}`),
    leader: () => findLeader(members),
    stop: async () => {
      await Promise.all(members.map((m) => m.stop()));
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    for (const [i, p] of ports.entries()) {
      members.push(
        await startEtcd({
          ...memberOptions,
          dataDir: join(root, `m${i}`),
          name: `m${i}`,
          clientPort: p.client,
          peerPort: p.peer,
          initialCluster,
          clusterToken,
          noWait: true,
        }),
      );
    }
    await Promise.all(members.map((m) => m.ready));
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

/** Asks each member (over etcd's JSON gateway) who leads; returns the leader's index in `members`. */
export async function findLeader(members: EtcdProcess[], timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ids = await Promise.all(members.map((m) => memberStatus(m.endpoint).catch(() => undefined)));
    const leader = ids.find((s) => s && s.leader !== '0')?.leader;
    const index = ids.findIndex((s) => s?.member === leader);
    if (leader && index >= 0) return index;
    if (Date.now() > deadline) throw new Error(`findLeader: no leader among ${members.map((m) => m.endpoint).join(', ')} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function memberStatus(endpoint: string): Promise<{ member: string; leader: string }> {
  const res = await fetch(`${endpoint}/v3/maintenance/status`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(1_000) });
  const body = (await res.json()) as { header?: { member_id?: string }; leader?: string };
  return { member: body.header?.member_id ?? '', leader: body.leader ?? '0' };
}

async function waitHealthy(proc: EtcdProcess, child: ChildProcess, timeoutMs: number, tls: StartEtcdOptions['tls']): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`etcd ${proc.name} (${proc.endpoint}) exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${proc.logTail()}`);
    }
    try {
      const body = JSON.parse(await getText(`${proc.endpoint}/health`, tls)) as { health?: string };
      if (body.health === 'true') return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`etcd ${proc.name} (${proc.endpoint}) not healthy after ${timeoutMs} ms:\n${proc.logTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** GET over http or https; with TLS, the member's own certificate doubles as the client certificate (etcd's are for both). */
function getText(url: string, tls: StartEtcdOptions['tls']): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = tls
      ? { ca: tls.ca ? readFileSync(tls.ca) : undefined, cert: readFileSync(tls.cert), key: readFileSync(tls.key), rejectUnauthorized: !!tls.ca, timeout: 1_000 }
      : { timeout: 1_000 };
    const req = (url.startsWith('https:') ? httpsGet : httpGet)(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timed out`)));
    req.on('error', reject);
  });
}

async function terminate(child: ChildProcess, exited: Promise<void>, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A loopback port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
