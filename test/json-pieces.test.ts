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
  // A long array is written a few elements per piece: no single string holds the whole array.
  const big = { results: Array.from({ length: 1000 }, (_, i) => ({ i })) };
  const pieces = [...jsonPieces(big)];
  assert.ok(pieces.length >= 1000 / 32, `${pieces.length} pieces`);
  assert.ok(Math.max(...pieces.map((p) => p.length)) < JSON.stringify(big, null, 2).length / 20);
});

test('jsonPieces: arrays around the per-piece item count, with holes, undefined and nested values, join to the same text', () => {
  for (const n of [1, 2, 31, 32, 33, 63, 64, 65, 100]) {
    const arr: unknown[] = Array.from({ length: n }, (_, i) => (i % 7 === 3 ? undefined : i % 5 === 0 ? { i, nested: [i, { s: `v${i}` }] } : i % 11 === 4 ? [] : `s${i}`));
    if (n > 10) delete arr[9];
    const value = { head: 1, findings: arr, groups: [...arr].reverse(), tail: { n } };
    assert.equal([...jsonPieces(value)].join(''), JSON.stringify(value, null, 2) + '\n', `length ${n}`);
  }
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
