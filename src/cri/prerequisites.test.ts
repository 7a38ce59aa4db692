import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRuntimePrerequisites, findExecutable, MissingPrerequisitesError } from './prerequisites.ts';

function fakeBin(dir: string, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

test('checkRuntimePrerequisites: names everything missing and the apt packages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-prereq-'));
  try {
    fakeBin(dir, 'containerd');
    mkdirSync(join(dir, 'cni'));
    fakeBin(join(dir, 'cni'), 'bridge');
    assert.throws(() => checkRuntimePrerequisites({ path: dir, cniBinDir: join(dir, 'cni') }), (err: unknown) => {
      assert.ok(err instanceof MissingPrerequisitesError);
      assert.deepEqual(err.missing, [
        'ctr', 'containerd-shim-runc-v2', 'runc',
        `CNI plugin ${join(dir, 'cni', 'host-local')}`, `CNI plugin ${join(dir, 'cni', 'portmap')}`, `CNI plugin ${join(dir, 'cni', 'loopback')}`,
      ]);
      assert.match(err.message, /apt-get install -y containerd runc containernetworking-plugins/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('checkRuntimePrerequisites: resolves absolute paths when all is there', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-prereq-'));
  try {
    for (const b of ['containerd', 'ctr', 'containerd-shim-runc-v2', 'runc']) fakeBin(dir, b);
    for (const p of ['bridge', 'host-local', 'portmap', 'loopback']) fakeBin(dir, p);
    const bins = checkRuntimePrerequisites({ path: dir, cniBinDir: dir });
    assert.deepEqual(bins, {
      containerd: join(dir, 'containerd'), ctr: join(dir, 'ctr'), shim: join(dir, 'containerd-shim-runc-v2'),
      runc: join(dir, 'runc'), cniBinDir: dir,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('findExecutable: skips non-executable files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-prereq-'));
  try {
    writeFileSync(join(dir, 'plain'), '');
    assert.equal(findExecutable('plain', dir), undefined);
    assert.equal(findExecutable('x', `${dir}:${dir}`), undefined);
    fakeBin(dir, 'x');
    assert.equal(findExecutable('x', `/nonexistent:${dir}`), join(dir, 'x'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
