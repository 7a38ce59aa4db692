import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ClientHttp2Session } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allResources } from '../api/resources.ts';
import { fakeProvider } from './fake-rest.ts';
import { silentLogger } from './log.ts';
import { ensurePki, issueClientCert, type Pki } from './pki.ts';
import { startApiServer, type ApiServer } from './server.ts';

let dir: string;
let pki: Pki;
let api: ApiServer;
let session: ClientHttp2Session;
const provider = fakeProvider(allResources);
const pods = provider.fakes.get('/pods')!;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function h2(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer, s = session): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = s.request({ ':method': method, ':path': path, ...headers }, { endStream: body === undefined });
    let data = '';
    let status = 0;
    let hdrs: Record<string, string | string[] | undefined> = {};
    req.on('response', (h) => {
      status = Number(h[':status']);
      hdrs = h as typeof hdrs;
    });
    req.setEncoding('utf8');
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve({ status, headers: hdrs, body: data, json: () => JSON.parse(data) }));
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

function h1(method: string, path: string, headers: Record<string, string> = {}, body?: string, creds = true): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: api.port,
        method,
        path,
        headers,
        ca: pki.ca.cert,
        ...(creds ? { cert: pki.admin.cert, key: pki.admin.key } : {}),
        agent: false,
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: data, json: () => JSON.parse(data) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-api-'));
  pki = await ensurePki(dir);
  api = await startApiServer({
    port: 0,
    tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
    resources: provider,
    tokens: new Map([['secret-token', { name: 'k8ts-node', groups: ['system:nodes'] }]]),
    log: silentLogger,
    openapi: { index: async () => undefined, document: async () => undefined },
  });
  session = connect(api.url, { ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key });
});

