// handleStreamUpgrade against a fake backend that speaks SPDY like containerd's stream server (no root needed):
// websocket v5 exec bridged to SPDY v4 with exactly one Status, SPDY passthrough, the port-forward websocket
// tunnel, and Status replies before the upgrade when the backend refuses or cannot be reached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, createWebSocketStream } from 'ws';
import { dialSpdyUpgrade } from './backend-dial.ts';
import { WS_CHANNEL, exitCodeOf, exitCodeStatus, successStatus } from './exec-protocol.ts';
import { PORTFORWARD_WS_PROTOCOL } from './portforward-protocol.ts';
import { SpdyConnection, type SpdyStream } from './spdy-connection.ts';
import { handleStreamUpgrade, makeStatus, type StreamKind } from './upgrade.ts';

/**
 * A containerd-like backend: POST + Upgrade SPDY/3.1. `/exec?cmd=cat|exit-N` waits for the streams, runs the
 * "command", writes the v4 Status on `error`, resets, closes. `/portforward` echoes each data stream uppercased.
 * `/refuse` answers 400 with a Status.
 */
async function fakeBackend(): Promise<{ url: string; close: () => Promise<void>; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(404);
    res.end('page not found');
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/refuse') {
      const body = JSON.stringify(makeStatus(400, 'container "nope" not found in pod "web"'));
      socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      return;
    }
    const offered = req.headersDistinct['x-stream-protocol-version'] ?? [];
    const proto = url.pathname === '/portforward' ? 'portforward.k8s.io' : 'v4.channel.k8s.io';
    if (!offered.includes(proto)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${proto}\r\n\r\n`);
    const conn = new SpdyConnection(socket, { role: 'server' });
    if (url.pathname === '/portforward') {
      conn.on('stream', (s: SpdyStream) => {
        s.reply();
        if (s.headers.streamtype === 'error') return void s.resume();
        s.on('data', (c: Buffer) => s.write(c.toString().toUpperCase()));
        s.on('end', () => s.end());
      });
      return;
    }
    const cmd = url.searchParams.get('cmd') ?? '';
    const streams: Record<string, SpdyStream> = {};
    const expected = Number(url.searchParams.get('streams') ?? 4);
    conn.on('stream', (s: SpdyStream) => {
      s.reply();
      streams[s.headers.streamtype!] = s;
      if (Object.keys(streams).length < expected) return;
      const finish = (status: unknown) => {
        streams.error!.write(JSON.stringify(status));
        for (const st of Object.values(streams)) st.reset();
        conn.close();
      };
      if (cmd === 'tty') {
        // echo what arrives on the resize stream to stdout; finish when stdin ends
        streams.resize!.on('data', (c: Buffer) => streams.stdout!.write(`resize:${c}`));
        streams.stdin!.resume();
        streams.stdin!.on('end', () => setTimeout(() => finish(successStatus()), 20));
      } else if (cmd === 'cat') {
        streams.stdin!.pipe(streams.stdout!, { end: true });
        streams.stdout!.on('finish', () => finish(successStatus()));
      } else {
        streams.stdout?.end('out\n');
        streams.stderr?.end('err\n');
        setTimeout(() => finish(exitCodeStatus(Number(cmd.replace('exit-', '')))), 10);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

/** The API server under test: every upgrade goes to `backendPath` on the fake backend. */
async function frontend(kind: StreamKind, backend: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer();
  const sockets = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    const url = new URL(req.url ?? '/', 'http://x');
    void handleStreamUpgrade(req, socket, head, {
      kind,
      query: url.searchParams,
      dialBackend: async () => {
        if (url.searchParams.get('fail') === 'api') throw Object.assign(new Error('pods "web" not found'), { code: 404, reason: 'NotFound' });
        return { url: `${backend}${url.searchParams.get('backend') ?? ''}` };
      },
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

async function wsSession(url: string, stdin?: Buffer) {
  const ws = new WebSocket(url, ['v5.channel.k8s.io']);
  const msgs: Buffer[] = [];
  ws.on('message', (d: Buffer) => msgs.push(d));
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  await once(ws, 'open');
  if (stdin) {
    ws.send(Buffer.concat([Buffer.from([WS_CHANNEL.stdin]), stdin]));
    ws.send(Buffer.from([WS_CHANNEL.close, WS_CHANNEL.stdin]));
  }
  const code = await closed;
  const on = (ch: number) => Buffer.concat(msgs.filter((m) => m[0] === ch).map((m) => m.subarray(1))).toString();
  return { code, stdout: on(WS_CHANNEL.stdout), stderr: on(WS_CHANNEL.stderr), statuses: msgs.filter((m) => m[0] === WS_CHANNEL.status).map((m) => JSON.parse(m.subarray(1).toString())) };
}

function rawUpgradeStatus(url: string, headers: Record<string, string>, method = 'GET'): Promise<{ code: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(body) }));
    });
    req.on('upgrade', () => reject(new Error('unexpectedly upgraded')));
    req.on('error', reject);
    req.end();
  });
}

const wsHeaders = (protocol: string) => ({ connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'), 'sec-websocket-protocol': protocol });

test('websocket v5 exec: output channels, then exactly one Status with the exit code', async () => {
  const be = await fakeBackend();
  const fe = await frontend('exec', be.url);
  try {
    const wsBase = fe.url.replace('http:', 'ws:');
    const r = await wsSession(`${wsBase}/?command=x&stdout=true&stderr=true&backend=${encodeURIComponent('/exec?cmd=exit-3&streams=3')}`);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
    assert.equal(r.statuses.length, 1);
    assert.equal(exitCodeOf(r.statuses[0]), 3);
    assert.equal(r.code, 1000);
    const c = await wsSession(`${wsBase}/?command=cat&stdin=true&stdout=true&stderr=true&backend=${encodeURIComponent('/exec?cmd=cat&streams=4')}`, Buffer.from('abc'));
    assert.equal(c.stdout, 'abc');
    assert.deepEqual(c.statuses, [{ metadata: {}, status: 'Success' }]);
  } finally {
    await fe.close();
    await be.close();
  }
});

test('websocket v5 exec with a TTY: no stderr stream, channel 4 reaches the resize stream', async () => {
  const be = await fakeBackend();
  const fe = await frontend('exec', be.url);
  try {
    const ws = new WebSocket(`${fe.url.replace('http:', 'ws:')}/?command=sh&stdin=true&stdout=true&stderr=true&tty=true&backend=${encodeURIComponent('/exec?cmd=tty&streams=4')}`, ['v5.channel.k8s.io']);
    const msgs: Buffer[] = [];
    ws.on('message', (d: Buffer) => msgs.push(d));
    const closed = once(ws, 'close');
    await once(ws, 'open');
    ws.send(Buffer.concat([Buffer.from([WS_CHANNEL.resize]), Buffer.from('{"Width":100,"Height":30}\n')]));
    await new Promise((r) => setTimeout(r, 50));
    ws.send(Buffer.from([WS_CHANNEL.close, WS_CHANNEL.stdin]));
    await closed;
    const stdout = Buffer.concat(msgs.filter((m) => m[0] === WS_CHANNEL.stdout).map((m) => m.subarray(1))).toString();
    assert.equal(stdout, 'resize:{"Width":100,"Height":30}\n');
    assert.equal(msgs.filter((m) => m[0] === WS_CHANNEL.status).length, 1);
  } finally {
    await fe.close();
    await be.close();
  }
});

test('SPDY passthrough: the backend chooses the version, bytes flow unchanged', async () => {
  const be = await fakeBackend();
  const fe = await frontend('exec', be.url);
  try {
    const b = await dialSpdyUpgrade({ url: `${fe.url}/?backend=${encodeURIComponent('/exec?cmd=cat&streams=4')}` }, ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    assert.equal(b.protocol, 'v4.channel.k8s.io');
    const conn = new SpdyConnection(b.socket, { role: 'client' });
    const [error, stdin, stdout] = await Promise.all(['error', 'stdin', 'stdout', 'stderr'].map((t) => conn.openStream({ streamtype: t })));
    stdin!.end('passthrough');
    let out = '';
    for await (const c of stdout!) out += c;
    let status = '';
    for await (const c of error!) status += c;
    assert.equal(out, 'passthrough');
    assert.deepEqual(JSON.parse(status), successStatus());
  } finally {
    await fe.close();
    await be.close();
  }
});

test('port-forward websocket tunnel carries raw SPDY both ways, pings included', async () => {
  const be = await fakeBackend();
  const fe = await frontend('portforward', be.url);
  try {
    const u = new URL(`${fe.url}/?backend=%2Fportforward`);
    const headers = wsHeaders(PORTFORWARD_WS_PROTOCOL);
    const { socket, head, protocol, accept } = await new Promise<{ socket: Duplex; head: Buffer; protocol: string; accept: string }>((resolve, reject) => {
      const req = httpRequest(u, { headers });
      req.on('upgrade', (res, socket, head) => resolve({ socket, head, protocol: String(res.headers['sec-websocket-protocol']), accept: String(res.headers['sec-websocket-accept']) }));
      req.on('response', (res) => reject(new Error(`refused ${res.statusCode}`)));
      req.end();
    });
    assert.equal(protocol, PORTFORWARD_WS_PROTOCOL);
    assert.equal(accept, createHash('sha1').update(headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64'));
    const ws = new WebSocket(null as unknown as string, undefined, { autoPong: true });
    (ws as unknown as { _isServer: boolean })._isServer = false;
    (ws as unknown as { setSocket: (s: unknown, h: Buffer, o: object) => void }).setSocket(socket, head, { maxPayload: 0 });
    const conn = new SpdyConnection(createWebSocketStream(ws), { role: 'client' });
    const results = await Promise.all([0, 1, 2].map(async (i) => {
      const h = { port: '80', requestid: String(i) };
      const [, data] = await Promise.all([conn.openStream({ streamtype: 'error', ...h }), conn.openStream({ streamtype: 'data', ...h })]);
      data!.end(`hello ${i}`);
      let out = '';
      for await (const c of data!) out += c;
      return out;
    }));
    assert.deepEqual(results, ['HELLO 0', 'HELLO 1', 'HELLO 2']);
    assert.ok((await conn.ping()) >= 0);
    conn.close();
  } finally {
    await fe.close();
    await be.close();
  }
});

test('refusals become a Status before any 101', async () => {
  const be = await fakeBackend();
  const fe = await frontend('exec', be.url);
  try {
    // The backend's own Status is passed on.
    let r = await rawUpgradeStatus(`${fe.url}/?command=ls&stdout=true&backend=%2Frefuse`, wsHeaders('v5.channel.k8s.io'));
    assert.equal(r.code, 400);
    assert.equal(r.body.message, 'container "nope" not found in pod "web"');
    // An ApiError-like throw from dialBackend.
    r = await rawUpgradeStatus(`${fe.url}/?command=ls&stdout=true&fail=api`, { connection: 'Upgrade', upgrade: 'SPDY/3.1', 'x-stream-protocol-version': 'v4.channel.k8s.io' }, 'POST');
    assert.equal(r.code, 404);
    assert.equal(r.body.reason, 'NotFound');
    // Backend unreachable.
    const dead = await frontend('exec', 'http://127.0.0.1:1');
    try {
      r = await rawUpgradeStatus(`${dead.url}/?command=ls&stdout=true`, wsHeaders('v5.channel.k8s.io'));
      assert.equal(r.code, 500);
      assert.equal(r.body.kind, 'Status');
      assert.match(String(r.body.message), /error dialing backend/);
    } finally {
      await dead.close();
    }
    // Protocol problems: a websocket subprotocol we do not speak (kubectl then falls back to SPDY), no streams.
    r = await rawUpgradeStatus(`${fe.url}/?command=ls&stdout=true`, wsHeaders('base64.channel.k8s.io'));
    assert.equal(r.code, 400);
    r = await rawUpgradeStatus(`${fe.url}/?command=ls`, wsHeaders('v5.channel.k8s.io'));
    assert.equal(r.code, 400);
    assert.match(String(r.body.message), /at least 1 of stdin, stdout, stderr/);
  } finally {
    await fe.close();
    await be.close();
  }
});
