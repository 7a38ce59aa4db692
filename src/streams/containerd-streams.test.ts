// The stream library against a REAL containerd: exec (exit code, stdin round trip, 100 MB upload) and
// port-forward (200 sequential + 200 concurrent HTTP requests, 100 MB download, ping), directly on CRI URLs
// and through handleStreamUpgrade as kubectl would reach it (websocket v5, SPDY fallback, websocket tunnel).
// Skips (with the reason) unless root with containerd, runc and the CNI plugins installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { WebSocket, createWebSocketStream } from 'ws';
import { WEB_PORT } from '../cri/test-images.ts';
import { runtimeSkipReason, startTestNode } from '../cri/test-node.ts';
import { dialSpdyUpgrade } from './backend-dial.ts';
import { WS_CHANNEL, exitCodeOf } from './exec-protocol.ts';
import { PORTFORWARD_WS_PROTOCOL } from './portforward-protocol.ts';
import { SpdyConnection, type SpdyStream } from './spdy-connection.ts';
import { startTestStreamServer } from './test-stream-server.ts';
import { startWebPod } from './test-web-pod.ts';

const skip = runtimeSkipReason();

const readAll = async (s: NodeJS.ReadableStream | undefined): Promise<Buffer> => {
  const parts: Buffer[] = [];
  if (s) for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
};

/** kubectl exec over SPDY (v4) on an upgraded connection: returns stdout, stderr and the Status. */
async function spdyExec(conn: SpdyConnection, opts: { stdin?: Buffer; stderr?: boolean }) {
  const open = (t: string) => conn.openStream({ streamtype: t });
  const error = await open('error');
  const stdin = opts.stdin ? await open('stdin') : undefined;
  const stdout = await open('stdout');
  const stderr = opts.stderr === false ? undefined : await open('stderr');
  if (stdin) stdin.end(opts.stdin);
  const [out, err, status] = await Promise.all([readAll(stdout), readAll(stderr), readAll(error)]);
  conn.close();
  return { stdout: out.toString(), stderr: err.toString(), status: status.length ? JSON.parse(status.toString()) : undefined };
}

