import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { SpdyConnection, type SpdyStream } from './spdy-connection.ts';

/** A TCP loopback pair: our SPDY server on one end, our SPDY client on the other. */
async function pair(onStream: (s: SpdyStream, conn: SpdyConnection) => void) {
  const server = createServer((sock) => {
    const conn = new SpdyConnection(sock, { role: 'server' });
    conn.on('stream', (s: SpdyStream) => onStream(s, conn));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const sock = connect(port, '127.0.0.1');
  await once(sock, 'connect');
  const client = new SpdyConnection(sock as Socket, { role: 'client' });
  return {
    client,
    async close() {
      client.destroy();
      server.close();
    },
  };
}

const readAll = async (s: NodeJS.ReadableStream): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
};

test('client and server: headers, echo, half-close, ping', async () => {
  const seen: Record<string, string>[] = [];
  const { client, close } = await pair((s) => {
    seen.push(s.headers);
    s.reply();
    s.pipe(s); // echo; ends our side when the client ends its side
  });
  try {
    const a = await client.openStream({ streamtype: 'stdin', port: '80' });
    const b = await client.openStream({ streamtype: 'stdout' });
    assert.equal(a.id, 1);
    assert.equal(b.id, 3);
    a.end('hello ');
    b.end(Buffer.from('world'));
    assert.equal((await readAll(a)).toString(), 'hello ');
    assert.equal((await readAll(b)).toString(), 'world');
    assert.deepEqual(seen, [{ streamtype: 'stdin', port: '80' }, { streamtype: 'stdout' }]);
    const rtt = await client.ping();
    assert.ok(rtt >= 0);
    assert.equal(client.activeStreams, 0);
  } finally {
    await close();
  }
});

test('a refused stream rejects openStream; a reset reaches the other side', async () => {
  const { client, close } = await pair((s) => {
    if (s.headers.streamtype === 'bad') return s.reset(3);
    s.reply();
    s.on('reset', () => s.emit('peer-reset'));
    s.resume();
  });
  try {
    await assert.rejects(client.openStream({ streamtype: 'bad' }), /refused: RST_STREAM status 3/);
    const ok = await client.openStream({ streamtype: 'ok' });
    ok.reset();
    assert.equal(ok.resetStatus, 5);
    assert.equal((await readAll(ok)).length, 0);
  } finally {
    await close();
  }
});

test('large transfers in both directions on concurrent streams complete with backpressure', async () => {
  const size = 32 * 1024 * 1024;
  const { client, close } = await pair((s) => {
    s.reply();
    if (s.headers.streamtype === 'sink') {
      const h = createHash('sha256');
      let n = 0;
      s.on('data', (c: Buffer) => {
        h.update(c);
        n += c.length;
      });
      s.on('end', () => s.end(`${n} ${h.digest('hex')}`));
    } else {
      // source: write `size` bytes, respecting backpressure
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!s.write(chunk)) return void s.once('drain', pump);
        }
        s.end();
      };
      pump();
      s.resume();
    }
  });
  try {
    const t0 = performance.now();
    const sink = await client.openStream({ streamtype: 'sink' });
    const source = await client.openStream({ streamtype: 'source' });
    const data = randomBytes(1024 * 1024);
    const expect = createHash('sha256');
    const up = (async () => {
      for (let i = 0; i < size / data.length; i++) {
        expect.update(data);
        if (!sink.write(data)) await once(sink, 'drain');
      }
      sink.end();
      return (await readAll(sink)).toString();
    })();
    let down = 0;
    for await (const c of source) {
      down += (c as Buffer).length;
      if (down % (8 * 1024 * 1024) < (c as Buffer).length) await new Promise((r) => setTimeout(r, 20)); // a slow reader now and then
    }
    source.end();
    assert.equal(await up, `${size} ${expect.digest('hex')}`);
    assert.equal(down, size);
    const s = (performance.now() - t0) / 1000;
    console.log(`# loopback: 2 x ${size / 1024 / 1024} MiB in ${s.toFixed(2)} s (${((2 * size) / 1024 / 1024 / s).toFixed(0)} MiB/s)`);
  } finally {
    await close();
  }
});

test('connection loss ends open streams and rejects pending opens', async () => {
  let serverConn: SpdyConnection | undefined;
  const { client, close } = await pair((s, conn) => {
    serverConn = conn;
    if (s.headers.streamtype === 'first') s.reply();
    // 'second' never gets a reply
  });
  try {
    const first = await client.openStream({ streamtype: 'first' });
    const second = client.openStream({ streamtype: 'second' });
    await new Promise((r) => setTimeout(r, 50));
    serverConn!.destroy();
    await assert.rejects(second, /connection closed before the reply/);
    assert.equal((await readAll(first)).length, 0);
    await client.done;
  } finally {
    await close();
  }
});
