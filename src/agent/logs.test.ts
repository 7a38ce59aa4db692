import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../api/object.ts';
import { agentSecret, logContainer, startAgentServer, type AgentServer } from './agent-server.ts';
import { formatLine, parseCriLog, parseCriRecord, rfc3339Nano, selectLines, streamLogFile } from './cri-log.ts';
import { containerLogPath } from './log-paths.ts';
import { proxyPodLog } from './log-proxy.ts';

const LOG = [
  '2026-11-25T18:24:23.100000000Z stdout F first line',
  '2026-11-25T18:24:24.200000000Z stderr F an error',
  '2026-11-25T18:24:25.300000000Z stdout P par',
  '2026-11-25T18:24:25.300000001Z stdout P tial ',
  '2026-11-25T18:24:25.400000000Z stdout F joined',
  '2026-11-25T18:24:26.000000000Z stdout F ',
  '2026-11-25T18:24:27.123456789Z stdout F last',
  '',
].join('\n');

describe('CRI log parsing', () => {
  test('records', () => {
    assert.deepEqual(parseCriRecord('2026-11-25T18:24:23.234585973Z stdout F hello world'), {
      time: '2026-11-25T18:24:23.234585973Z',
      stream: 'stdout',
      partial: false,
      text: 'hello world',
    });
    assert.equal(parseCriRecord('2026-11-25T18:24:23.234585973Z stderr P ')?.text, '');
    assert.equal(parseCriRecord('2026-11-25T18:24:23.234585973Z stdout F')?.text, '');
    assert.equal(parseCriRecord('garbage'), undefined);
  });
  test('partial records are joined; text keeps its newline', () => {
    const lines = parseCriLog(LOG);
    assert.deepEqual(lines.map((l) => l.text), ['first line\n', 'an error\n', 'partial joined\n', '\n', 'last\n']);
    assert.equal(lines[2].time, '2026-11-25T18:24:25.300000000Z');
  });
  test('timestamps as Go RFC3339Nano (trailing zeros trimmed)', () => {
    assert.equal(rfc3339Nano('2026-11-25T18:24:23.100000000Z'), '2026-11-25T18:24:23.1Z');
    assert.equal(rfc3339Nano('2026-11-25T18:24:26.000000000Z'), '2026-11-25T18:24:26Z');
    assert.equal(rfc3339Nano('2026-11-25T18:24:27.123456789Z'), '2026-11-25T18:24:27.123456789Z');
    const [first] = parseCriLog(LOG);
    assert.equal(formatLine(first, true), '2026-11-25T18:24:23.1Z first line\n');
    assert.equal(formatLine(first, false), 'first line\n');
  });
  test('tailLines and since', () => {
    const lines = parseCriLog(LOG);
    assert.deepEqual(selectLines(lines, { tailLines: 2 }).map((l) => l.text), ['\n', 'last\n']);
    assert.deepEqual(selectLines(lines, { tailLines: 0 }), []);
    assert.deepEqual(selectLines(lines, { sinceMs: Date.parse('2026-11-25T18:24:25.3Z') }).map((l) => l.text), ['partial joined\n', '\n', 'last\n']);
  });
});

describe('streaming a log file', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'k8ts-logs-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('limitBytes cuts the output', async () => {
    const f = join(dir, 'a.log');
    writeFileSync(f, LOG);
    let out = '';
    await streamLogFile(f, { limitBytes: 8 }, (s) => void (out += s));
    assert.equal(out, 'first li');
  });

  test('follow writes appended lines and ends when done', async () => {
    const f = join(dir, 'b.log');
    writeFileSync(f, '2026-11-25T18:24:23.1Z stdout F one\n2026-11-25T18:24:23.2Z stdout F tw');
    let out = '';
    let done = false;
    const p = streamLogFile(f, { follow: true, pollMs: 20, done: () => done }, (s) => void (out += s));
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(out, 'one\n');
    appendFileSync(f, 'o\n2026-11-25T18:24:23.3Z stdout F three\n');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(out, 'one\ntwo\nthree\n');
    done = true;
    await p;
  });
});

describe('agent log server + API-side proxy', () => {
  let dir: string;
  let server: AgentServer;
  let front: http.Server;
  let frontPort: number;
  const secret = agentSecret('node-token-123');
  const pods = new Map<string, KubeObject>();
  const pod = (name: string, status: object): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { containers: [{ name: 'c', image: 'x' }] },
    status,
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-agentsrv-'));
    pods.set('running', pod('running', { containerStatuses: [{ name: 'c', restartCount: 1, state: { running: { containerID: 'containerd://b' } }, lastState: { terminated: { containerID: 'containerd://a', exitCode: 1 } } }] }));
    pods.set('waiting', pod('waiting', { containerStatuses: [{ name: 'c', restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }));
    pods.set('fresh', pod('fresh', { containerStatuses: [{ name: 'c', restartCount: 0, state: { running: { containerID: 'containerd://z' } }, lastState: {} }] }));
    for (const [n, text] of [[0, '2026-11-25T18:00:00.000000000Z stdout F old run\n'], [1, LOG]] as const) {
      const f = containerLogPath(dir, 'default', 'running', 'uid-running', 'c', n);
      mkdirSync(join(f, '..'), { recursive: true });
      writeFileSync(f, text);
    }
    server = await startAgentServer({ port: 0, host: '127.0.0.1', secret, logDir: dir, pod: (ns, n) => (ns === 'default' ? pods.get(n) : undefined) });
    // a stand-in for the API server's pods/log handler
    front = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const [, pod, container] = u.pathname.split('/');
      void proxyPodLog('127.0.0.1', server.port, u.searchParams.get('badsecret') ? 'wrong' : secret, 'default', pod, container, u.searchParams, res);
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    frontPort = (front.address() as AddressInfo).port;
  });
  after(async () => {
    await server.close();
    front.closeAllConnections();
    await new Promise((r) => front.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      http.get(`http://127.0.0.1:${frontPort}${path}`, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });

  test('current, tail, timestamps, previous', async () => {
    assert.deepEqual(await get('/running/c'), { status: 200, body: 'first line\nan error\npartial joined\n\nlast\n' });
    assert.equal((await get('/running/c?tailLines=1&timestamps=true')).body, '2026-11-25T18:24:27.123456789Z last\n');
    assert.equal((await get('/running/c?previous=true')).body, 'old run\n');
  });

  test('kubelet errors come back as Status', async () => {
    const w = await get('/waiting/c');
    assert.equal(w.status, 400);
    assert.equal(JSON.parse(w.body).message, 'container "c" in pod "waiting" is waiting to start: ContainerCreating');
    const p = await get('/fresh/c?previous=true');
    assert.equal(p.status, 400);
    assert.equal(JSON.parse(p.body).message, 'previous terminated container "c" in pod "fresh" not found');
    const nf = await get('/nope/c');
    assert.equal(nf.status, 404);
    const inv = await get('/running/zz');
    assert.equal(JSON.parse(inv.body).message, 'container zz is not valid for pod running');
    assert.equal((await get('/running/c?badsecret=1')).status, 401);
  });

  test('logContainer picks last terminated while waiting in back-off', () => {
    const p = pod('crash', { containerStatuses: [{ name: 'c', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { containerID: 'containerd://q' } } }] });
    assert.deepEqual(logContainer(p, 'c', false), { containerID: 'containerd://q', isLast: true });
  });
});