/** kubectl ≥ 1.30 exec: websocket v5 to `url`, optional stdin (then the close signal), collects channels. */
async function wsExec(url: string, stdin?: Buffer | AsyncIterable<Buffer>) {
  const ws = new WebSocket(url, ['v5.channel.k8s.io']);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const statuses: unknown[] = [];
  ws.on('message', (d: Buffer) => {
    if (d[0] === WS_CHANNEL.stdout) out.push(d.subarray(1));
    else if (d[0] === WS_CHANNEL.stderr) err.push(d.subarray(1));
    else if (d[0] === WS_CHANNEL.status) statuses.push(JSON.parse(d.subarray(1).toString()));
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`websocket refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  assert.equal(ws.protocol, 'v5.channel.k8s.io');
  if (stdin) {
    const send = (b: Buffer) => new Promise<void>((r, j) => ws.send(Buffer.concat([Buffer.from([WS_CHANNEL.stdin]), b]), (e) => (e ? j(e) : r())));
    if (Buffer.isBuffer(stdin)) await send(stdin);
    else for await (const chunk of stdin) await send(chunk);
    ws.send(Buffer.from([WS_CHANNEL.close, WS_CHANNEL.stdin]));
  }
  const code = await closed;
  return { stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString(), statuses, closeCode: code };
}

/**
 * One forwarded connection, as kubectl does it: error + data streams with the same requestid. Reads the HTTP
 * response up to its Content-Length, then half-closes (kubectl does when the local client closes). Half-closing
 * earlier is not an option: containerd then drops the pod connection mid-response (a 100 MB GET stopped at 38 MB).
 */
async function forwardRequest(conn: SpdyConnection, requestId: number, payload: string, opts: { countOnly?: boolean } = {}): Promise<{ body: Buffer; bytes: number; error: string }> {
  const h = { port: String(WEB_PORT), requestid: String(requestId) };
  const [error, data] = await Promise.all([conn.openStream({ streamtype: 'error', ...h }), conn.openStream({ streamtype: 'data', ...h })]);
  error.end();
  const errText = readAll(error);
  data.write(payload);
  const parts: Buffer[] = [];
  let bytes = 0;
  let need = Infinity;
  let headerLen = -1;
  await new Promise<void>((resolve) => {
    data.on('data', (c: Buffer) => {
      bytes += c.length;
      if (!opts.countOnly || headerLen < 0) parts.push(c);
      if (headerLen < 0) {
        const text = Buffer.concat(parts).toString('latin1');
        const i = text.indexOf('\r\n\r\n');
        if (i >= 0) {
          headerLen = i + 4;
          const cl = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, i));
          if (cl) need = headerLen + Number(cl[1]);
        }
      }
      if (bytes >= need) resolve();
    });
    data.on('end', () => resolve());
  });
  data.end();
  const errorText = bytes >= need ? '' : (await errText).toString();
  return { body: Buffer.concat(parts), bytes, error: errorText };
}

function httpBody(raw: Buffer): { status: number; body: string } {
  const text = raw.toString('latin1');
  const i = text.indexOf('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.[01] (\d+)/.exec(text)?.[1] ?? 0), body: text.slice(i + 4) };
}

async function pool<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await fn(i);
      }
    }),
  );
  return results;
}

/**
 * kubectl ≥ 1.31's port-forward websocket. ws's client refuses `SPDY/3.1+portforward.k8s.io` (a '/' is not an
 * RFC 6455 token) while gorilla/websocket (kubectl) sends it, so do the handshake by hand and hand ws the socket.
 */
async function tunnelWebSocket(url: string): Promise<{ ws: WebSocket; protocol: string }> {
  const u = new URL(url.replace(/^ws/, 'http'));
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = httpRequest(u, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': key, 'sec-websocket-protocol': PORTFORWARD_WS_PROTOCOL },
    });
    req.on('upgrade', (res, socket, head) => {
      const accept = createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
      if (res.headers['sec-websocket-accept'] !== accept) return reject(new Error('bad Sec-WebSocket-Accept'));
      const ws = new WebSocket(null as unknown as string, undefined, { autoPong: true });
      (ws as unknown as { _isServer: boolean })._isServer = false; // mask what we send, as a client must
      (ws as unknown as { setSocket: (s: unknown, h: Buffer, o: object) => void }).setSocket(socket, head, { maxPayload: 0 });
      resolve({ ws, protocol: String(res.headers['sec-websocket-protocol']) });
    });
    req.on('response', (res) => reject(new Error(`websocket refused: ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

const mib = (bytes: number, ms: number) => `${(bytes / 1048576 / (ms / 1000)).toFixed(1)} MiB/s`;

test('exec and port-forward through the stream library against containerd', { skip, timeout: 600_000 }, async (t) => {
  const node = await startTestNode();
  try {
    const cri = node.cri;
    const { podSandboxId: podId, containerId: webId, sandboxConfig } = await startWebPod(node);

    const srv = await startTestStreamServer({ cri, podSandboxId: podId, containerId: webId });
    const base = srv.url.replace('http:', 'ws:') + '/api/v1/namespaces/default/pods/web';
    try {
      await t.test('SPDY client on a CRI exec URL: exit code 3 in the v4 Status', async () => {
        const url = await cri.exec(webId, ['sh', '-c', 'echo out; echo err >&2; exit 3'], { stdout: true, stderr: true });
        const b = await dialSpdyUpgrade({ url }, ['v4.channel.k8s.io']);
        assert.equal(b.protocol, 'v4.channel.k8s.io');
        const r = await spdyExec(new SpdyConnection(b.socket, { role: 'client' }), {});
        assert.equal(r.stdout, 'out\n');
        assert.equal(r.stderr, 'err\n');
        assert.equal(r.status.reason, 'NonZeroExitCode');
        assert.equal(exitCodeOf(r.status), 3);
      });

      await t.test('websocket v5 → SPDY bridge: exit 3, then cat round trip, one Status each', async () => {
        const q = (cmd: string[], extra: string) => `${base}/exec?${cmd.map((c) => `command=${encodeURIComponent(c)}`).join('&')}&container=web&stdout=true&stderr=true${extra}`;
        const r1 = await wsExec(q(['sh', '-c', 'exit 3'], ''));
        assert.equal(r1.statuses.length, 1);
        assert.equal(exitCodeOf(r1.statuses[0]), 3);
        assert.equal(r1.closeCode, 1000);
        const payload = Buffer.from('hello through the bridge\n'.repeat(1000));
        const r2 = await wsExec(q(['cat'], '&stdin=true'), payload);
        assert.ok(r2.stdout.equals(payload), `cat echoed ${r2.stdout.length} of ${payload.length} bytes`);
        assert.deepEqual(r2.statuses, [{ metadata: {}, status: 'Success' }]);
      });

      await t.test('websocket v5 bridge: 100 MB on stdin to wc -c', async () => {
        const chunk = Buffer.alloc(256 * 1024, 0x5a);
        const total = 100 * 1024 * 1024;
        async function* gen() {
          for (let sent = 0; sent < total; sent += chunk.length) yield chunk;
        }
        const t0 = performance.now();
        const r = await wsExec(`${base}/exec?command=wc&command=-c&container=web&stdin=true&stdout=true&stderr=true`, gen());
        const ms = performance.now() - t0;
        assert.equal(r.stdout.toString().trim(), String(total), r.stderr);
        assert.equal(exitCodeOf(r.statuses[0]), 0);
        console.log(`# exec stdin upload 100 MiB via websocket v5 → SPDY → containerd: ${(ms / 1000).toFixed(2)} s, ${mib(total, ms)}`);
      });

      await t.test('attach (websocket v5 → CRI Attach): stdin reaches the main process, its output comes back', async () => {
        const readerId = await cri.createContainer(podId, {
          metadata: { name: 'reader', attempt: 0 },
          image: { image: 'k8ts.local/busybox:1' },
          command: ['sh', '-c', 'read line; echo "got $line"; echo bye >&2; sleep 1; exit 4'],
          log_path: 'reader/0.log',
          stdin: true,
          stdin_once: true,
          linux: {},
        }, sandboxConfig);
        await cri.startContainer(readerId);
        const att = await startTestStreamServer({ cri, podSandboxId: podId, containerId: readerId });
        try {
          const r = await wsExec(`${att.url.replace('http:', 'ws:')}/api/v1/namespaces/default/pods/web/attach?container=reader&stdin=true&stdout=true&stderr=true`, Buffer.from('hello\n'));
          assert.equal(r.stdout.toString(), 'got hello\n');
          assert.equal(r.stderr, 'bye\n');
          assert.equal(r.statuses.length, 1);
          assert.equal((r.statuses[0] as { status: string }).status, 'Success'); // attach reports no exit code
        } finally {
          await att.close();
        }
      });

      await t.test('SPDY passthrough (kubectl fallback offering v5..v1): cat round trip', async () => {
        const b = await dialSpdyUpgrade({ url: `${srv.url}/api/v1/namespaces/default/pods/web/exec?command=cat&container=web&stdin=true&stdout=true&stderr=true` },
          ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io']);
        assert.equal(b.protocol, 'v4.channel.k8s.io');
        const r = await spdyExec(new SpdyConnection(b.socket, { role: 'client' }), { stdin: Buffer.from('ping pong') });
        assert.equal(r.stdout, 'ping pong');
        assert.equal(r.status.status, 'Success');
      });

      await t.test('a backend that refuses becomes a Status before the upgrade', async () => {
        // No such container: CRI Exec fails in dialBackend.
        const bad = await startTestStreamServer({ cri, podSandboxId: podId, containerId: 'nope' });
        try {
          const ws = new WebSocket(`${bad.url.replace('http:', 'ws:')}/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true`, ['v5.channel.k8s.io']);
          const res = await new Promise<{ code: number; body: string }>((resolve, reject) => {
            ws.once('unexpected-response', (_req, r) => {
              let body = '';
              r.on('data', (c: Buffer) => (body += c));
              r.on('end', () => resolve({ code: r.statusCode ?? 0, body }));
            });
            ws.once('open', () => reject(new Error('upgraded')));
          });
          assert.equal(res.code, 500);
          const status = JSON.parse(res.body);
          assert.equal(status.kind, 'Status');
          assert.match(status.message, /nope/);
        } finally {
          await bad.close();
        }
      });

      const forwardLoad = async (conn: SpdyConnection, label: string) => {
        let id = 0;
        const get = async (path: string) => {
          const r = await forwardRequest(conn, id++, `GET ${path} HTTP/1.0\r\nHost: localhost\r\n\r\n`);
          assert.equal(r.error, '');
          return httpBody(r.body);
        };
        let t0 = performance.now();
        let failures = 0;
        for (let i = 0; i < 200; i++) {
          const r = await get('/').catch(() => ({ status: 0, body: '' }));
          if (r.status !== 200 || r.body !== 'web-pod\n') failures++;
        }
        const seqMs = performance.now() - t0;
        t0 = performance.now();
        const conc = await pool(200, 20, () => get('/healthz').catch(() => ({ status: 0, body: '' })));
        const concMs = performance.now() - t0;
        failures += conc.filter((r) => r.status !== 200 || r.body !== 'ok\n').length;
        assert.equal(failures, 0);
        const rtt = await conn.ping();
        t0 = performance.now();
        const big = await forwardRequest(conn, id++, 'GET /big HTTP/1.0\r\nHost: localhost\r\n\r\n', { countOnly: true });
        const got = big.bytes;
        const bigMs = performance.now() - t0;
        assert.equal(big.error, '');
        assert.ok(got > 100 * 1024 * 1024, `downloaded ${got} bytes`);
        console.log(`# port-forward ${label}: 200 sequential in ${seqMs.toFixed(0)} ms (${(seqMs / 200).toFixed(1)} ms/req), ` +
          `200 concurrent (20 at a time) in ${concMs.toFixed(0)} ms, 0 failures, ping ${rtt.toFixed(1)} ms, 100 MiB GET in ${(bigMs / 1000).toFixed(2)} s (${mib(got, bigMs)})`);
      };

      await t.test('port-forward, SPDY on the CRI URL directly', async () => {
        const b = await dialSpdyUpgrade({ url: await cri.portForward(podId, []) }, ['portforward.k8s.io']);
        assert.equal(b.protocol, 'portforward.k8s.io');
        const conn = new SpdyConnection(b.socket, { role: 'client' });
        try {
          await forwardLoad(conn, 'direct to containerd');
        } finally {
          conn.close();
        }
      });

      await t.test('port-forward, websocket tunnel (kubectl ≥ 1.31) through handleStreamUpgrade', async () => {
        const { ws, protocol } = await tunnelWebSocket(`${base}/portforward`);
        assert.equal(protocol, PORTFORWARD_WS_PROTOCOL);
        const conn = new SpdyConnection(createWebSocketStream(ws), { role: 'client' });
        try {
          await forwardLoad(conn, 'websocket tunnel');
          // An error is reported on the error stream, as kubectl shows it.
          const h = { port: '9999', requestid: '9999' };
          const [error, data] = await Promise.all([conn.openStream({ streamtype: 'error', ...h }), conn.openStream({ streamtype: 'data', ...h })]);
          data.resume();
          const text = (await readAll(error as SpdyStream)).toString();
          assert.match(text, /9999/);
        } finally {
          conn.close();
        }
      });

      await t.test('port-forward, SPDY fallback through handleStreamUpgrade', async () => {
        const b = await dialSpdyUpgrade({ url: `${srv.url}/api/v1/namespaces/default/pods/web/portforward` }, ['portforward.k8s.io']);
        assert.equal(b.protocol, 'portforward.k8s.io');
        const conn = new SpdyConnection(b.socket, { role: 'client' });
        try {
          const rs = await pool(50, 10, (i) => forwardRequest(conn, i, 'GET / HTTP/1.0\r\n\r\n'));
          assert.deepEqual(new Set(rs.map((r) => httpBody(r.body).body)), new Set(['web-pod\n']));
          assert.ok((await conn.ping()) >= 0);
        } finally {
          conn.close();
        }
      });
    } finally {
      await srv.close();
    }
  } finally {
    await node.teardown();
  }
});
