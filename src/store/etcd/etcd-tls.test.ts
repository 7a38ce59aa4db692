import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { isStoreError } from '../store-error.ts';
import { etcdAvailable, scratchDir, startEtcd } from './etcd-process.ts';
import { openEtcdStore } from './etcd-store.ts';

const openssl = spawnSync('openssl', ['version']).status === 0;
const skip = !etcdAvailable() ? 'etcd is not installed' : !openssl ? 'openssl is not installed' : false;

it('talks to etcd over https with a client certificate, and not without one', { skip, timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(scratchDir(), 'k8ts-etcd-tls-'));
  const etcd = await (async () => {
    const certs = makeCerts(dir);
    return { certs, proc: await startEtcd({ dataDir: join(dir, 'etcd'), tls: { cert: certs.server.cert, key: certs.server.key, ca: certs.ca } }) };
  })();
  try {
    assert.match(etcd.proc.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
    const store = await openEtcdStore({ endpoints: [etcd.proc.endpoint], prefix: '/tls', tls: { ca: etcd.certs.ca, ...etcd.certs.client } });
    try {
      const kv = await store.create('/k/a', 'secret');
      assert.deepEqual(await store.get('/k/a'), kv);
    } finally {
      await store.close();
    }
    // Trusting the CA is not enough: the member requires a client certificate.
    await assert.rejects(openEtcdStore({ endpoints: [etcd.proc.endpoint], tls: { ca: etcd.certs.ca }, retryTimeoutMs: 300 }), (err: unknown) => {
      assert.ok(isStoreError(err, 'Unavailable'), String(err));
      return true;
    });
  } finally {
    await etcd.proc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, as PEM files in `dir`. */
function makeCerts(dir: string) {
  const f = (name: string): string => join(dir, name);
  const run = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '1', '-subj', '/CN=k8ts-test-ca');
  const sign = (name: string, ext: string): { cert: string; key: string } => {
    writeFileSync(f(`${name}.ext`), ext);
    run('req', ...ec, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${name}`);
    run('x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f(`${name}.crt`), '-days', '1', '-extfile', f(`${name}.ext`));
    return { cert: f(`${name}.crt`), key: f(`${name}.key`) };
  };
  return {
    ca: f('ca.crt'),
    server: sign('server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n'),
    client: sign('client', 'extendedKeyUsage=clientAuth\n'),
  };
}
