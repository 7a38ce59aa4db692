/**
 * Smoke test with the real kubectl (the dispatcher in /usr/bin) against the HTTP layer over a fake registry.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allResources } from '../api/resources.ts';
import { fakeProvider } from './fake-rest.ts';
import { writeAdminKubeconfig } from './kubeconfig.ts';
import { silentLogger } from './log.ts';
import { ensurePki } from './pki.ts';
import { startApiServer, type ApiServer } from './server.ts';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const skip = !existsSync(KUBECTL) && 'kubectl not installed';

let dir: string;
let api: ApiServer;
let kubeconfig: string;

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
      { env: { PATH: process.env.PATH, HOME: dir }, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'k8ts-kubectl-'));
  const pki = await ensurePki(dir);
  const provider = fakeProvider(allResources);
  const now = new Date().toISOString();
  provider.fakes.get('/pods')!.objects.set('default/web', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '5', creationTimestamp: now, labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
    status: { phase: 'Pending' },
  });
  api = await startApiServer({ port: 0, tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert }, resources: provider, log: silentLogger });
  kubeconfig = await writeAdminKubeconfig(dir, api.url, pki);
});

after(async () => {
  if (skip) return;
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

test('kubectl get --raw /readyz, version, api-resources, get pods', { skip }, async () => {
  const ready = await kubectl('get', '--raw', '/readyz');
  assert.equal(ready.stdout, 'ok', ready.stderr);

  const version = await kubectl('version', '-o', 'json');
  assert.equal(version.code, 0, version.stderr);
  const v = JSON.parse(version.stdout);
  assert.equal(v.serverVersion.minor, '32');
  assert.match(v.clientVersion.gitVersion, /^v1\.32\./, 'the dispatcher picked the 1.32 client');

  const resources = await kubectl('api-resources');
  assert.equal(resources.code, 0, resources.stderr);
  assert.match(resources.stdout, /^pods\s+po\s+v1\s+true\s+Pod$/m);
  assert.match(resources.stdout, /^nodes\s+no\s+v1\s+false\s+Node$/m);
  assert.match(resources.stdout, /^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);

  const pods = await kubectl('get', 'po');
  assert.equal(pods.code, 0, pods.stderr);
  assert.match(pods.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
  assert.match(pods.stdout, /^web\s+0\/1\s+Pending\s+0\s+\d+s$/m);

  const all = await kubectl('get', 'all', '-A', '--show-labels');
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /default\s+(pod\/)?web\s.*app=web/);

  // kind: List manifests go through the OpenAPI v2 validator (protobuf) even on 1.32; v3 drives explain
  const list = join(dir, 'list.json');
  await writeFile(
    list,
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'l1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }] }),
  );
  const created = await kubectl('create', '-f', list);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /pod\/l1 created/);
  const explain = await kubectl('explain', 'pod.spec');
  assert.equal(explain.code, 0, explain.stderr);
  assert.match(explain.stdout, /FIELD: spec <PodSpec>/);

  const info = await kubectl('cluster-info');
  assert.equal(info.code, 0, info.stderr);
  assert.match(info.stdout, /is running at .*https:\/\/127\.0\.0\.1:/);

  const whoami = await kubectl('auth', 'whoami');
  assert.equal(whoami.code, 0, whoami.stderr);
  assert.match(whoami.stdout, /Username\s+system:admin/);
  assert.match(whoami.stdout, /Groups\s+\[system:masters system:authenticated\]/);
  const canI = await kubectl('auth', 'can-i', 'delete', 'pods');
  assert.equal(canI.stdout.trim(), 'yes', canI.stderr);

  const missing = await kubectl('get', 'pod', 'nope');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /Error from server \(NotFound\): pods "nope" not found/);
});
