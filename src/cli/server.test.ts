/**
 * The CLI contract the e2e scenarios rely on: `bin/k8ts server --data-dir TMP --port P` prints a line containing
 * `ready`, writes admin.kubeconfig + node-token, serves kubectl, and exits 0 on SIGTERM. Also: usage errors exit 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from './args.ts';

const BIN = resolve(import.meta.dirname, '../../bin/k8ts');
const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(file, args, { env, timeout: 60_000 }, (err, stdout, stderr) =>
      res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('parseArgs', () => {
  const a = parseArgs(['--port', '7443', '--tls-san', 'a,b', '--tls-san=c', 'x', '--flag'], { port: 'string', 'tls-san': 'list', flag: 'boolean' });
  assert.deepEqual(a.flags, { port: '7443', 'tls-san': ['a', 'b', 'c'], flag: true });
  assert.deepEqual(a.positional, ['x']);
  assert.throws(() => parseArgs(['--nope'], {}), /unknown flag: --nope/);
  assert.throws(() => parseArgs(['--port'], { port: 'string' }), /needs an argument/);
});

test('k8ts --help, unknown verb → exit 2', async () => {
  const help = await run(BIN, ['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /k8ts server/);
  const bad = await run(BIN, ['frobnicate']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown command "frobnicate"/);
  const badFlag = await run(BIN, ['server', '--nope']);
  assert.equal(badFlag.code, 2);
});

test('k8ts server: ready line, files, kubectl, kubeconfig verb, SIGTERM → exit 0', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-cli-'));
  const port = await freePort();
  const child = spawn(BIN, ['server', '--data-dir', dir, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    for (let i = 0; i < 600 && !/ready/.test(stdout); i++) {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(stdout, /ready/, `no ready line; stderr:\n${stderr}`);
    assert.match(stdout, new RegExp(`https://127\\.0\\.0\\.1:${port}`));
    const kubeconfig = join(dir, 'admin.kubeconfig');
    assert.equal((await stat(kubeconfig)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'node-token'))).mode & 0o777, 0o600);
    assert.ok(existsSync(join(dir, 'state.db')));

    if (existsSync(KUBECTL)) {
      const env = { PATH: process.env.PATH, HOME: dir };
      const ready = await run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'get', '--raw', '/readyz'], env);
      assert.equal(ready.stdout, 'ok', ready.stderr);
      const ns = await run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'get', 'ns', '-o', 'name'], env);
      assert.match(ns.stdout, /namespace\/default/, ns.stderr);

      // a kubeconfig for a new identity, signed by the same CA
      const kc = await run(BIN, ['kubeconfig', '--data-dir', dir, '--user', 'alice', '--group', 'dev']);
      assert.equal(kc.code, 0, kc.stderr);
      assert.match(kc.stdout, new RegExp(`server: https://127\\.0\\.0\\.1:${port}`));
      const aliceFile = join(dir, 'alice.kubeconfig');
      await import('node:fs/promises').then((fs) => fs.writeFile(aliceFile, kc.stdout));
      const asAlice = await run(KUBECTL, ['--kubeconfig', aliceFile, '--cache-dir', join(dir, 'cache2'), 'get', '--raw', '/api/v1/namespaces/default'], env);
      assert.equal(JSON.parse(asAlice.stdout).metadata.name, 'default', asAlice.stderr);

      // the node token authenticates too
      const token = (await readFile(join(dir, 'node-token'), 'utf8')).trim();
      const byToken = await run(
        KUBECTL,
        ['--server', `https://127.0.0.1:${port}`, '--certificate-authority', join(dir, 'pki', 'ca.crt'), '--token', token, '--cache-dir', join(dir, 'cache3'), 'get', '--raw', '/api/v1/nodes'],
        env,
      );
      assert.equal(JSON.parse(byToken.stdout).kind, 'NodeList', byToken.stderr);
    }
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});
