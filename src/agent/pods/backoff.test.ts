import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from './backoff.ts';
import { goDuration } from './go-duration.ts';

test('Backoff: 10 s doubling to 5 min, reset after 10 min', () => {
  let now = 1_000_000;
  const b = new Backoff(10_000, 300_000, () => now);
  assert.equal(b.isInBackOffSince('k', now), false, 'no entry: restart at once');
  b.next('k', now);
  assert.equal(b.get('k'), 10_000);
  now += 5_000;
  assert.equal(b.isInBackOffSince('k', now - 1000), true);
  assert.equal(b.remaining('k', now - 1000), 9_000);
  now += 20_000;
  assert.equal(b.isInBackOffSince('k', now - 11_000), false);
  b.next('k', now);
  assert.equal(b.get('k'), 20_000);
  for (let i = 0; i < 10; i++) b.next('k', now);
  assert.equal(b.get('k'), 300_000, 'capped at 5 min');
  now += 11 * 60_000;
  assert.equal(b.isInBackOffSince('k', now), false, 'expired after 2 × max');
  b.next('k', now);
  assert.equal(b.get('k'), 10_000, 'reset');
  assert.equal(b.isInBackOffSinceUpdate('k'), true);
  now += 10_001;
  assert.equal(b.isInBackOffSinceUpdate('k'), false);
  b.resetPrefix('k');
  assert.equal(b.get('k'), 0);
});

test('goDuration prints like Go', () => {
  assert.equal(goDuration(1234), '1.234s');
  assert.equal(goDuration(812), '812ms');
  assert.equal(goDuration(10_000), '10s');
  assert.equal(goDuration(62_500), '1m2.5s');
  assert.equal(goDuration(300_000), '5m0s');
  assert.equal(goDuration(0), '0s');
});
