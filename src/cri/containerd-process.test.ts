// startContainerd against the real containerd: readiness, restart after a crash, stop by PID,
// and taking over from a containerd a previous agent run left behind. Needs root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startContainerd } from './containerd-process.ts';
import { unmountUnder } from './mounts.ts';
import { runtimeSkipReason } from './test-node.ts';

const skip = runtimeSkipReason();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if (await fn()) return;
    } catch { /* retry */ }
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('startContainerd: ready on CRI Version, restarted after SIGKILL, stopped by PID', { skip, timeout: 60_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-ctrd-test-'));
  const events: string[] = [];
  const ctrd = await startContainerd({ dataDir, log: (e) => events.push(e) });
  try {
    const pid1 = ctrd.pid!;
    assert.ok(pid1 > 0);
    assert.equal((await ctrd.cri.version()).runtime_name, 'containerd');
    assert.equal(readFileSync(join(dataDir, 'containerd', 'containerd.pid'), 'utf8').trim(), String(pid1));
    assert.match(readFileSync(ctrd.paths.log, 'utf8'), /containerd successfully booted/);
    assert.ok(ctrd.streamServerPort > 0);

    process.kill(pid1, 'SIGKILL');
    await until('a restarted containerd', () => ctrd.restarts === 1 && ctrd.pid !== undefined && ctrd.pid !== pid1);
    await until('CRI Version after restart', async () => (await ctrd.cri.version({ timeoutMs: 500 })).runtime_name === 'containerd');
    assert.ok(events.includes('exited') && events.includes('restarting'), events.join(','));

    const pid2 = ctrd.pid!;
    await ctrd.stop();
    assert.equal(ctrd.pid, undefined);
    assert.equal(alive(pid2), false, 'containerd is gone after stop()');
    assert.equal(existsSync(join(dataDir, 'containerd', 'containerd.pid')), false);
    await sleep(600);
    assert.equal(ctrd.restarts, 1, 'no restart after stop()');
  } finally {
    await ctrd.stop();
    unmountUnder(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('startContainerd: takes over from a containerd left running by a previous agent run', { skip, timeout: 60_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-ctrd-test-'));
  const first = await startContainerd({ dataDir, restart: false, log: () => {} });
  let second: Awaited<ReturnType<typeof startContainerd>> | undefined;
  try {
    const oldPid = first.pid!;
    second = await startContainerd({ dataDir, log: () => {} });
    assert.equal(alive(oldPid), false, 'the stale containerd was stopped');
    assert.notEqual(second.pid, oldPid);
    assert.equal((await second.cri.version()).runtime_name, 'containerd');
  } finally {
    await first.stop();
    await second?.stop();
    unmountUnder(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
