// Spawns and supervises the agent's own containerd (as k3s does).
//
//   const ctrd = await startContainerd({ dataDir: '/var/lib/k8ts', cni: { bridge: 'k8ts0', subnet: '10.42.0.0/24' } });
//   const version = await ctrd.cri.version();
//   await ctrd.stop();
//
// Flow: check prerequisites → write config.toml (+ CNI conflist) → stop a containerd left
// over from a previous agent run (pid file) → spawn `containerd --config …` in its own process
// group, output appended to DATA/containerd/containerd.log → poll CRI Version until it
// answers. If containerd dies later it is restarted with exponential backoff. Pods survive
// containerd restarts (each pod has its own shim), so stopping containerd never stops pods.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { CriClient, CriError } from './cri-client.ts';
import { containerdPaths, renderContainerdConfig, type ContainerdPaths } from './containerd-config.ts';
import { writeCniConfig, type CniConfigOptions } from './cni-config.ts';
import { checkRuntimePrerequisites, type RuntimeBinaries } from './prerequisites.ts';

export type ContainerdLogger = (event: string, fields: Record<string, unknown>) => void;

export interface StartContainerdOptions {
  /** Absolute agent data dir; containerd's files go to DATA/containerd. */
  dataDir: string;
  /** Stream server port on 127.0.0.1 (default: a free port picked now). */
  streamServerPort?: number;
  /**
   * When given, the CNI conflist is (re)written into DATA/cni/net.d before containerd starts
   * (host-local leases default to DATA/cni/networks).
   */
  cni?: CniConfigOptions;
  /** Default /usr/lib/cni. */
  cniBinDir?: string;
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** How long to wait for CRI Version to answer after a spawn (default 20 s). */
  readyTimeoutMs?: number;
  /** Restart containerd when it dies (default true). */
  restart?: boolean;
  /**
   * Structured events: spawned, ready, exited, restarting, restart-failed, spawn-error, kill,
   * stale-stopping, stopped. Default: the failure events as JSON lines on stderr.
   */
  log?: ContainerdLogger;
}

export interface ContainerdProcess {
  readonly paths: ContainerdPaths;
  readonly socket: string;
  readonly streamServerPort: number;
  readonly binaries: RuntimeBinaries;
  /** A CRI client on the socket, shared; closed by stop(). */
  readonly cri: CriClient;
  /** PID of the current containerd, undefined while it is down. */
  readonly pid: number | undefined;
  /** How many times containerd was restarted after dying. */
  readonly restarts: number;
  /** Stops containerd by PID: SIGTERM, then SIGKILL after timeoutMs (default 5 s). Pods keep running. */
  stop(timeoutMs?: number): Promise<void>;
}

const defaultLog: ContainerdLogger = (event, fields) => {
  if (event === 'exited' || event === 'restarting' || event === 'restart-failed' || event === 'spawn-error') {
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), component: 'containerd', event, ...fields }) + '\n');
  }
};

/** A free TCP port on 127.0.0.1 (bound and released; a tiny race is acceptable). */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await sleep(20);
  }
  return !isAlive(pid);
}

/** Kills a containerd a previous agent run left behind with this same config (pid file + cmdline check). */
async function stopStaleContainerd(paths: ContainerdPaths, pidFile: string, log: ContainerdLogger): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 1) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return; // not running
  }
  if (!cmdline.includes(paths.config)) return; // pid reused by something else
  log('stale-stopping', { pid });
  process.kill(pid, 'SIGTERM');
  if (!(await waitForExit(pid, 5000))) {
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid, 2000);
  }
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function grepLog(file: string, re: RegExp): string {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => re.test(l) && !l.includes('Start cri plugin with config')).slice(-10).join('\n');
  } catch {
    return '';
  }
}

