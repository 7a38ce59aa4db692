import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalQuantity,
  compareQuantities,
  parseQuantity,
  QUANTITY_FORMAT_ERROR,
  QUANTITY_SUFFIX_ERROR,
  quantityError,
} from './quantity.ts';

test('parses to base units', () => {
  assert.equal(parseQuantity('250m'), 0.25);
  assert.equal(parseQuantity('2'), 2);
  assert.equal(parseQuantity(1.5), 1.5);
  assert.equal(parseQuantity('128Mi'), 128 * 1024 * 1024);
  assert.equal(parseQuantity('1G'), 1e9);
  assert.equal(parseQuantity('1e3'), 1000);
  assert.equal(parseQuantity('-1'), -1);
});

test('canonical form as the API server prints it', () => {
  const cases: Array<[string | number, string]> = [
    ['0.5', '500m'],
    [0.5, '500m'],
    ['1000m', '1'],
    ['1500m', '1500m'],
    ['1.5', '1500m'],
    ['2000', '2k'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Ki', '512'],
    ['128974848', '128974848'],
    ['129e6', '129e6'],
    ['0', '0'],
    ['0Mi', '0'],
    ['100M', '100M'],
    ['1e-12', '1e-9'],
    ['0.0000000001', '1n'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, `${input}`);
});

test('errors worded as Kubernetes words them', () => {
  assert.equal(quantityError('abc'), QUANTITY_FORMAT_ERROR);
  assert.equal(
    QUANTITY_FORMAT_ERROR,
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  );
  assert.equal(quantityError('1KB'), QUANTITY_FORMAT_ERROR);
  assert.equal(quantityError('1K'), QUANTITY_SUFFIX_ERROR);
  assert.equal(quantityError(''), QUANTITY_FORMAT_ERROR);
  assert.equal(quantityError('100Mi'), undefined);
});

test('compares exactly', () => {
  assert.equal(compareQuantities('1', '1000m'), 0);
  assert.equal(compareQuantities('2', '1'), 1);
  assert.equal(compareQuantities('1Gi', '1G'), 1);
  assert.equal(compareQuantities('0.1', '100m'), 0);
});
