// jsonPieces writes a report value by value; joined, the pieces must be exactly JSON.stringify(value, null, 2) + '\n'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { jsonPieces } from '../src/reports/json.js';
import { groupFindings } from '../src/engine/groups.js';
import { runEngine } from '../src/engine/run.js';
import { loadInputs } from '../src/input/files.js';
import { builtinRules } from '../src/rules/index.js';

const CORPUS = '../shared/corpus/real-world';

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

test('jsonPieces on findings: the real-world corpus scan and hand-made odd findings give exactly JSON.stringify(value, null, 2)', async (t) => {
  const odd = [
    { ruleId: 'x/odd', severity: 'high', title: 'quote " backslash \\ tab \t', message: 'lone \ud800 pair \ud83d\ude00 nul \u0000 sep \u2028', resource: { apiVersion: 'v1', kind: 'Pod', name: 'p', namespace: undefined }, location: { file: '', line: 0, column: -0, path: '/a~1b' }, remediation: '', references: { cis: [], nsa: [], mitre: [] }, suppressed: true, suppression: { kind: 'config', reason: 'é', expires: undefined } },
    { ruleId: 'x/none', severity: 'low', title: 't', message: 'm', resource: { apiVersion: 'v1', kind: 'Namespace', name: 'n' }, location: undefined, remediation: 'r', references: undefined, suppressed: false, details: { n: NaN, i: Infinity, big: 1e21, small: 1e-7, list: [undefined, () => 1, null] } },
  ];
  const sets: [string, Record<string, unknown>][] = [['hand-made', { tool: { name: 'rampart' }, findings: odd, groups: [], errors: [] }]];
  if (existsSync(CORPUS)) {
    const report = runEngine(await loadInputs([CORPUS]), { rules: builtinRules });
    sets.push(['real-world', { tool: report.tool, summary: report.summary, findings: report.findings, groups: groupFindings(report.findings), errors: report.errors, skipped: report.skipped }]);
  } else t.diagnostic(`SKIPPED the corpus part: ${CORPUS} is missing`);
  for (const [name, value] of sets) {
    const text = [...jsonPieces(value)].join('');
    assert.equal(text, JSON.stringify(value, null, 2) + '\n', name);
    console.log(`jsonPieces ${name}: ${(value.findings as unknown[]).length} findings, ${text.length} characters equal to JSON.stringify`);
  }
});