after(async () => {
  session.close();
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

test('HTTP/2 with the admin client cert: version, health, discovery', async () => {
  const v = await h2('GET', '/version?timeout=5s');
  assert.equal(v.status, 200);
  assert.equal(v.json().minor, '32');
  assert.match(v.json().gitVersion, /^v1\.32\./);
  assert.equal((await h2('GET', '/readyz')).body, 'ok');
  assert.equal((await h2('GET', '/livez')).body, 'ok');
  assert.equal((await h2('GET', '/healthz')).body, 'ok');

  const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  const api2 = await h2('GET', '/api?timeout=32s', { accept });
  assert.equal(api2.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  const core = api2.json();
  assert.equal(core.apiVersion, 'apidiscovery.k8s.io/v2');
  const podsDisc = core.items[0].versions[0].resources.find((r: { resource: string }) => r.resource === 'pods');
  assert.deepEqual(podsDisc.shortNames, ['po']);
  assert.deepEqual(podsDisc.categories, ['all']);
  assert.equal(podsDisc.scope, 'Namespaced');
  assert.equal(core.items[0].metadata.name, undefined);

  const apisBeta = await h2('GET', '/apis', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json' });
  assert.equal(apisBeta.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
  assert.equal(apisBeta.json().items[0].metadata.name, 'coordination.k8s.io');

  const legacy = await h2('GET', '/api', { accept: 'application/json, */*' });
  assert.equal(legacy.headers['content-type'], 'application/json');
  assert.deepEqual(legacy.json().versions, ['v1']);
  const list = (await h2('GET', '/api/v1')).json();
  assert.equal(list.kind, 'APIResourceList');
  assert.ok(list.resources.some((r: { name: string }) => r.name === 'pods/log'));
  assert.equal((await h2('GET', '/apis')).json().groups[0].name, 'coordination.k8s.io');
  assert.equal((await h2('GET', '/apis/coordination.k8s.io')).json().preferredVersion.version, 'v1');
  assert.equal((await h2('GET', '/apis/coordination.k8s.io/v1')).json().groupVersion, 'coordination.k8s.io/v1');
  assert.equal((await h2('GET', '/apis/nope.io/v1')).status, 404);
  assert.equal((await h2('GET', '/openapi/v3')).status, 404);
  assert.equal((await h2('GET', '/openapi/v2')).json().swagger, '2.0');
  const v2pb = await h2('GET', '/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
  assert.equal(v2pb.headers['content-type'], 'application/octet-stream');
  assert.equal(v2pb.body, '\n\x032.0');
});

test('create, get, list as JSON, YAML and Table; errors as Status', async () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  const created = await h2(
    'POST',
    '/api/v1/namespaces/default/pods?fieldManager=kubectl-create&fieldValidation=Strict',
    { 'content-type': 'application/json' },
    JSON.stringify(pod),
  );
  assert.equal(created.status, 201);
  assert.equal(created.json().metadata.namespace, 'default');
  const call = pods.calls.find((c) => c.verb === 'create')!;
  assert.equal((call.options as { fieldManager: string }).fieldManager, 'kubectl-create');
  assert.equal((call.options as { fieldValidation: string }).fieldValidation, 'Strict');
  assert.deepEqual((call.options as { user: unknown }).user, { name: 'system:admin', groups: ['system:masters', 'system:authenticated'] });

  const dup = await h2('POST', '/api/v1/namespaces/default/pods', { 'content-type': 'application/json' }, JSON.stringify(pod));
  assert.equal(dup.status, 409);
  assert.deepEqual(dup.json(), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'pods "web" already exists',
    reason: 'AlreadyExists',
    details: { name: 'web', kind: 'pods' },
    code: 409,
  });

  const yamlPod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web2\nspec:\n  containers:\n  - name: c\n    image: busybox\n';
  assert.equal((await h2('POST', '/api/v1/namespaces/default/pods', { 'content-type': 'application/yaml' }, yamlPod)).status, 201);

  const got = await h2('GET', '/api/v1/namespaces/default/pods/web', { accept: 'application/json' });
  assert.equal(got.json().metadata.name, 'web');
  const asYaml = await h2('GET', '/api/v1/namespaces/default/pods/web', { accept: 'application/yaml' });
  assert.equal(asYaml.headers['content-type'], 'application/yaml');
  assert.match(asYaml.body, /^apiVersion: v1\nkind: Pod\n/);

  const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  const table = (await h2('GET', '/api/v1/namespaces/default/pods?limit=500', { accept: tableAccept })).json();
  assert.equal(table.kind, 'Table');
  assert.equal(table.apiVersion, 'meta.k8s.io/v1');
  assert.equal(table.columnDefinitions[0].name, 'Name');
  assert.equal(table.columnDefinitions[0].format, 'name');
  assert.equal(table.rows.length, 2);
  assert.equal(table.rows[0].object.kind, 'PartialObjectMetadata');
  assert.equal(table.rows[0].object.metadata.namespace, 'default');
  assert.ok(table.metadata.resourceVersion);
  const one = (await h2('GET', '/api/v1/namespaces/default/pods/web?includeObject=Object', { accept: tableAccept })).json();
  assert.equal(one.rows.length, 1);
  assert.equal(one.rows[0].object.kind, 'Pod');
  const none = (await h2('GET', '/api/v1/pods?includeObject=None', { accept: tableAccept })).json();
  assert.equal(none.rows[0].object, undefined);

  const list = (await h2('GET', '/api/v1/pods')).json();
  assert.equal(list.kind, 'PodList');
  assert.equal(list.items.length, 2);

  const boom = await h2('GET', '/api/v1/namespaces/default/pods/boom');
  assert.equal(boom.status, 500);
  assert.equal(boom.json().reason, 'InternalError');
  assert.match(boom.json().message, /^Internal error occurred: boom/);
  const who = await h2('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { 'content-type': 'application/json' }, '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview","metadata":{}}');
  assert.equal(who.status, 201);
  assert.equal(who.json().status.userInfo.username, 'system:admin');
  const can = await h2(
    'POST',
    '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    { 'content-type': 'application/json' },
    '{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"verb":"get","resource":"pods"}}}',
  );
  assert.equal(can.json().status.allowed, true);
  assert.equal(can.json().spec.resourceAttributes.verb, 'get');
  const missing = await h2('GET', '/api/v1/namespaces/default/pods/nope');
  assert.equal(missing.status, 404);
  assert.equal(missing.json().message, 'pods "nope" not found');
  assert.deepEqual((await h2('GET', '/api/v1/namespaces/default/services')).json().items, [], 'services: served empty');
  assert.equal((await h2('POST', '/api/v1/namespaces/default/services', { 'content-type': 'application/json' }, '{}')).status, 405);
  assert.equal((await h2('GET', '/api/v1/namespaces/default/services/x')).status, 404);
  assert.equal((await h2('GET', '/api/v1/namespaces/default/replicasets')).status, 404);
  assert.equal((await h2('PUT', '/api/v1/namespaces/default/pods')).json().reason, 'MethodNotAllowed');
  assert.equal((await h2('POST', '/api/v1/pods', { 'content-type': 'application/json' }, '{}')).status, 405);
  assert.equal((await h2('DELETE', '/api/v1/namespaces')).status, 405, 'namespaces do not serve deletecollection');
  assert.equal((await h2('GET', '/api/v1/pods?fieldSelector=bad%3D1')).json().message, 'field label not supported: bad');
  assert.equal((await h2('GET', '/api/v1/pods?fieldValidation=nope')).status, 200, 'fieldValidation is ignored on reads');
  assert.equal((await h2('POST', '/api/v1/namespaces/default/pods?fieldValidation=nope', { 'content-type': 'application/json' }, '{}')).status, 400);
  assert.equal((await h2('GET', '/api/v1/pods', { accept: 'text/html' })).status, 406);

  const otherNs = await h2('POST', '/api/v1/namespaces/default/pods', { 'content-type': 'application/json' }, JSON.stringify({ ...pod, metadata: { name: 'x', namespace: 'other' } }));
  assert.equal(otherNs.status, 400);
  assert.equal(otherNs.json().message, 'the namespace of the provided object does not match the namespace sent on the request');
});

test('patch, update, delete, warnings, dry run, subresources', async () => {
  const patched = await h2(
    'PATCH',
    '/api/v1/namespaces/default/pods/web?fieldManager=kubectl-label',
    { 'content-type': 'application/merge-patch+json' },
    '{"metadata":{"labels":{"env":"prod"}}}',
  );
  assert.equal(patched.status, 200);
  assert.equal(patched.json().metadata.labels.env, 'prod');
  assert.equal(pods.calls.at(-1)!.verb, 'patch:merge');
  const apply = await h2(
    'PATCH',
    '/api/v1/namespaces/default/pods/web?fieldManager=kubectl&force=true',
    { 'content-type': 'application/apply-patch+yaml' },
    '{"metadata":{"labels":{"x":"y"}}}',
  );
  assert.equal(apply.status, 200);
  assert.equal((pods.calls.at(-1)!.options as { force: boolean }).force, true);
  assert.equal((await h2('PATCH', '/api/v1/namespaces/default/pods/web', { 'content-type': 'application/apply-patch+yaml' }, '{}')).status, 400, 'apply needs a field manager');
  assert.equal((await h2('PATCH', '/api/v1/namespaces/default/pods/web', { 'content-type': 'text/plain' }, '{}')).status, 415);

  const cur = (await h2('GET', '/api/v1/namespaces/default/pods/web')).json();
  const put = await h2('PUT', '/api/v1/namespaces/default/pods/web', { 'content-type': 'application/json' }, JSON.stringify(cur));
  assert.equal(put.status, 200);
  const wrongName = await h2('PUT', '/api/v1/namespaces/default/pods/web', { 'content-type': 'application/json' }, JSON.stringify({ ...cur, metadata: { name: 'other' } }));
  assert.equal(wrongName.status, 400);

  const warned = await h2('POST', '/api/v1/namespaces/default/pods?dryRun=All', { 'content-type': 'application/json' }, '{"metadata":{"name":"warn-me"}}');
  assert.equal(warned.status, 201);
  assert.equal(warned.headers.warning, '299 - "this is a \\"warning\\""');
  assert.equal((pods.calls.at(-1)!.options as { dryRun: boolean }).dryRun, true);
  assert.equal((await h2('GET', '/api/v1/namespaces/default/pods/warn-me')).status, 404, 'dry run stored nothing');

  const status = await h2('PUT', '/api/v1/namespaces/default/pods/web/status', { 'content-type': 'application/json' }, JSON.stringify({ ...cur, status: { phase: 'Running' } }));
  assert.equal(status.status, 200);
  assert.equal(status.json().status.phase, 'Running');
  const bind = await h2(
    'POST',
    '/api/v1/namespaces/default/pods/web/binding',
    { 'content-type': 'application/json' },
    '{"apiVersion":"v1","kind":"Binding","metadata":{"name":"web"},"target":{"kind":"Node","name":"n1"}}',
  );
  assert.equal(bind.status, 201);
  assert.equal(bind.json().status, 'Success');
  assert.equal((await h2('GET', '/api/v1/namespaces/default/pods/web/log')).status, 404, 'no stream handler yet');

  const del = await h2('DELETE', '/api/v1/namespaces/default/pods/web2', { 'content-type': 'application/json' }, '{"propagationPolicy":"Background","gracePeriodSeconds":5}');
  assert.equal(del.status, 200);
  assert.deepEqual(pods.calls.at(-1)!.options, { propagationPolicy: 'Background', gracePeriodSeconds: 5 });
  const delq = await h2('DELETE', '/api/v1/namespaces/default/pods/nope?gracePeriodSeconds=0');
  assert.equal(delq.status, 404);
});

test('HTTP/1.1 works on the same port; no credentials → 401; a bearer token authenticates', async () => {
  const r = await h1('GET', '/api/v1/namespaces/default/pods');
  assert.equal(r.status, 200);
  assert.equal(r.json().kind, 'PodList');
  const anon = await h1('GET', '/api/v1/namespaces/default/pods', {}, undefined, false);
  assert.equal(anon.status, 401);
  assert.equal(anon.json().reason, 'Unauthorized');
  assert.equal((await h1('GET', '/version', {}, undefined, false)).status, 200, '/version is public');
  assert.equal((await h1('GET', '/readyz', {}, undefined, false)).body, 'ok');
  const bearer = await h1('GET', '/api/v1/nodes', { authorization: 'Bearer secret-token' }, undefined, false);
  assert.equal(bearer.status, 200);
  assert.equal((await h1('GET', '/api/v1/nodes', { authorization: 'Bearer wrong' }, undefined, false)).status, 401);
  assert.equal((await h1('GET', '/api/v1/nodes', { authorization: 'Basic YTpi' }, undefined, false)).status, 401);

  // a certificate from another CA is not trusted
  const otherDir = await mkdtemp(join(tmpdir(), 'k8ts-other-'));
  try {
    const other = await ensurePki(otherDir);
    const s = connect(api.url, { ca: pki.ca.cert, cert: other.admin.cert, key: other.admin.key });
    try {
      assert.equal((await h2('GET', '/api/v1/pods', {}, undefined, s)).status, 401);
    } finally {
      s.close();
    }
    // a user certificate from our CA names the user
    const alice = await issueClientCert(pki.ca, 'alice', ['dev']);
    const sa = connect(api.url, { ca: pki.ca.cert, cert: alice.cert, key: alice.key });
    try {
      const before = pods.calls.length;
      assert.equal((await h2('GET', '/api/v1/namespaces/default/pods/nope', {}, undefined, sa)).status, 404);
      assert.equal(pods.calls.length, before + 1);
    } finally {
      sa.close();
    }
  } finally {
    await rm(otherDir, { recursive: true, force: true });
  }
});

test('bodies: 413 past 3 MiB, 415, malformed YAML → 400 and the server keeps serving', async () => {
  const big = Buffer.alloc(4 * 1024 * 1024, 'a');
  const tooBig = await h2('POST', '/api/v1/namespaces/default/pods', { 'content-type': 'application/json' }, big).catch((e: Error) => e);
  if (!(tooBig instanceof Error)) {
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.json().reason, 'RequestEntityTooLarge');
  }
  const tooBig1 = await h1('POST', '/api/v1/namespaces/default/pods', { 'content-type': 'application/json' }, big.toString()).catch((e: Error) => e);
  if (!(tooBig1 instanceof Error)) assert.equal(tooBig1.status, 413);

  const unsupported = await h2('POST', '/api/v1/namespaces/default/pods', { 'content-type': 'text/plain' }, 'hello');
  assert.equal(unsupported.status, 415);
  assert.equal(unsupported.json().reason, 'UnsupportedMediaType');

  const badYaml = await h2('POST', '/api/v1/namespaces/default/pods', { 'content-type': 'application/yaml' }, 'metadata:\n  name: [x\n  bad: : :\n');
  assert.equal(badYaml.status, 400);
  assert.equal(badYaml.json().reason, 'BadRequest');
  const badJson = await h2('POST', '/api/v1/namespaces/default/pods', { 'content-type': 'application/json' }, '{"metadata":');
  assert.equal(badJson.status, 400);
  assert.match(badJson.json().message, /couldn't get version\/kind; json parse error/);
  const multi = await h2('POST', '/api/v1/namespaces/default/pods', { 'content-type': 'application/yaml' }, 'a: 1\n---\nb: 2\n');
  assert.equal(multi.status, 400);

  assert.equal((await h2('GET', '/readyz')).body, 'ok');
  assert.equal((await h1('GET', '/readyz')).body, 'ok');
});

function watchLines(path: string, headers: Record<string, string> = {}) {
  const req = session.request({ ':method': 'GET', ':path': path, ...headers });
  req.setEncoding('utf8');
  const lines: string[] = [];
  let buf = '';
  let status = 0;
  const waiters: (() => void)[] = [];
  req.on('response', (h) => (status = Number(h[':status'])));
  req.on('data', (c: string) => {
    buf += c;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
    for (const w of waiters.splice(0)) w();
  });
  const ended = new Promise<void>((r) => req.on('end', r));
  return {
    req,
    lines,
    status: () => status,
    ended,
    async waitFor(n: number) {
      while (lines.length < n) await new Promise<void>((r) => waiters.push(r));
      return lines.slice(0, n).map((l) => JSON.parse(l));
    },
  };
}

test('watch: initial ADDED, live events, Table rows, timeout, disconnect, ERROR', async () => {
  const w = watchLines('/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=2');
  const [first] = await w.waitFor(1);
  assert.equal(w.status(), 200);
  assert.equal(first.type, 'ADDED');
  const initial = pods.objects.size;
  await w.waitFor(initial);
  await h2('POST', '/api/v1/namespaces/default/pods', { 'content-type': 'application/json' }, '{"metadata":{"name":"live"}}');
  const events = await w.waitFor(initial + 1);
  assert.equal(events.at(-1).type, 'ADDED');
  assert.equal(events.at(-1).object.metadata.name, 'live');
  await w.ended; // timeoutSeconds=2 ends the stream cleanly
  assert.ok(pods.calls.some((c) => c.verb === 'watch-stop'));

  const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
  const t = watchLines('/api/v1/namespaces/default/pods?watch=1&resourceVersion=0', { accept: tableAccept });
  const rows = await t.waitFor(2);
  assert.equal(rows[0].object.kind, 'Table');
  assert.ok(Array.isArray(rows[0].object.columnDefinitions));
  assert.equal(rows[1].object.columnDefinitions, null);
  assert.equal(rows[1].object.rows.length, 1);
  const stops = pods.calls.filter((c) => c.verb === 'watch-stop').length;
  t.req.close();
  for (let i = 0; i < 50 && pods.calls.filter((c) => c.verb === 'watch-stop').length === stops; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(pods.calls.filter((c) => c.verb === 'watch-stop').length, stops + 1, 'client disconnect stops the watch');

  const e = watchLines('/api/v1/namespaces/default/pods?watch=1&resourceVersion=expired');
  const [err] = await e.waitFor(1);
  assert.equal(err.type, 'ERROR');
  assert.equal(err.object.code, 410);
  await e.ended;

  const bad = await h2('GET', '/api/v1/namespaces/default/pods?watch=1&resourceVersion=bad');
  assert.equal(bad.status, 400);

  const legacy = watchLines('/api/v1/watch/namespaces/default/pods/live?timeoutSeconds=1');
  await legacy.ended;
  assert.equal(pods.calls.filter((c) => c.verb === 'watch').at(-1)!.options && (pods.calls.filter((c) => c.verb === 'watch').at(-1)!.options as { fieldSelector: string }).fieldSelector, 'metadata.name=live');
});

test('HTTP/1.1 watch streams chunked', async () => {
  const got = await new Promise<string>((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: api.port,
        path: '/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1',
        ca: pki.ca.cert,
        cert: pki.admin.cert,
        key: pki.admin.key,
        agent: false,
      },
      (res) => {
        assert.equal(res.headers['transfer-encoding'], 'chunked');
        let data = '';
        res.on('data', (c) => (data += c));
        res.on('end', () => resolve(data));
      },
    );
    req.on('error', reject);
    req.end();
  });
  assert.ok(got.split('\n').filter(Boolean).every((l) => JSON.parse(l).type === 'ADDED'));
});

function rawUpgrade(path: string, creds = true): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = tlsConnect({
      host: '127.0.0.1',
      port: api.port,
      ca: pki.ca.cert,
      ...(creds ? { cert: pki.admin.cert, key: pki.admin.key } : {}),
      servername: 'localhost',
    });
    let data = '';
    sock.setEncoding('utf8');
    sock.on('secureConnect', () =>
      sock.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n`),
    );
    sock.on('data', (c) => (data += c));
    sock.on('end', () => resolve(data));
    sock.on('close', () => resolve(data));
    sock.on('error', reject);
  });
}

test('upgrade and stream hooks: 404 until plugged in, then called with the route and user; 401 without creds', async () => {
  const none = await rawUpgrade('/api/v1/namespaces/default/pods/live/exec?command=ls');
  assert.match(none, /^HTTP\/1\.1 404 /);
  assert.match(none, /"reason":"NotFound"/);
  assert.match(await rawUpgrade('/api/v1/namespaces/default/pods/live/exec', false), /^HTTP\/1\.1 401 /);

  const seen: string[] = [];
  api.setStreamHandlers({
    upgrade: (req, socket, _head, route, user) => {
      seen.push(`${route.subresource} ${route.namespace}/${route.name} ${user.name}`);
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return true;
    },
    streams: async (ctx, route) => {
      if (route.subresource !== 'log') return false;
      ctx.res.writeHead(200, { 'content-type': 'text/plain' });
      ctx.res.end(`log of ${route.name} container=${ctx.query.get('container')}\n`);
      return true;
    },
  });
  try {
    assert.match(await rawUpgrade('/api/v1/namespaces/default/pods/live/exec?command=ls'), /^HTTP\/1\.1 400 /);
    assert.deepEqual(seen, ['exec default/live system:admin']);
    const logs = await h2('GET', '/api/v1/namespaces/default/pods/live/log?container=c');
    assert.equal(logs.body, 'log of live container=c\n');
    assert.equal((await h2('GET', '/api/v1/namespaces/default/pods/live/attach')).status, 404);
  } finally {
    api.setStreamHandlers({ streams: undefined, upgrade: undefined });
  }
});
