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

test('jsonPieces writes a generator field as the array it yields, consuming it as it writes', () => {
  const items = [{ a: 1 }, { b: [2, { c: 'x' }] }, null];
  let made = 0;
  const gen = function* () {
    for (const it of items) {
      made++;
      yield it;
    }
  };
  const summary = { n: 0 };
  const pieces = jsonPieces({ head: 'h', results: gen(), summary, empty: (function* () {})() });
  assert.equal(made, 0, 'nothing is made before writing starts');
  const text = [...pieces].join('');
  assert.equal(text, JSON.stringify({ head: 'h', results: items, summary, empty: [] }, null, 2) + '\n');
});
