// The watch's resume logic against a scripted HTTP/2 server: a stream that ends is resumed from the last
// resourceVersion seen (bookmarks included); an in-stream ERROR (410 Expired) ends the watch; a 410 reply to a resume
// is reported as ERROR too.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { createCa, issueServingCert } from '../apiserver/pki.ts';
import { RestClient } from './rest-client.ts';

let server: http2.Http2SecureServer;
let url: string;
const requests: URLSearchParams[] = [];
/** What the n-th watch request gets. */
let script: ((q: URLSearchParams, stream: http2.ServerHttp2Stream) => void)[] = [];

before(async () => {
  const ca = await createCa('test');
  const cert = await issueServingCert(ca, ['127.0.0.1']);
  server = http2.createSecureServer({ cert: cert.cert, key: cert.key });
  server.on('stream', (stream, headers) => {
    const u = new URL(String(headers[':path']), 'https://x');
    requests.push(u.searchParams);
    const next = script.shift();
    if (next) next(u.searchParams, stream);
    else {
      stream.respond({ ':status': 200, 'content-type': 'application/json' });
      // hold open
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const ev = (type: string, rv: string, name = 'p') => `${JSON.stringify({ type, object: { kind: 'Pod', metadata: { name, resourceVersion: rv } } })}\n`;

test('resumes from the last resourceVersion (bookmarks count) after the stream ends; 410 in-stream ends the watch', async () => {
  requests.length = 0;
  script = [
    (_q, s) => {
      s.respond({ ':status': 200 });
      s.write(ev('ADDED', '5', 'a'));
      s.write(ev('BOOKMARK', '9'));
      s.end(); // server timeout
    },
    (_q, s) => {
      s.respond({ ':status': 200 });
      s.write(ev('MODIFIED', '12', 'a'));
      s.write(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version: 9 (15)' } })}\n`);
      s.write(ev('ADDED', '13', 'ignored'));
      s.end();
    },
  ];
  const client = new RestClient({ server: url, token: 't', insecure: true });
  const seen: string[] = [];
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const w = await client.pods.watch('default', { resourceVersion: '1', labelSelector: 'app=x' }, (type, obj) => {
    seen.push(`${type} ${(obj as { metadata?: { resourceVersion?: string }; code?: number }).metadata?.resourceVersion ?? (obj as { code?: number }).code}`);
    if (type === 'ERROR') done();
  });
  await finished;
  await new Promise((r) => setTimeout(r, 100));
  w.stop();
  client.close();
  assert.deepEqual(seen, ['ADDED 5', 'BOOKMARK 9', 'MODIFIED 12', 'ERROR 410']);
  assert.equal(requests.length, 2, 'no reconnect after ERROR');
  assert.equal(requests[0].get('resourceVersion'), '1');
  assert.equal(requests[0].get('watch'), '1');
  assert.equal(requests[0].get('allowWatchBookmarks'), 'true');
  assert.equal(requests[0].get('labelSelector'), 'app=x');
  assert.equal(requests[1].get('resourceVersion'), '9', 'resumed from the bookmark');
  assert.equal(requests[1].get('labelSelector'), 'app=x');
});

test('a 410 reply to a resume is reported as ERROR', async () => {
  requests.length = 0;
  script = [
    (_q, s) => {
      s.respond({ ':status': 200 });
      s.write(ev('ADDED', '20'));
      s.end();
    },
    (_q, s) => {
      s.respond({ ':status': 410, 'content-type': 'application/json' });
      s.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version' }));
    },
  ];
  const client = new RestClient({ server: url, token: 't', insecure: true });
  const seen: string[] = [];
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const w = await client.pods.watch(undefined, { resourceVersion: '10' }, (type, obj) => {
    seen.push(type);
    if (type === 'ERROR') {
      assert.equal((obj as { reason?: string }).reason, 'Expired');
      done();
    }
  });
  await finished;
  w.stop();
  client.close();
  assert.deepEqual(seen, ['ADDED', 'ERROR']);
  assert.equal(requests[1].get('resourceVersion'), '20');
});
