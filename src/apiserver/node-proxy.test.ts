import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type ClientHttp2Session } from 'node:http2';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { allResources } from '../api/resources.ts';
import { fakeProvider } from './fake-rest.ts';
import { silentLogger } from './log.ts';
import { containerFor, createNodeProxy } from './node-proxy.ts';
import { ensurePki, type Pki } from './pki.ts';
import { startApiServer, type ApiServer } from './server.ts';

let dir: string;
let pki: Pki;
let api: ApiServer;
let agent: Server;
let session: ClientHttp2Session;
const seen: { url: string; auth?: string; user?: string; method?: string }[] = [];
const provider = fakeProvider(allResources);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-proxy-'));
  pki = await ensurePki(dir);
  // the fake agent: kubelet-style paths
  agent = createHttpsServer({ cert: pki.server.cert, key: pki.server.key }, (req, res) => {
    seen.push({ url: req.url!, auth: req.headers['x-k8ts-agent-secret'] as string, user: req.headers['x-remote-user'] as string, method: req.method });
    if (req.url!.startsWith('/containerLogs/')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('line 1\n');
      setTimeout(() => res.end('line 2\n'), 50);
      return;
    }
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end('{"kind":"Status","apiVersion":"v1","status":"Failure","message":"upgrade required","code":400}');
  });
  agent.on('upgrade', (req, socket) => {
    seen.push({ url: req.url!, auth: req.headers['x-k8ts-agent-secret'] as string, user: req.headers['x-remote-user'] as string, method: req.method });
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${req.headers.upgrade}\r\n\r\n`);
    socket.on('data', (d: Buffer) => socket.write(Buffer.concat([Buffer.from('echo:'), d])));
  });
  await new Promise<void>((r) => agent.listen(0, '127.0.0.1', r));
  const agentPort = (agent.address() as AddressInfo).port;

  const pods = provider.fakes.get('/pods')!;
  const nodes = provider.fakes.get('/nodes')!;
  nodes.objects.set('/n1', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1' },
    status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: agentPort } } },
  });
  const pod = (name: string, containers: string[], nodeName?: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName, containers: containers.map((c) => ({ name: c, image: 'busybox' })) },
  });
  pods.objects.set('default/one', pod('one', ['c'], 'n1'));
  pods.objects.set('default/two', pod('two', ['a', 'b'], 'n1'));
  pods.objects.set('default/pending', pod('pending', ['c']));

  api = await startApiServer({ port: 0, tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert }, resources: provider, log: silentLogger });
  api.setStreamHandlers(
    createNodeProxy({
      getPod: (ns, name) => pods.get(ns, name),
      getNode: (name) => nodes.get(undefined, name),
      tls: pki.admin,
      headers: { 'X-K8ts-Agent-Secret': 'node-secret' },
    }),
  );
  session = connect(api.url, { ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key });
});

after(async () => {
  session.close();
  await api.close();
  agent.close();
  agent.closeAllConnections();
  await rm(dir, { recursive: true, force: true });
});

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':path': path });
    let status = 0;
    let body = '';
    req.on('response', (h) => (status = Number(h[':status'])));
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => resolve({ status, body }));
    req.on('error', reject);
  });
}

test('containerFor picks the only container, the requested one, or explains', () => {
  const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }, { name: 'b' }], initContainers: [{ name: 'i' }] } };
  assert.equal(containerFor({ metadata: { name: 'p' }, spec: { containers: [{ name: 'x' }] } }, null), 'x');
  assert.equal(containerFor(pod, 'b'), 'b');
  assert.equal(containerFor(pod, 'i'), 'i');
  assert.throws(() => containerFor(pod, null), { message: 'a container name must be specified for pod p, choose one of: [a b] or one of the init containers: [i]' });
  assert.throws(() => containerFor(pod, 'z'), { message: 'container z is not valid for pod p' });
});

test('logs are proxied to the agent, streamed, with the node token and the user', async () => {
  const r = await get('/api/v1/namespaces/default/pods/one/log?follow=true&tailLines=2');
  assert.equal(r.status, 200);
  assert.equal(r.body, 'line 1\nline 2\n');
  assert.deepEqual(seen.at(-1), { url: '/containerLogs/default/one/c?follow=true&tailLines=2', auth: 'node-secret', user: 'system:admin', method: 'GET' });
  const two = await get('/api/v1/namespaces/default/pods/two/log?container=b');
  assert.equal(two.status, 200);
  assert.equal(seen.at(-1)!.url, '/containerLogs/default/two/b');
  const which = await get('/api/v1/namespaces/default/pods/two/log');
  assert.equal(which.status, 400);
  assert.match(which.body, /a container name must be specified for pod two/);
  const pending = await get('/api/v1/namespaces/default/pods/pending/log');
  assert.equal(pending.status, 400);
  assert.match(pending.body, /pod pending does not have a host assigned/);
  assert.equal((await get('/api/v1/namespaces/default/pods/nope/log')).status, 404);
});

test('upgrades are spliced through to the agent', async () => {
  const sock = tlsConnect({ host: '127.0.0.1', port: api.port, ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key, servername: 'localhost' });
  await new Promise<void>((r) => sock.once('secureConnect', () => r()));
  let data = '';
  sock.setEncoding('utf8');
  sock.on('data', (c) => (data += c));
  sock.write(
    'POST /api/v1/namespaces/default/pods/one/exec?command=ls&command=-l&stdout=true HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n',
  );
  for (let i = 0; i < 100 && !data.includes('\r\n\r\n'); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(data, /^HTTP\/1\.1 101 Switching Protocols/);
  sock.write('ping');
  for (let i = 0; i < 100 && !data.includes('echo:ping'); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(data, /echo:ping$/);
  assert.deepEqual(seen.at(-1), { url: '/exec/default/one/c?command=ls&command=-l&stdout=true', auth: 'node-secret', user: 'system:admin', method: 'POST' });
  sock.destroy();

  const pf = tlsConnect({ host: '127.0.0.1', port: api.port, ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key, servername: 'localhost' });
  await new Promise<void>((r) => pf.once('secureConnect', () => r()));
  let pfData = '';
  pf.setEncoding('utf8');
  pf.on('data', (c) => (pfData += c));
  pf.write('GET /api/v1/namespaces/default/pods/pending/portforward HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
  await new Promise<void>((r) => pf.on('close', () => r()));
  assert.match(pfData, /^HTTP\/1\.1 400 /);
  assert.match(pfData, /does not have a host assigned/);
});
