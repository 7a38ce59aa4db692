// Errors as kubectl prints them, and the server's own guards: missing namespace, invalid pods, immutable updates,
// broken manifests and request bodies, anonymous requests, oversized bodies. Plus the informational commands.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, writeManifest, json } from './cluster.ts';
import type { Cluster } from './cluster.ts';

describe('kubectl errors and server guards', { timeout: 240_000 }, () => {
  let cluster: Cluster;
  before(async () => { cluster = await startCluster(); });
  after(async () => { await cluster?.stop(); });

  test('get --raw /readyz, /livez, version, api-resources, api-versions', async () => {
    assert.equal((await cluster.kubectl(['get', '--raw', '/readyz'])).stdout.trim(), 'ok');
    assert.equal((await cluster.kubectl(['get', '--raw', '/livez'])).stdout.trim(), 'ok');

    const version = await cluster.kubectl(['version']);
    assert.match(version.stdout, /Server Version: v1\.32\.\d+/);
    const v = json(await cluster.kubectl(['version', '-o', 'json']));
    assert.equal(v.serverVersion.major, '1');
    assert.equal(v.serverVersion.minor, '32');

    const res = await cluster.kubectl(['api-resources']);
    assert.match(res.stdout, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND/);
    assert.match(res.stdout, /\npods\s+po\s+v1\s+true\s+Pod\n/);
    assert.match(res.stdout, /\nnamespaces\s+ns\s+v1\s+false\s+Namespace\n/);
    assert.match(res.stdout, /\nnodes\s+no\s+v1\s+false\s+Node\n/);
    const versions = await cluster.kubectl(['api-versions']);
    assert.match(versions.stdout, /^v1$/m);
    // Short names resolve through discovery.
    const po = await cluster.kubectl(['get', 'po']);
    assert.equal(po.code, 0);
  });

  test('a pod in a namespace that does not exist is NotFound', async () => {
    const file = writeManifest(cluster, 'nons.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: lost\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n');
    let r = await cluster.kubectl(['create', '-n', 'missing-ns', '-f', file], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(NotFound\): error when creating ".*nons\.yaml": namespaces "missing-ns" not found/);
    r = await cluster.kubectl(['apply', '-n', 'missing-ns', '-f', file], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(NotFound\): error when creating ".*nons\.yaml": namespaces "missing-ns" not found/);
    r = await cluster.kubectl(['run', 'lost', '-n', 'missing-ns', '--image=busybox'], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(NotFound\): namespaces "missing-ns" not found/);
  });

  test('invalid pods: no containers, a bad name, several errors at once', async () => {
    let file = writeManifest(cluster, 'nocontainers.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: empty\nspec:\n  containers: []\n');
    let r = await cluster.kubectl(['create', '-f', file], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The Pod "empty" is invalid: spec\.containers: Required value/);

    file = writeManifest(cluster, 'badname.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers:\n  - name: app\n    image: busybox\n');
    r = await cluster.kubectl(['create', '-f', file], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The Pod "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters/);

    file = writeManifest(cluster, 'multi.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: multi\nspec:\n  containers:\n  - name: Web\n  - name: ok\n    image: busybox\n    ports:\n    - containerPort: 70000\n');
    r = await cluster.kubectl(['apply', '-f', file], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The Pod "multi" is invalid: \n/);
    assert.match(r.stderr, /\n\* spec\.containers\[0\]\.name: Invalid value: "Web": a lowercase RFC 1123 label/);
    assert.match(r.stderr, /\n\* spec\.containers\[0\]\.image: Required value/);
    assert.match(r.stderr, /\n\* spec\.containers\[1\]\.ports\[0\]\.containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive/);
    const gone = await cluster.kubectl(['get', 'pod', 'multi'], { allowFail: true });
    assert.match(gone.stderr, /NotFound/);
  });

  test('an apply that changes a containerPort is refused: pod updates may not change fields', async () => {
    const manifest = (port: number, image: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: immut\nspec:\n  containers:\n  - name: app\n    image: ${image}\n    ports:\n    - containerPort: ${port}\n`;
    const file = writeManifest(cluster, 'immut.yaml', manifest(8080, 'busybox:1.36'));
    await cluster.kubectl(['apply', '-f', file]);
    writeManifest(cluster, 'immut.yaml', manifest(9090, 'busybox:1.36'));
    const r = await cluster.kubectl(['apply', '-f', file], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /The Pod "immut" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/);
    const pod = json(await cluster.kubectl(['get', 'pod', 'immut', '-o', 'json']));
    assert.equal(pod.spec.containers[0].ports[0].containerPort, 8080);

    // Changing only the image is allowed.
    writeManifest(cluster, 'immut.yaml', manifest(8080, 'busybox:1.37'));
    const ok = await cluster.kubectl(['apply', '-f', file]);
    assert.equal(ok.stdout.trim(), 'pod/immut configured');
    assert.equal(json(await cluster.kubectl(['get', 'pod', 'immut', '-o', 'json'])).spec.containers[0].image, 'busybox:1.37');
  });

  test('a broken manifest fails in kubectl; broken JSON sent straight to the server is a 400 Status', async () => {
    const file = writeManifest(cluster, 'broken.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n  spec: {\n');
    const r = await cluster.kubectl(['create', '-f', file], { allowFail: true });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /error/i);

    const resp = await cluster.request('POST', '/api/v1/namespaces/default/pods', { body: '{"apiVersion":"v1","kind":"Pod","metadata":{"name":' });
    assert.equal(resp.status, 400, resp.body);
    const status = JSON.parse(resp.body);
    assert.equal(status.kind, 'Status');
    assert.equal(status.apiVersion, 'v1');
    assert.equal(status.status, 'Failure');
    assert.equal(status.reason, 'BadRequest');
    assert.equal(status.code, 400);

    const wrongKind = await cluster.request('POST', '/api/v1/namespaces/default/pods', { body: '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}}' });
    assert.equal(wrongKind.status, 400, wrongKind.body);

    // The server is still fine.
    const ready = await cluster.request('GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.trim(), 'ok');
    assert.equal((await cluster.kubectl(['get', 'pods', '-o', 'name'])).code, 0);
  });

  test('a request without a client certificate or token is 401 Unauthorized', async () => {
    const resp = await cluster.request('GET', '/api/v1/namespaces/default/pods', { auth: false });
    assert.equal(resp.status, 401, resp.body);
    const status = JSON.parse(resp.body);
    assert.equal(status.kind, 'Status');
    assert.equal(status.reason, 'Unauthorized');
    assert.equal(status.code, 401);
  });

  test('DIR/node-token is private and authenticates as a bearer token; a wrong token is 401', async () => {
    const file = join(cluster.dataDir, 'node-token');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const token = readFileSync(file, 'utf8').trim();
    assert.ok(token.length >= 16, 'node token should be long and random');
    const ok = await cluster.request('GET', '/api/v1/nodes', { auth: false, headers: { Authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(JSON.parse(ok.body).kind, 'NodeList');
    const bad = await cluster.request('GET', '/api/v1/nodes', { auth: false, headers: { Authorization: 'Bearer not-the-token' } });
    assert.equal(bad.status, 401, bad.body);
  });

  test('a request body over 3 MiB is 413', async () => {
    const big = JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'huge', annotations: { blob: 'x'.repeat(3.5 * 1024 * 1024) } },
      spec: { containers: [{ name: 'app', image: 'busybox' }] },
    });
    let status = 0;
    try {
      status = (await cluster.request('POST', '/api/v1/namespaces/default/pods', { body: big })).status;
    } catch (err) {
      assert.fail(`expected a 413 reply, the request failed: ${(err as Error).message}`);
    }
    assert.equal(status, 413);
    const ready = await cluster.request('GET', '/readyz');
    assert.equal(ready.status, 200);
  });
});
