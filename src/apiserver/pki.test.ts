import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { coversSans, ensurePki, issueClientCert, loadCa } from './pki.ts';
import { ensureNodeToken, renderKubeconfig, writeAdminKubeconfig } from './kubeconfig.ts';

test('ensurePki creates a CA, serving and admin certs, then reuses them', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-pki-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const created: string[] = [];
  const pki = await ensurePki(dir, { sans: ['k8ts.example', '10.1.2.3'], onCreate: (w) => created.push(w) });
  assert.equal(created.length, 4);
  const ca = new X509Certificate(pki.ca.cert);
  assert.ok(ca.ca);
  const server = new X509Certificate(pki.server.cert);
  assert.ok(server.verify(ca.publicKey));
  for (const h of ['localhost', 'k8ts.example']) assert.ok(server.checkHost(h), h);
  for (const ip of ['127.0.0.1', '::1', '10.1.2.3']) assert.ok(server.checkIP(ip), ip);
  const admin = new X509Certificate(pki.admin.cert);
  assert.match(admin.subject, /CN=system:admin/);
  assert.match(admin.subject, /O=system:masters/);
  assert.ok(admin.verify(ca.publicKey));
  assert.equal((await stat(join(dir, 'pki', 'ca.key'))).mode & 0o777, 0o600);

  const again = await ensurePki(dir, { sans: ['k8ts.example', '10.1.2.3'], onCreate: (w) => created.push(w) });
  assert.equal(created.length, 4, 'nothing re-created');
  assert.equal(again.server.cert, pki.server.cert);
  assert.equal(again.ca.cert, pki.ca.cert);

  // A new SAN re-issues only the serving certificate.
  const third = await ensurePki(dir, { sans: ['other.example'], onCreate: (w) => created.push(w) });
  assert.deepEqual(created.slice(4), ['serving certificate']);
  assert.ok(coversSans(third.server.cert, ['other.example']));
  assert.equal(third.admin.cert, pki.admin.cert);
  assert.equal((await loadCa(dir)).cert, pki.ca.cert);
});

test('issueClientCert puts the user in CN and each group in O', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-pki-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pki = await ensurePki(dir);
  const alice = await issueClientCert(pki.ca, 'alice', ['dev', 'ops']);
  const cert = new X509Certificate(alice.cert);
  assert.match(cert.subject, /CN=alice/);
  assert.match(cert.subject, /O=dev/);
  assert.match(cert.subject, /O=ops/);
  assert.ok(cert.verify(new X509Certificate(pki.ca.cert).publicKey));
});

test('kubeconfig and node token files', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-kc-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const pki = await ensurePki(dir);
  const file = await writeAdminKubeconfig(dir, 'https://127.0.0.1:6443', pki);
  const kc = parse(await readFile(file, 'utf8'));
  assert.equal(kc.clusters[0].cluster.server, 'https://127.0.0.1:6443');
  assert.equal(Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString(), pki.ca.cert);
  assert.equal(Buffer.from(kc.users[0].user['client-key-data'], 'base64').toString(), pki.admin.key);
  assert.equal(kc['current-context'], kc.contexts[0].name);
  assert.equal((await stat(file)).mode & 0o777, 0o600);

  const token = await ensureNodeToken(dir);
  assert.match(token, /^k8ts-[0-9a-f]{48}$/);
  assert.equal(await ensureNodeToken(dir), token);
  assert.equal((await stat(join(dir, 'node-token'))).mode & 0o777, 0o600);

  const withToken = parse(renderKubeconfig({ server: 'https://h:1', caCert: 'x', user: 'node', token: 't' }));
  assert.equal(withToken.users[0].user.token, 't');
});
