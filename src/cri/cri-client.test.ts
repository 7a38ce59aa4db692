// CriClient against a fake CRI server on a unix socket: request/response shapes, decoding
// conventions (snake_case, enum names, numbers, defaults), error wrapping and deadlines.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { CriClient, CriError, isCriNotFound } from './cri-client.ts';

type Handler = (call: grpc.ServerUnaryCall<any, any>, cb: grpc.sendUnaryData<any>) => void;

let dir: string;
let server: grpc.Server;
let client: CriClient;
const seen: Record<string, any> = {};

const record = (name: string, reply: (req: any) => any): Handler => (call, cb) => {
  seen[name] = call.request;
  cb(null, reply(call.request));
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8ts-cri-fake-'));
  const def = protoLoader.loadSync(fileURLToPath(new URL('./runtime.proto', import.meta.url)), { keepCase: true, longs: Number, enums: String, defaults: true });
  const pkg = grpc.loadPackageDefinition(def) as any;
  server = new grpc.Server();
  server.addService(pkg.runtime.v1.RuntimeService.service, {
    Version: record('Version', () => ({ version: '0.1.0', runtime_name: 'fake', runtime_version: '9.9', runtime_api_version: 'v1' })),
    RunPodSandbox: record('RunPodSandbox', () => ({ pod_sandbox_id: 'sb-1' })),
    PodSandboxStatus: record('PodSandboxStatus', (req) => ({
      status: { id: req.pod_sandbox_id, state: 'SANDBOX_READY', created_at: 1_764_000_000_123_456_789, network: { ip: '10.42.0.5' } },
    })),
    ListPodSandbox: record('ListPodSandbox', () => ({ items: [{ id: 'sb-1', state: 1 }] })),
    ContainerStatus: (call: grpc.ServerUnaryCall<any, any>, cb: grpc.sendUnaryData<any>) =>
      cb({ code: grpc.status.NOT_FOUND, details: `an error occurred when try to find container "${call.request.container_id}": not found` }),
    StopContainer: () => { /* never answers: the client's deadline must fire */ },
    ExecSync: record('ExecSync', () => ({ stdout: Buffer.from('out'), stderr: Buffer.alloc(0), exit_code: 3 })),
  });
  server.addService(pkg.runtime.v1.ImageService.service, {
    ImageStatus: record('ImageStatus', (req) => (req.image.image === 'present:1' ? { image: { id: 'sha256:abc', repo_tags: ['present:1'], size: 42 } } : {})),
  });
  const socket = join(dir, 'cri.sock');
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())));
  client = new CriClient(socket);
});

after(() => {
  client?.close();
  server?.forceShutdown();
  rmSync(dir, { recursive: true, force: true });
});

test('version sends the CRI API version and decodes snake_case fields', async () => {
  const v = await client.version();
  assert.equal(seen.Version.version, 'v1');
  assert.deepEqual(v, { version: '0.1.0', runtime_name: 'fake', runtime_version: '9.9', runtime_api_version: 'v1' });
});

test('runPodSandbox sends the config and resolves to the sandbox id', async () => {
  const id = await client.runPodSandbox({
    metadata: { name: 'web', uid: 'u1', namespace: 'default' },
    hostname: 'web',
    port_mappings: [{ protocol: 'UDP', container_port: 53, host_port: 5353 }],
    linux: { cgroup_parent: '/k8ts/podu1' },
  });
  assert.equal(id, 'sb-1');
  const req = seen.RunPodSandbox;
  assert.equal(req.config.metadata.uid, 'u1');
  assert.equal(req.config.port_mappings[0].protocol, 'UDP');
  assert.equal(req.config.linux.cgroup_parent, '/k8ts/podu1');
});

test('responses: enums as names, int64 as numbers, defaults filled, absent messages null', async () => {
  const s = await client.podSandboxStatus('sb-1');
  assert.equal(s.status?.state, 'SANDBOX_READY');
  assert.equal(typeof s.status?.created_at, 'number');
  assert.ok(Math.abs(s.status!.created_at - 1_764_000_000_123_456_789) < 512);
  assert.equal(s.status?.network?.ip, '10.42.0.5');
  assert.deepEqual(s.status?.labels, {});
  assert.equal(s.status?.linux, null);
  assert.deepEqual(s.containers_statuses, []);
  const list = await client.listPodSandbox({ label_selector: { app: 'web' } });
  assert.equal(list[0]!.state, 'SANDBOX_NOTREADY');
  assert.deepEqual(seen.ListPodSandbox.filter.label_selector, { app: 'web' });
});

test('errors are CriErrors naming the RPC, the object and the gRPC code', async () => {
  await assert.rejects(client.containerStatus('c-42'), (err: unknown) => {
    assert.ok(err instanceof CriError);
    assert.equal(err.code, grpc.status.NOT_FOUND);
    assert.equal(err.method, 'ContainerStatus');
    assert.equal(err.subject, 'container c-42');
    assert.ok(isCriNotFound(err));
    assert.match(err.message, /^CRI ContainerStatus container c-42: NOT_FOUND: .*"c-42": not found/);
    return true;
  });
});

test('every call has a deadline', async () => {
  const t0 = Date.now();
  await assert.rejects(client.stopContainer('c-1', 0, { timeoutMs: 150 }), (err: unknown) => {
    assert.ok(err instanceof CriError);
    assert.equal(err.code, grpc.status.DEADLINE_EXCEEDED);
    assert.match(err.message, /CRI StopContainer container c-1: DEADLINE_EXCEEDED/);
    return true;
  });
  assert.ok(Date.now() - t0 < 2000);
});

test('imageStatus resolves to null when the image is absent', async () => {
  assert.equal(await client.imageStatus('absent:1'), null);
  const img = await client.imageStatus('present:1');
  assert.equal(img?.id, 'sha256:abc');
  assert.equal(img?.size, 42);
});

test('execSync returns buffers and the exit code', async () => {
  const r = await client.execSync('c-1', ['sh', '-c', 'exit 3'], 5);
  assert.deepEqual(seen.ExecSync.cmd, ['sh', '-c', 'exit 3']);
  assert.equal(seen.ExecSync.timeout, 5);
  assert.equal(r.stdout.toString(), 'out');
  assert.equal(r.exit_code, 3);
});

test('a call on a socket nobody listens on fails as UNAVAILABLE', async () => {
  const c = new CriClient(join(dir, 'nobody.sock'));
  try {
    await assert.rejects(c.version({ timeoutMs: 500 }), (err: unknown) => err instanceof CriError &&
      (err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.DEADLINE_EXCEEDED));
  } finally {
    c.close();
  }
});
