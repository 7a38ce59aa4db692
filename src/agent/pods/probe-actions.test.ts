import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpGetAction, resolvePort, tcpAction } from './probe-actions.ts';

function listen(handler: (path: string) => number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    res.statusCode = handler(req.url ?? '/');
    res.end(req.headers['user-agent'] ?? '');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port })));
}

test('httpGet and tcpSocket actions with kubelet outputs', async () => {
  const { server, port } = await listen((p) => (p === '/healthz' ? 200 : 503));
  try {
    const ok = await httpGetAction({ path: '/healthz', port }, '127.0.0.1', 1);
    assert.equal(ok.result, 'success');
    assert.match(ok.output, /^kube-probe\//);
    assert.deepEqual(await httpGetAction({ path: '/bad', port: 'web' }, '127.0.0.1', 1, { ports: [{ name: 'web', containerPort: port }] }), { result: 'failure', output: 'HTTP probe failed with statuscode: 503' });
    assert.deepEqual(await tcpAction({ port }, '127.0.0.1', 1), { result: 'success', output: '' });
  } finally {
    server.close();
  }
  const refused = await httpGetAction({ path: '/x', port }, '127.0.0.1', 1);
  assert.deepEqual(refused, { result: 'failure', output: `Get "http://127.0.0.1:${port}/x": dial tcp 127.0.0.1:${port}: connect: connection refused` });
  assert.deepEqual(await tcpAction({ port }, '127.0.0.1', 1), { result: 'failure', output: `dial tcp 127.0.0.1:${port}: connect: connection refused` });
  assert.equal(resolvePort('8080', {}), 8080);
  assert.throws(() => resolvePort('nope', { ports: [] }), /couldn't find port: nope/);
});