export async function startContainerd(opts: StartContainerdOptions): Promise<ContainerdProcess> {
  const log = opts.log ?? defaultLog;
  const binaries = checkRuntimePrerequisites({ cniBinDir: opts.cniBinDir });
  const paths = containerdPaths(opts.dataDir);
  const pidFile = join(paths.dir, 'containerd.pid');
  for (const dir of [paths.dir, paths.root, paths.state, paths.certsDir, paths.optDir, paths.cniConfDir]) {
    mkdirSync(dir, { recursive: true });
  }
  const streamServerPort = opts.streamServerPort ?? (await freeLoopbackPort());
  writeFileSync(paths.config, renderContainerdConfig({
    dataDir: opts.dataDir,
    streamServerPort,
    runcPath: binaries.runc,
    cniBinDir: binaries.cniBinDir,
    logLevel: opts.logLevel,
  }));
  if (opts.cni) writeCniConfig(paths.cniConfDir, { ipamDataDir: paths.ipamDataDir, ...opts.cni });
  await stopStaleContainerd(paths, pidFile, log);

  const cri = new CriClient(paths.socket, { timeoutMs: 30_000 });
  const readyTimeoutMs = opts.readyTimeoutMs ?? 20_000;
  const restartEnabled = opts.restart ?? true;

  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let backoffMs = 250;
  let restartTimer: NodeJS.Timeout | undefined;
  let startedAt = 0;

  const spawnOnce = (): ChildProcess => {
    rmSync(paths.socket, { force: true }); // a stale socket would make the readiness poll fire too early
    const fd = openSync(paths.log, 'a');
    try {
      const c = spawn(binaries.containerd, ['--config', paths.config], {
        detached: true, // own process group: a ^C on the agent's terminal does not hit containerd
        stdio: ['ignore', fd, fd],
        env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/usr/bin:/sbin:/bin` },
      });
      startedAt = Date.now();
      if (c.pid !== undefined) writeFileSync(pidFile, `${c.pid}\n`);
      log('spawned', { pid: c.pid, config: paths.config });
      c.once('exit', (code, signal) => onExit(c, code, signal));
      c.once('error', (err) => {
        // Spawn failures (e.g. the binary vanished) emit 'error' and no 'exit'.
        log('spawn-error', { error: err.message });
        if (c.pid === undefined) onExit(c, null, null);
      });
      return c;
    } finally {
      closeSync(fd);
    }
  };

  const onExit = (c: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void => {
    if (child === c) child = undefined;
    if (stopping) return;
    log('exited', { pid: c.pid, code, signal, logTail: tail(paths.log, 5) });
    if (!restartEnabled) return;
    if (Date.now() - startedAt > 30_000) backoffMs = 250; // it ran a while: start the backoff over
    const delay = backoffMs;
    backoffMs = Math.min(backoffMs * 2, 10_000);
    log('restarting', { inMs: delay, restarts: restarts + 1 });
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (stopping) return;
      restarts++;
      try {
        child = spawnOnce();
      } catch (err) {
        log('restart-failed', { error: String(err) });
      }
    }, delay);
    restartTimer.unref?.();
  };

  const waitReady = async (c: ChildProcess): Promise<void> => {
    const until = Date.now() + readyTimeoutMs;
    let lastErr: unknown;
    // Wait for the socket file first: a gRPC call on a missing socket puts the channel into
    // reconnect backoff (~1 s), which would dominate a ~20 ms containerd start.
    while (Date.now() < until && !existsSync(paths.socket) && c.exitCode === null && c.signalCode === null) {
      await sleep(5);
    }
    while (Date.now() < until) {
      if (c.exitCode !== null || c.signalCode !== null) {
        throw new Error(`containerd (pid ${c.pid}) exited during start-up (code ${c.exitCode}, signal ${c.signalCode}); ` +
          `last lines of ${paths.log}:\n${tail(paths.log)}`);
      }
      try {
        await cri.version({ timeoutMs: 1000 });
        return;
      } catch (err) {
        lastErr = err;
        // containerd serves its socket only once every plugin has loaded, so UNIMPLEMENTED
        // means the CRI plugin failed to load: waiting longer will not help.
        if (err instanceof CriError && err.code === grpc.status.UNIMPLEMENTED) {
          throw new Error(`containerd (pid ${c.pid}) runs without its CRI plugin (${err.details}); ` +
            `CRI plugin errors from ${paths.log}:\n${grepLog(paths.log, /io\.containerd\.grpc\.v1\.cri|level=(error|fatal)/)}`);
        }
        await sleep(10);
      }
    }
    throw new Error(`containerd (pid ${c.pid}) did not answer CRI Version on ${paths.socket} within ${readyTimeoutMs} ms: ` +
      `${String(lastErr)}; last lines of ${paths.log}:\n${tail(paths.log)}`);
  };

  const stop = async (timeoutMs = 5000): Promise<void> => {
    stopping = true;
    if (restartTimer) clearTimeout(restartTimer);
    const c = child;
    cri.close();
    if (c?.pid !== undefined && c.exitCode === null && c.signalCode === null) {
      const pid = c.pid;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); }),
      ]);
      clearTimeout(timer);
      if (!killed) {
        log('kill', { pid });
        try {
          process.kill(pid, 'SIGKILL');
        } catch { /* already gone */ }
        await exited;
      }
    }
    child = undefined;
    rmSync(pidFile, { force: true });
    log('stopped', { pid: c?.pid });
  };

  const t0 = performance.now();
  child = spawnOnce();
  try {
    await waitReady(child);
  } catch (err) {
    await stop();
    throw err;
  }
  log('ready', { pid: child.pid, ms: Math.round(performance.now() - t0) });

  return {
    paths,
    socket: paths.socket,
    streamServerPort,
    binaries,
    cri,
    get pid() {
      return child?.pid;
    },
    get restarts() {
      return restarts;
    },
    stop,
  };
}
