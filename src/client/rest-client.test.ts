import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startCluster, type Cluster } from '../../test/e2e/cluster.ts';
import { ApiError } from '../machinery/api-error.ts';
import type { KubeObject } from '../api/object.ts';
import { configFromToken, loadKubeconfig, RestClient } from './rest-client.ts';

let cluster: Cluster;
let client: RestClient;

before(async () => {
  cluster = await startCluster();
  client = new RestClient(await loadKubeconfig(cluster.kubeconfig));
});
after(async () => {
  client?.close();
  await cluster?.stop();
});

const pod = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'k8ts.local/busybox:1' }] },
});

test('create/get/list/patch/updateStatus/delete over HTTP/2 with the admin client cert', async () => {
  const created = await client.pods.create('default', pod('a', { app: 'x' }));
  assert.equal(created.metadata.namespace, 'default');
  assert.ok(created.metadata.uid);
  const got = await client.pods.get('default', 'a');
  assert.equal(got.metadata.uid, created.metadata.uid);
  const list = await client.pods.list('default', { labelSelector: 'app=x' });
  assert.deepEqual(list.items.map((p) => p.metadata.name), ['a']);
  const patched = await client.pods.patch('default', 'a', 'merge', { metadata: { labels: { extra: 'y' } } });
  assert.equal(patched.metadata.labels?.extra, 'y');
  const sp = await client.pods.patch('default', 'a', 'strategic', { metadata: { annotations: { z: '1' } } });
  assert.equal(sp.metadata.annotations?.z, '1');
  const st = await client.pods.patchStatus('default', 'a', 'strategic', { status: { conditions: [{ type: 'PodScheduled', status: 'True' }] } });
  assert.equal(st.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled')?.status, 'True');
  const del = await client.pods.delete('default', 'a', { gracePeriodSeconds: 0 });
  assert.equal(del.code, 200);
  assert.equal(await client.pods.getOrUndefined('default', 'a'), undefined);
});

test('errors are ApiErrors carrying the server Status', async () => {
  await assert.rejects(client.pods.get('default', 'nope'), (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 404);
    assert.equal(err.reason, 'NotFound');
    assert.equal(err.message, 'pods "nope" not found');
    return true;
  });
  await client.pods.create('default', pod('dup'));
  await assert.rejects(client.pods.create('default', pod('dup')), (err: unknown) => err instanceof ApiError && err.code === 409 && err.reason === 'AlreadyExists');
  await assert.rejects(
    client.pods.delete('default', 'dup', { preconditions: { uid: 'wrong' } }),
    (err: unknown) => err instanceof ApiError && err.code === 409,
  );
  await client.pods.delete('default', 'dup', { gracePeriodSeconds: 0 });
});

test('bearer token from the node-token file authenticates; a wrong token is 401', async () => {
  const tokenClient = new RestClient(await configFromToken(`https://127.0.0.1:${cluster.port}`, join(cluster.dataDir, 'node-token')));
  try {
    const nodes = await tokenClient.nodes.list(undefined);
    assert.equal(nodes.kind, 'NodeList');
  } finally {
    tokenClient.close();
  }
  const bad = new RestClient({ server: `https://127.0.0.1:${cluster.port}`, token: 'wrong', insecure: true });
  try {
    await assert.rejects(bad.nodes.list(undefined), (err: unknown) => err instanceof ApiError && err.code === 401);
  } finally {
    bad.close();
  }
});

test('listAll follows continue tokens', async () => {
  for (let i = 0; i < 5; i++) await client.resource('namespaces').create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `page-${i}` } });
  const all = await client.namespaces.listAll(undefined, {}, 2);
  for (let i = 0; i < 5; i++) assert.ok(all.items.some((n) => n.metadata.name === `page-${i}`));
});

test('watch streams events, resumes after the session drops; bad options reject', async () => {
  const list = await client.pods.list('default');
  const seen: string[] = [];
  let wake: () => void = () => {};
  const w = await client.pods.watch('default', { resourceVersion: list.metadata.resourceVersion }, (type, obj) => {
    if (type === 'BOOKMARK') return;
    seen.push(`${type} ${(obj as KubeObject).metadata.name}`);
    wake();
  });
  const waitFor = async (s: string) => {
    const deadline = Date.now() + 10_000;
    while (!seen.includes(s)) {
      if (Date.now() > deadline) throw new Error(`no ${s}; saw ${seen.join(', ')}`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 200);
      });
    }
  };
  try {
    await client.pods.create('default', pod('w1'));
    await waitFor('ADDED w1');
    // kill the connection under the watch: it must reconnect and resume from the last resourceVersion
    client.session().destroy();
    await client.pods.create('default', pod('w2'));
    await waitFor('ADDED w2');
    await client.pods.delete('default', 'w1', { gracePeriodSeconds: 0 });
    await waitFor('DELETED w1');
    assert.equal(seen.filter((s) => s === 'ADDED w1').length, 1, `no duplicate events: ${seen.join(', ')}`);
  } finally {
    w.stop();
    await client.pods.delete('default', 'w2', { gracePeriodSeconds: 0 }).catch(() => {});
  }
  // a bad selector rejects up front
  await assert.rejects(client.pods.watch('default', { labelSelector: '!!' }, () => {}), (err: unknown) => err instanceof ApiError && err.code === 400);
});
