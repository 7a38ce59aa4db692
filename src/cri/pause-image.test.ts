import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BUSYBOX_STATIC, buildPauseImage, compilePause, isStaticElf, pauseFlavor, PAUSE_IMAGE } from './pause-image.ts';
import { listTar } from './tar-list.ts';

const canCompile = (() => {
  try {
    return pauseFlavor() === 'c' ? false : 'gcc with a static libc (gcc, libc6-dev) not installed';
  } catch (err) {
    return (err as Error).message;
  }
})();

test('the C pause sleeps, and exits 0 on SIGTERM and on SIGINT', { skip: canCompile }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-pause-test-'));
  try {
    const bin = join(dir, 'pause');
    writeFileSync(bin, compilePause());
    chmodSync(bin, 0o755);
    assert.ok(isStaticElf(bin), 'the pause binary is statically linked');
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      const p = spawn(bin, [], { stdio: 'ignore' });
      const exited = new Promise<[number | null, string | null]>((r) => p.once('exit', (c, s) => r([c, s])));
      await sleep(100);
      assert.equal(p.exitCode, null, 'still running after 100 ms');
      p.kill(sig);
      assert.deepEqual(await exited, [0, null], `exit code 0 after ${sig}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('buildPauseImage: both flavors make a one-layer image named k8ts.local/pause:1', { skip: isStaticElf(BUSYBOX_STATIC) ? false : 'busybox-static not installed' }, async () => {
  const img = buildPauseImage('busybox');
  assert.equal(img.name, PAUSE_IMAGE);
  const paths = (await listTar(img.tarball)).map((e) => e.path);
  assert.ok(paths.includes('index.json'));
  if (!canCompile) {
    const c = buildPauseImage('c');
    assert.notEqual(c.configDigest, img.configDigest);
  }
});

test('isStaticElf: false for a dynamic binary and for a missing file', () => {
  assert.equal(isStaticElf(process.execPath), false);
  assert.equal(isStaticElf('/nonexistent/busybox'), false);
});
