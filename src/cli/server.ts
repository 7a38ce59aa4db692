/**
 * `k8ts server`: the control plane in one process. Opens the store (DATA/state.db), builds the registry, bootstraps
 * the default namespaces, starts the controllers and the HTTPS API, writes DATA/admin.kubeconfig and DATA/node-token,
 * then prints a line containing `ready`. SIGTERM/SIGINT stop everything and exit 0.
 *
 *   const cp = await startControlPlane({ dataDir: '/tmp/k8ts', port: 0 });   // in-process (tests, bench, `up`)
 *   await cp.stop();
 */
import { mkdir } from 'node:fs/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { ensureNodeToken, writeAdminKubeconfig } from '../apiserver/kubeconfig.ts';
import { log as defaultLog, type Logger } from '../apiserver/log.ts';
import { AGENT_SECRET_HEADER, agentSecret } from '../agent/agent-server.ts';
import { createNodeProxy } from '../apiserver/node-proxy.ts';
import { ensurePki } from '../apiserver/pki.ts';
import { startApiServer, type ApiServer, type RestProvider } from '../apiserver/server.ts';
import { LocalClient } from '../client/local-client.ts';
import { startControllers } from '../controllers/controllers.ts';
import { startScheduler } from '../scheduler/scheduler.ts';
import { createRegistry } from '../registry/registry.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { listFlag, parseArgs, portFlag, stringFlag, UsageError } from './args.ts';
import { DEFAULT_DATA_DIR } from './kubeconfig.ts';

export interface ControlPlaneOptions {
  dataDir: string;
  port: number;
  bindAddress?: string;
  tlsSans?: string[];
  store?: 'sqlite' | 'etcd';
  etcdEndpoints?: string[];
  /** Run the scheduler in this process (default true). */
  scheduler?: boolean;
  log?: Logger;
}

export interface ControlPlane {
  api: ApiServer;
  /** https://127.0.0.1:PORT (or the bind address). */
  url: string;
  kubeconfigPath: string;
  nodeToken: string;
  registry: RestProvider;
  stop(): Promise<void>;
}

async function openStore(opts: ControlPlaneOptions): Promise<Store> {
  if (opts.store === 'etcd') {
    // loaded only here: the etcd client is a large import a SQLite server never needs
    const { openStore: open } = await import('../store/open-store.ts');
    return open('etcd', { dataDir: opts.dataDir, etcdEndpoints: opts.etcdEndpoints?.length ? opts.etcdEndpoints : ['http://127.0.0.1:2379'] });
  }
  return openSqliteStore(join(opts.dataDir, 'state.db'));
}

/** This machine's addresses (for a server bound to all of them), minus loopback and pod-network interfaces. */
function hostAddresses(): string[] {
  const out: string[] = [];
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (/^(lo|k8ts-|cni|veth|docker|br-)/.test(name)) continue;
    for (const a of addrs ?? []) if (!a.internal && !a.address.startsWith('fe80:')) out.push(a.address);
  }
  return out;
}

