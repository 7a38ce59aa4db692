import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FLAG_FIN,
  SpdyFrameParser,
  encodeDataFrame,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSettings,
  encodeSynReply,
  encodeSynStream,
  encodeWindowUpdate,
} from './spdy-frames.ts';

test('every frame type round-trips through the parser', () => {
  const block = Buffer.from([1, 2, 3]);
  const wire = Buffer.concat([
    encodeSynStream(1, block, { flags: FLAG_FIN, priority: 2 }),
    encodeSynReply(1, block),
    encodeDataFrame(1, Buffer.from('hello'), FLAG_FIN),
    encodeRstStream(3, 5),
    encodeSettings([{ id: 7, value: 65536 }]),
    encodePing(7),
    encodeGoAway(5, 0),
    encodeWindowUpdate(1, 1000),
    encodeDataFrame(3, Buffer.alloc(0)),
  ]);
  const frames = new SpdyFrameParser().push(wire);
  assert.deepEqual(frames, [
    { type: 'syn_stream', streamId: 1, associatedTo: 0, priority: 2, slot: 0, flags: FLAG_FIN, headerBlock: block },
    { type: 'syn_reply', streamId: 1, flags: 0, headerBlock: block },
    { type: 'data', streamId: 1, flags: FLAG_FIN, data: Buffer.from('hello') },
    { type: 'rst_stream', streamId: 3, status: 5 },
    { type: 'settings', flags: 0, entries: [{ flags: 0, id: 7, value: 65536 }] },
    { type: 'ping', id: 7 },
    { type: 'goaway', lastGoodStreamId: 5, status: 0 },
    { type: 'window_update', streamId: 1, delta: 1000 },
    { type: 'data', streamId: 3, flags: 0, data: Buffer.alloc(0) },
  ]);
});

test('the control frame header is 1|version 3|type, flags|length', () => {
  assert.deepEqual([...encodePing(1)], [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1]);
  assert.deepEqual([...encodeDataFrame(5, Buffer.from('a'), FLAG_FIN)], [0, 0, 0, 5, 1, 0, 0, 1, 0x61]);
});

test('frames split at any byte boundary are reassembled', () => {
  const big = Buffer.alloc(50_000, 7);
  const wire = Buffer.concat([encodeDataFrame(1, big), encodePing(2), encodeDataFrame(3, Buffer.from('x'), FLAG_FIN)]);
  for (const step of [1, 3, 7, 1000, 65536]) {
    const p = new SpdyFrameParser();
    const frames = [];
    for (let i = 0; i < wire.length; i += step) frames.push(...p.push(wire.subarray(i, i + step)));
    assert.equal(frames.length, 3, `step ${step}`);
    assert.ok(frames[0]!.type === 'data' && frames[0]!.data.equals(big));
    assert.deepEqual(frames[1], { type: 'ping', id: 2 });
    assert.equal(p.buffered, 0);
  }
});

test('a control frame of another SPDY version is a protocol error', () => {
  const f = encodePing(1);
  f.writeUInt16BE(0x8002, 0);
  assert.throws(() => new SpdyFrameParser().push(f), /unsupported version 2/);
});
