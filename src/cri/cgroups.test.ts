import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cgroupMountPoints, removeCgroup } from './cgroups.ts';

const skip = process.getuid?.() !== 0 ? 'needs root' : cgroupMountPoints().length === 0 ? 'no cgroup mounts' : false;

test('removeCgroup: removes the path and its children in every hierarchy', { skip }, async () => {
  const top = `/k8ts-cgtest-${randomBytes(3).toString('hex')}`;
  const made: string[] = [];
  for (const mount of cgroupMountPoints()) {
    try {
      mkdirSync(join(mount, top, 'pod1', 'ctr'), { recursive: true });
      made.push(join(mount, top));
    } catch { /* read-only or restricted hierarchy: skip it */ }
  }
  assert.ok(made.length > 0, 'created a test cgroup somewhere');
  await removeCgroup(top);
  for (const dir of made) assert.equal(existsSync(dir), false, `${dir} removed`);
  await removeCgroup(top); // missing is fine
});

test('removeCgroup: refuses the root and parent escapes', async () => {
  await assert.rejects(removeCgroup('/'), /cgroup path "\/"/);
  await assert.rejects(removeCgroup('/a/../..'), /cgroup path/);
});
