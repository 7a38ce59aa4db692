import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHostPath, cleanUpPodDir, emptyDirPath, setUpVolumes } from './volumes.ts';
import { testPod } from './test-fakes.ts';

test('hostPath type checks with kubelet messages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-hp-'));
  try {
    const file = join(dir, 'f');
    writeFileSync(file, 'x');
    checkHostPath(dir, 'Directory');
    checkHostPath(file, 'File');
    checkHostPath(join(dir, 'any'), '');
    assert.throws(() => checkHostPath(join(dir, 'missing'), 'Directory'), { message: `hostPath type check failed: ${join(dir, 'missing')} is not a directory` });
    assert.throws(() => checkHostPath(dir, 'File'), { message: `hostPath type check failed: ${dir} is not a file` });
    assert.throws(() => checkHostPath(file, 'Socket'), { message: `hostPath type check failed: ${file} is not a socket file` });
    assert.throws(() => checkHostPath(file, 'CharDevice'), { message: `hostPath type check failed: ${file} is not a character device` });
    assert.throws(() => checkHostPath(file, 'BlockDevice'), { message: `hostPath type check failed: ${file} is not a block device` });
    checkHostPath('/dev/null', 'CharDevice');
    checkHostPath(join(dir, 'new/deep'), 'DirectoryOrCreate');
    assert.ok(statSync(join(dir, 'new/deep')).isDirectory());
    checkHostPath(join(dir, 'newfile'), 'FileOrCreate');
    assert.ok(statSync(join(dir, 'newfile')).isFile());
    assert.throws(() => checkHostPath(file, 'DirectoryOrCreate'), /is not a directory/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('setUpVolumes: emptyDir dirs, FailedMount messages, cleanUpPodDir', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-vol-'));
  try {
    const pod = testPod('p', {
      containers: [{ name: 'c', image: 'x:1' }],
      volumes: [
        { name: 'scratch', emptyDir: {} },
        { name: 'h', hostPath: { path: join(dataDir, 'nope'), type: 'Directory' } },
        { name: 'cfg', configMap: { name: 'cfg' } },
      ],
    });
    const r = setUpVolumes({ dataDir }, pod);
    const uid = pod.metadata.uid!;
    assert.equal(r.paths.get('scratch'), emptyDirPath({ dataDir }, uid, 'scratch'));
    assert.equal(r.paths.get('scratch'), join(dataDir, 'pods', uid, 'volumes', 'empty-dir', 'scratch'));
    assert.equal(statSync(r.paths.get('scratch')!).mode & 0o777, 0o777);
    assert.deepEqual(r.failures.map((f) => f.message), [
      `MountVolume.SetUp failed for volume "h" : hostPath type check failed: ${join(dataDir, 'nope')} is not a directory`,
      'MountVolume.SetUp failed for volume "cfg" : volume type configMap is not supported by this node yet',
    ]);
    mkdirSync(join(dataDir, 'pods', uid, 'containers'), { recursive: true });
    cleanUpPodDir({ dataDir }, uid);
    assert.equal(existsSync(join(dataDir, 'pods', uid)), false);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
