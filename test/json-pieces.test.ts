// jsonPieces writes a report value by value; joined, the pieces must be exactly JSON.stringify(value, null, 2) + '\n'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonPieces } from '../src/reports/json.js';

test('jsonPieces joined equals JSON.stringify(value, null, 2) + newline, for every shape a report holds', () => {
  const cases: Record<string, unknown>[] = [
    { a: 1, b: [], c: {}, d: [1, [2, []], { e: 'x\ny', f: null }, undefined, () => 1, {}], g: 's', h: undefined, i: { j: [1, 2] } },
    { only: [[]] },
    {},
    { n: null, t: true, arr: [{ k: [{ z: 1 }] }], u: '\u2028 "q" \\' },
  ];
  for (const c of cases) assert.equal([...jsonPieces(c)].join(''), JSON.stringify(c, null, 2) + '\n', JSON.stringify(c));
  // Each element of a long array is its own piece: no single string holds the whole array.
  const big = { results: Array.from({ length: 1000 }, (_, i) => ({ i })) };
  assert.ok([...jsonPieces(big)].length >= 1000);
});