/** A shutdown step with a name for the logs. */
const named = (name: string, fn: () => Promise<void> | void) => Object.defineProperty(fn, 'name', { value: name });

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const log = opts.log ?? defaultLog;
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const bind = opts.bindAddress ?? '127.0.0.1';
  const sans = [...(opts.tlsSans ?? [])];
  if (bind === '0.0.0.0' || bind === '::') sans.push(...hostAddresses());
  else if (isIP(bind)) sans.push(bind);
  const pki = await ensurePki(opts.dataDir, { sans, onCreate: (what, file) => log.info('created certificate', { what, file }) });

  const store = await openStore(opts);
  const closers: (() => Promise<void> | void)[] = [named('store', () => store.close())];
  try {
    const registry = createRegistry(store);
    closers.unshift(named('registry', () => registry.close()));
    await registry.bootstrap();
    const controllers = startControllers(registry);
    closers.unshift(named('controllers', () => controllers.stop()));
    if (opts.scheduler !== false) {
      const scheduler = startScheduler(new LocalClient(registry), { log });
      closers.unshift(named('scheduler', () => scheduler.stop()));
    }

    const nodeToken = await ensureNodeToken(opts.dataDir);
    const api = await startApiServer({
      port: opts.port,
      host: bind,
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
      resources: registry,
      tokens: new Map([[nodeToken, { name: 'k8ts-node', groups: ['system:nodes'] }]]),
      log,
    });
    closers.unshift(named('api server', () => api.close()));
    const pods = registry.rest('', 'pods')!;
    const nodes = registry.rest('', 'nodes')!;
    api.setStreamHandlers(
      createNodeProxy({
        getPod: (ns, name) => pods.get(ns, name),
        getNode: (name) => nodes.get(undefined, name),
        tls: pki.agentClient,
        headers: { [AGENT_SECRET_HEADER]: agentSecret(nodeToken) },
        log,
      }),
    );
    const host = bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind;
    const url = `https://${host.includes(':') ? `[${host}]` : host}:${api.port}`;
    const kubeconfigPath = await writeAdminKubeconfig(opts.dataDir, url, pki);

    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        for (const close of closers) {
          const t0 = Date.now();
          try {
            await close();
            log.debug('stopped', { what: close.name, ms: Date.now() - t0 });
          } catch (err) {
            log.warn('shutdown step failed', { what: close.name, error: err });
          }
        }
      })());
    return { api, url, kubeconfigPath, nodeToken, registry, stop };
  } catch (err) {
    for (const close of closers) await Promise.resolve(close()).catch(() => {});
    throw err;
  }
}

export function controlPlaneOptions(argv: string[]): ControlPlaneOptions {
  const args = parseArgs(argv, {
    'data-dir': 'string',
    port: 'string',
    'bind-address': 'string',
    'tls-san': 'list',
    store: 'string',
    'etcd-endpoints': 'list',
  });
  if (args.positional.length) throw new UsageError(`unexpected argument: ${args.positional[0]}`);
  const store = stringFlag(args, 'store', 'K8TS_STORE', 'sqlite');
  if (store !== 'sqlite' && store !== 'etcd') throw new UsageError(`--store must be sqlite or etcd, got ${JSON.stringify(store)}`);
  const etcd = listFlag(args, 'etcd-endpoints');
  return {
    dataDir: stringFlag(args, 'data-dir', 'K8TS_DATA_DIR', DEFAULT_DATA_DIR)!,
    port: portFlag(args, 'port', 'K8TS_PORT', 6443),
    bindAddress: stringFlag(args, 'bind-address', 'K8TS_BIND_ADDRESS', '127.0.0.1'),
    tlsSans: listFlag(args, 'tls-san'),
    store,
    etcdEndpoints: etcd.length ? etcd : (process.env.K8TS_ETCD_ENDPOINTS?.split(',').filter(Boolean) ?? []),
  };
}

/** Resolves on SIGTERM/SIGINT, after `stop` ran. */
export function untilSignal(stop: () => Promise<void>, log: Logger = defaultLog): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (sig: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log.info('shutting down', { signal: sig });
      const force = setTimeout(() => {
        log.warn('shutdown took too long, exiting');
        process.exit(0);
      }, 10_000);
      force.unref();
      stop().finally(() => {
        clearTimeout(force);
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        resolve();
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/** A long-running server logs what escaped every handler instead of dying with it. */
export function keepAliveOnUnhandledErrors(log: Logger = defaultLog): void {
  process.on('uncaughtException', (err) => log.error('uncaught exception', { error: err.stack ?? err.message }));
  process.on('unhandledRejection', (err) => log.error('unhandled rejection', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
}

export async function serverCommand(argv: string[]): Promise<number> {
  const opts = controlPlaneOptions(argv);
  const log = defaultLog;
  keepAliveOnUnhandledErrors(log);
  const cp = await startControlPlane({ ...opts, log });
  log.info('API server ready', { url: cp.url, kubeconfig: cp.kubeconfigPath, dataDir: opts.dataDir });
  process.stdout.write(`k8ts: API server ready at ${cp.url} (kubeconfig: ${cp.kubeconfigPath})\n`);
  await untilSignal(cp.stop, log);
  log.info('stopped');
  // Whatever a component left open (a timer, a socket) must not keep a stopped server alive.
  setTimeout(() => process.exit(0), 200).unref();
  return 0;
}
