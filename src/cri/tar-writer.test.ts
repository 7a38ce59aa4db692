import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listTar } from './tar-list.ts';
import { tarArchive, type TarEntry } from './tar-writer.ts';

const entries: TarEntry[] = [
  { path: 'bin', type: 'dir' },
  { path: '/bin/hello', type: 'file', mode: 0o755, data: 'hi\n' },
  { path: 'bin/sh', type: 'symlink', linkname: 'hello' },
  { path: 'tmp', type: 'dir', mode: 0o1777 },
];

test('tarArchive: entries round-trip through an independent tar reader', async () => {
  const list = await listTar(tarArchive(entries));
  assert.deepEqual(list.map((e) => [e.path, e.type, e.mode, e.linkpath, e.body.toString()]), [
    ['bin/', 'Directory', 0o755, '', ''],
    ['bin/hello', 'File', 0o755, '', 'hi\n'],
    ['bin/sh', 'SymbolicLink', 0o777, 'hello', ''],
    ['tmp/', 'Directory', 0o1777, '', ''],
  ]);
  assert.ok(list.every((e) => e.mtime === 0 && e.uid === 0));
});

test('tarArchive: deterministic and block-aligned', () => {
  const a = tarArchive(entries);
  assert.deepEqual(a, tarArchive(entries));
  assert.equal(a.length % 512, 0);
});

test('tarArchive: long paths and link targets go through PAX headers', async () => {
  const long = `${'d'.repeat(120)}/${'f'.repeat(150)}`;
  const list = await listTar(tarArchive([
    { path: long, type: 'file', data: Buffer.from([0, 1, 2]) },
    { path: 'l', type: 'symlink', linkname: `/${'x'.repeat(200)}` },
  ]));
  assert.equal(list[0]!.path, long);
  assert.equal(list[0]!.size, 3);
  assert.equal(list[1]!.linkpath, `/${'x'.repeat(200)}`);
});

test('tarArchive: rejects an empty path', () => {
  assert.throws(() => tarArchive([{ path: '/', type: 'dir' }]), /tar entry path "\/"/);
});
