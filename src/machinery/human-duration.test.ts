import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration } from './human-duration.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

describe('humanDuration', () => {
  const cases: [number, string][] = [
    // clock skew
    [-2 * S, '<invalid>'],
    [-1999, '0s'], // truncates to -1
    [-1 * S, '0s'],
    [-1, '0s'], // truncates to 0
    [0, '0s'],
    [999, '0s'],
    [1 * S, '1s'],
    [59 * S, '59s'],
    [119 * S, '119s'],
    [119 * S + 999, '119s'],
    // minutes with seconds below 10m
    [2 * M, '2m'],
    [2 * M + 5 * S, '2m5s'],
    [3 * M, '3m'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [10 * M + 30 * S, '10m'],
    [179 * M + 59 * S, '179m'],
    // hours with minutes below 8h
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [8 * H + 30 * M, '8h'],
    [47 * H + 59 * M, '47h'],
    // days with hours below 8d
    [48 * H, '2d'],
    [2 * D + 3 * H, '2d3h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D, '8d'],
    [8 * D + 5 * H, '8d'],
    [400 * D, '400d'],
    [2 * Y - 1 * S, '729d'],
    // years with days below 8y
    [2 * Y, '2y'],
    [2 * Y + 10 * D, '2y10d'],
    [8 * Y - 1 * H, '7y364d'],
    [8 * Y, '8y'],
    [20 * Y + 100 * D, '20y'],
  ];
  for (const [ms, want] of cases) {
    it(`${ms} ms → ${want}`, () => assert.equal(humanDuration(ms), want));
  }
});
