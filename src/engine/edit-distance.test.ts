import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance } from './edit-distance.js';

const CASES: [string, string, number][] = [
  ['', '', 0],
  ['', 'abc', 3],
  ['abc', '', 3],
  ['kitten', 'sitting', 3],
  ['workload/privileged', 'workload/privileged', 0],
  ['workload/privilegd', 'workload/privileged', 1],
  ['pss/privleged', 'pss/privileged', 1],
  ['flaw', 'lawn', 2],
];

for (const [a, b, want] of CASES) {
  test(`editDistance(${JSON.stringify(a)}, ${JSON.stringify(b)}) = ${want}`, () => {
    assert.equal(editDistance(a, b), want);
    assert.equal(editDistance(b, a), want, 'symmetric');
  });
}
