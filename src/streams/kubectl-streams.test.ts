// The strongest test: the REAL kubectl (1.32 through the dispatcher, plus 1.28 and 1.30 directly) runs exec,
// exec -i and port-forward against a tiny plain-HTTP server whose upgrade handler is handleStreamUpgrade and
// whose backend is a real containerd's CRI stream server. Discovery and the pod GET are stubbed.
// Skips unless root with containerd/runc/CNI, and kubectl installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runtimeSkipReason, startTestNode } from '../cri/test-node.ts';
import { WEB_PORT } from '../cri/test-images.ts';
import { startTestStreamServer, stubKubectlApi } from './test-stream-server.ts';
import { BIG_FILE_BYTES, startWebPod } from './test-web-pod.ts';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const SDK_BIN = '/usr/lib/google-cloud-sdk/bin';
const skip = runtimeSkipReason() || (!existsSync(KUBECTL) && 'kubectl not installed');

function httpFetch(url: string): Promise<{ status: number; bytes: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false, timeout: 60_000 }, (res) => {
      let bytes = 0;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (parts.length < 4) parts.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, body: Buffer.concat(parts).toString().slice(0, 200) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timeout`)));
    req.on('error', reject);
  });
}

async function pool<T>(n: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  }));
  return out;
}

test('real kubectl: exec, exec -i and port-forward through handleStreamUpgrade to containerd', { skip, timeout: 900_000 }, async (t) => {
  const node = await startTestNode();
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-kubectl-streams-'));
  try {
    const { podSandboxId, containerId } = await startWebPod(node);
    const srv = await startTestStreamServer({ cri: node.cri, podSandboxId, containerId, onRequest: stubKubectlApi });
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters: [{name: k, cluster: {server: "${srv.url}"}}]
users: [{name: u, user: {}}]
contexts: [{name: k, context: {cluster: k, user: u, namespace: default}}]
current-context: k
`);
    const kubectl = (bin: string, args: string[], stdin?: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(bin, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args],
          { env: { PATH: process.env.PATH, HOME: dir }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
          (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
        if (stdin !== undefined) child.stdin!.end(stdin);
      });

    const versions: [string, string][] = [['1.32 (dispatcher)', KUBECTL]];
    for (const v of (process.env.K8TS_KUBECTL_VERSIONS ?? '1.28,1.30,1.33').split(',').filter(Boolean)) if (existsSync(join(SDK_BIN, `kubectl.${v}`))) versions.push([v, join(SDK_BIN, `kubectl.${v}`)]);

    try {
      for (const [label, bin] of versions) {
        await t.test(`kubectl ${label} exec: output and exit code`, async () => {
          const ok = await kubectl(bin, ['exec', 'web', '--', 'hostname']);
          assert.equal(ok.code, 0, ok.stderr);
          assert.equal(ok.stdout, 'web-pod\n');
          const three = await kubectl(bin, ['exec', 'web', '--', 'sh', '-c', 'echo to-stderr >&2; exit 3']);
          assert.equal(three.code, 3, three.stderr);
          assert.match(three.stderr, /to-stderr/);
          assert.match(three.stderr, /command terminated with exit code 3/);
        });

        await t.test(`kubectl ${label} exec -i: stdin round trip`, async () => {
          const input = 'line one\nline two\n'.repeat(5000);
          const r = await kubectl(bin, ['exec', '-i', 'web', '--', 'cat'], input);
          assert.equal(r.code, 0, r.stderr);
          assert.equal(r.stdout.length, input.length);
          assert.equal(r.stdout, input);
          const wc = await kubectl(bin, ['exec', '-i', 'web', '--', 'wc', '-c'], 'x'.repeat(3 * 1024 * 1024));
          assert.equal(wc.stdout.trim(), String(3 * 1024 * 1024), wc.stderr);
        });

        await t.test(`kubectl ${label} port-forward: 200 sequential, 200 concurrent, 100 MiB`, async () => {
          const child = spawn(bin, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'port-forward', '--address', '127.0.0.1', 'web', `:${WEB_PORT}`],
            { env: { PATH: process.env.PATH, HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] });
          let stderr = '';
          child.stderr.on('data', (c: Buffer) => (stderr += c));
          try {
            const localPort = await new Promise<number>((resolve, reject) => {
              let out = '';
              child.stdout.on('data', (c: Buffer) => {
                out += c;
                const m = /Forwarding from 127\.0\.0\.1:(\d+) -> 8080/.exec(out);
                if (m) resolve(Number(m[1]));
              });
              child.once('exit', (code) => reject(new Error(`kubectl port-forward exited ${code}: ${out} ${stderr}`)));
              setTimeout(() => reject(new Error(`kubectl port-forward did not start: ${out} ${stderr}`)), 30_000).unref();
            });
            const base = `http://127.0.0.1:${localPort}`;
            let failures = 0;
            let t0 = performance.now();
            for (let i = 0; i < 200; i++) {
              const r = await httpFetch(`${base}/`).catch(() => undefined);
              if (r?.status !== 200 || r.body !== 'web-pod\n') failures++;
            }
            const seqMs = performance.now() - t0;
            t0 = performance.now();
            const conc = await pool(200, 20, () => httpFetch(`${base}/healthz`).catch(() => undefined));
            const concMs = performance.now() - t0;
            failures += conc.filter((r) => r?.status !== 200 || r.body !== 'ok\n').length;
            assert.equal(failures, 0, stderr);
            t0 = performance.now();
            const big = await httpFetch(`${base}/big`);
            const bigMs = performance.now() - t0;
            assert.equal(big.bytes, BIG_FILE_BYTES);
            console.log(`# kubectl ${label} port-forward: 200 sequential ${seqMs.toFixed(0)} ms (${(seqMs / 200).toFixed(1)} ms/req), ` +
              `200 concurrent/20 ${concMs.toFixed(0)} ms, 0 failures, 100 MiB in ${(bigMs / 1000).toFixed(2)} s ` +
              `(${(BIG_FILE_BYTES / 1048576 / (bigMs / 1000)).toFixed(1)} MiB/s)`);
            assert.equal(child.exitCode, null, `kubectl port-forward still running: ${stderr}`);
          } finally {
            child.kill('SIGTERM');
          }
        });
      }
      await t.test('kubectl cp (exec of tar) into the pod and back', async () => {
        const local = join(dir, 'payload.bin');
        const data = Buffer.alloc(2 * 1024 * 1024);
        for (let i = 0; i < data.length; i++) data[i] = (i * 7919) & 0xff;
        writeFileSync(local, data);
        const up = await kubectl(KUBECTL, ['cp', local, 'web:/tmp/payload.bin']);
        assert.equal(up.code, 0, up.stderr);
        const back = join(dir, 'back.bin');
        const down = await kubectl(KUBECTL, ['cp', 'web:/tmp/payload.bin', back]);
        assert.equal(down.code, 0, down.stderr);
        assert.ok(readFileSync(back).equals(data), 'file came back unchanged');
      });

      const protocols = srv.sessions.map((s) => `${s.protocol}:${s.subprotocol}`);
      console.log(`# sessions by protocol: ${JSON.stringify(protocols.reduce<Record<string, number>>((m, p) => ({ ...m, [p]: (m[p] ?? 0) + 1 }), {}))}`);
    } finally {
      await srv.close();
    }
  } finally {
    await node.teardown();
    rmSync(dir, { recursive: true, force: true });
  }
});
