import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WatchEvent } from './store.ts';
import { WatchHub } from './watch-hub.ts';

const ev = (key: string, modRevision: number): WatchEvent => ({
  type: 'create',
  kv: { key, value: '', createRevision: modRevision, modRevision },
});
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('WatchHub', () => {
  it('delivers the backlog after subscribe returns, then live events in order', async () => {
    const hub = new WatchHub();
    const seen: number[] = [];
    hub.subscribe('/a/', 0, [ev('/a/1', 1), ev('/a/2', 2)], (e) => seen.push(e.kv.modRevision), assert.fail);
    assert.deepEqual(seen, []);
    await tick();
    hub.publish(ev('/a/3', 3));
    hub.publish(ev('/b/4', 4));
    assert.deepEqual(seen, [1, 2, 3]);
  });

  it('delivers a backlog before a live event published before the microtask ran', () => {
    const hub = new WatchHub();
    const seen: number[] = [];
    hub.subscribe('/a/', 0, [ev('/a/1', 1)], (e) => seen.push(e.kv.modRevision), assert.fail);
    hub.publish(ev('/a/2', 2));
    assert.deepEqual(seen, [1, 2]);
  });

  it('keeps every watcher in order when a callback publishes (a write made from a watch handler)', () => {
    const hub = new WatchHub();
    const a: number[] = [];
    const b: number[] = [];
    hub.subscribe('/', 0, [], (e) => {
      a.push(e.kv.modRevision);
      if (e.kv.modRevision === 1) hub.publish(ev('/x', 2));
    }, assert.fail);
    hub.subscribe('/', 0, [], (e) => b.push(e.kv.modRevision), assert.fail);
    hub.publish(ev('/x', 1));
    assert.deepEqual(a, [1, 2]);
    assert.deepEqual(b, [1, 2]);
  });

  it('skips events at or below the start revision (a watch from a future revision)', () => {
    const hub = new WatchHub();
    const seen: number[] = [];
    hub.subscribe('/', 2, [], (e) => seen.push(e.kv.modRevision), assert.fail);
    for (const rev of [1, 2, 3]) hub.publish(ev('/x', rev));
    assert.deepEqual(seen, [3]);
  });

  it('ends only the watch whose callback throws, with onError', () => {
    const hub = new WatchHub();
    const errors: Error[] = [];
    const good: number[] = [];
    hub.subscribe('/', 0, [], () => {
      throw new Error('consumer broke');
    }, (err) => errors.push(err));
    hub.subscribe('/', 0, [], (e) => good.push(e.kv.modRevision), assert.fail);
    hub.publish(ev('/x', 1));
    hub.publish(ev('/x', 2));
    assert.deepEqual(errors.map((e) => e.message), ['consumer broke']);
    assert.deepEqual(good, [1, 2]);
    assert.equal(hub.size, 1);
  });

  it('drops queued events on cancel, also from inside a callback', () => {
    const hub = new WatchHub();
    const seen: number[] = [];
    const w = hub.subscribe('/', 0, [], (e) => {
      seen.push(e.kv.modRevision);
      w.cancel();
    }, assert.fail);
    hub.subscribe('/', 0, [], (e) => {
      if (e.kv.modRevision === 1) hub.publish(ev('/x', 2));
    }, assert.fail);
    hub.publish(ev('/x', 1));
    assert.deepEqual(seen, [1]);
    assert.equal(hub.size, 1);
  });

  it('reports a failed watch once, after it returns, unless cancelled first', async () => {
    const hub = new WatchHub();
    const errors: Error[] = [];
    hub.failed(new Error('gone'), (err) => errors.push(err));
    hub.failed(new Error('never'), (err) => errors.push(err)).cancel();
    assert.equal(errors.length, 0);
    await tick();
    assert.deepEqual(errors.map((e) => e.message), ['gone']);
  });

  it('closeAll ends every watch with the error', () => {
    const hub = new WatchHub();
    const errors: string[] = [];
    hub.subscribe('/a', 0, [], () => assert.fail('no event after close'), (err) => errors.push(`a:${err.message}`));
    hub.subscribe('/b', 0, [], () => assert.fail('no event after close'), (err) => errors.push(`b:${err.message}`));
    hub.closeAll(new Error('closed'));
    hub.publish(ev('/a', 1));
    assert.deepEqual(errors, ['a:closed', 'b:closed']);
    assert.equal(hub.size, 0);
  });
});
