import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createDeflate, inflateSync } from 'node:zlib';
import { HeaderDeflater, HeaderInflater, SPDY3_DICTIONARY, adler32, decodeHeaderBlock, encodeHeaderBlock } from './spdy-headers.ts';

test('the SPDY/3 dictionary is the 1423-byte one from the spec', () => {
  assert.equal(SPDY3_DICTIONARY.length, 1423);
  assert.ok(SPDY3_DICTIONARY.subarray(0, 11).equals(Buffer.from('\0\0\0\x07options', 'latin1')));
  assert.ok(SPDY3_DICTIONARY.toString('latin1').endsWith(',utf-,*,enq=0.'));
  assert.equal(adler32(Buffer.from('Wikipedia')), 0x11e60398);
});

test('header blocks: names lowercased, values NUL-joined, round trip', () => {
  const raw = encodeHeaderBlock({ StreamType: 'data', port: '8080', multi: ['a', 'b'] });
  assert.deepEqual(decodeHeaderBlock(raw), { streamtype: 'data', port: '8080', multi: 'a\0b' });
  assert.deepEqual([...encodeHeaderBlock({})], [0, 0, 0, 0]);
  assert.throws(() => decodeHeaderBlock(raw.subarray(0, 10)), /SPDY header block/);
});

test('stored-block deflate output is valid zlib with the dictionary, across several blocks', async () => {
  const d = new HeaderDeflater();
  const raws: Record<string, string>[] = [{ streamtype: 'error' }, { streamtype: 'stdout' }, { x: 'y'.repeat(70_000) }];
  const blocks = raws.map((h) => d.deflate(encodeHeaderBlock(h)));
  assert.deepEqual([...blocks[0]!.subarray(0, 2)], [0x78, 0x20]);
  // zlib itself accepts the concatenation (sync flush points between blocks).
  const all = inflateSync(Buffer.concat(blocks), { dictionary: SPDY3_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
  assert.ok(all.equals(Buffer.concat(raws.map((h) => encodeHeaderBlock(h)))));
  const inf = new HeaderInflater();
  assert.deepEqual(decodeHeaderBlock(await inf.inflate(blocks[0]!)), { streamtype: 'error' });
  assert.deepEqual(decodeHeaderBlock(await inf.inflate(blocks[1]!)), { streamtype: 'stdout' });
  assert.equal(decodeHeaderBlock(await inf.inflate(blocks[2]!)).x!.length, 70_000);
  inf.close();
});

test('inflates blocks from a real compressor (as Go writes them: one zlib stream, sync flush per block)', async () => {
  // What kubectl/containerd send: zlib.NewWriterLevelDict(BestCompression, dict) + Flush() per header block.
  const z = createDeflate({ dictionary: SPDY3_DICTIONARY, level: 9 });
  let out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const compress = (h: Record<string, string>) =>
    new Promise<Buffer>((resolve) => {
      z.write(encodeHeaderBlock(h));
      z.flush(constants.Z_SYNC_FLUSH, () => {
        const b = Buffer.concat(out);
        out = [];
        resolve(b);
      });
    });
  const headers: Record<string, string>[] = [
    { streamtype: 'error', port: '8080', requestid: '0' },
    { streamtype: 'data', port: '8080', requestid: '0' },
    { streamtype: 'error', port: '8080', requestid: '1' },
    {},
  ];
  const compressed = [];
  for (const h of headers) compressed.push(await compress(h));
  assert.ok(compressed[1]!.length < 20, `later blocks reuse the window: ${compressed[1]!.length} bytes`);
  const inf = new HeaderInflater();
  // Ask for all at once: results still come back in order.
  const decoded = await Promise.all(compressed.map((c) => inf.inflate(c)));
  assert.deepEqual(decoded.map(decodeHeaderBlock), headers);
  inf.close();
  z.close();
});

test('a corrupt block rejects', async () => {
  const inf = new HeaderInflater();
  await assert.rejects(inf.inflate(Buffer.from([0x78, 0x20, 1, 2, 3, 4, 0xff, 0xff])), /header decompression failed/);
  inf.close();
});
