import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateName } from './generate-name.ts';

test('base plus five characters from the Kubernetes alphabet', () => {
  const name = generateName('web-');
  assert.match(name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.notEqual(generateName('web-'), generateName('web-'));
});

test('long bases are cut to 58 characters, giving 63', () => {
  const name = generateName('a'.repeat(100));
  assert.equal(name.length, 63);
  assert.ok(name.startsWith('a'.repeat(58)));
});
