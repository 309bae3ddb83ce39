// Coverage of the CIS item list, and agreement of each implemented check with kube-bench's own test
// (same flag or config path, same comparison). Reads the shared corpus by relative path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { cisCoverage, coverageJson, coverageText, parseCisItems } from './cis-coverage.js';
import { CONTROL_PLANE_CHECKS } from './control-plane-checks.js';
import { KUBELET_CHECKS } from './kubelet-checks.js';
import type { Expectation } from './expect.js';
import { loadCisItems } from '../../input/cis-items.js';
import { builtinRules } from '../../rules/index.js';
import { cisRules } from '../../rules/cis/index.js';

const CORPUS = '../shared/corpus/cis/items.json';
const corpusPresent = existsSync(CORPUS);
if (!corpusPresent) console.error(`\n*** ${CORPUS} is absent: CIS corpus agreement tests are SKIPPED ***\n`);

interface KbItem {
  id: string;
  text: string;
  automation: string;
  type: string | null;
  tests?: { bin_op?: string; test_items: { flag: string; path?: string; set?: boolean; compare?: { op: string; value: unknown } }[] };
}
const corpus = (): KbItem[] => JSON.parse(readFileSync(CORPUS, 'utf8')) as KbItem[];

test('bundled data/cis/items.json is the corpus list (ids, titles, automation)', { skip: !corpusPresent }, () => {
  const bundled = loadCisItems();
  assert.equal(bundled.benchmark, 'cis-1.12');
  const kb = corpus();
  assert.deepEqual(
    bundled.items.map((i) => [i.id, i.text, i.automation]),
    kb.map((i) => [i.id, i.text, i.automation]),
  );
});

test('parseCisItems rejects malformed lists instead of reporting 0% coverage', () => {
  assert.throws(() => parseCisItems({ items: [] }), /empty/);
  assert.throws(() => parseCisItems({ items: [{ id: '1.1.1' }] }), /no id or text/);
  assert.throws(() => parseCisItems('nope'), /empty/);
});

test('every CIS id named by a cis/* rule exists in the benchmark list', () => {
  const { benchmark, items } = loadCisItems();
  const c = cisCoverage(benchmark, items, cisRules.map((r) => ({ id: r.meta.id, cis: r.meta.references.cis ?? [] })));
  assert.deepEqual(c.unknownIds, []);
  // other families' references are theirs to fix; show them so they are not missed
  const all = cisCoverage(benchmark, items, builtinRules.map((r) => ({ id: r.meta.id, cis: r.meta.references.cis ?? [] })));
  if (all.unknownIds.length) console.log(`note: rules naming CIS ids not in ${benchmark}: ${all.unknownIds.map((u) => `${u.id} (${u.rules.join(', ')})`).join('; ')}`);
});

test('coverage figure: CIS items implemented / automatable items', () => {
  const { benchmark, items } = loadCisItems();
  const c = cisCoverage(benchmark, items, cisRules.map((r) => ({ id: r.meta.id, cis: r.meta.references.cis ?? [] })));
  const all = cisCoverage(benchmark, items, builtinRules.map((r) => ({ id: r.meta.id, cis: r.meta.references.cis ?? [] })));
  console.log(`CIS coverage (cis/* rules): ${c.coveredAutomatable}/${c.automatable} automatable items implemented, plus ${c.coveredManual} manual items`);
  console.log(`CIS coverage (all rules):  ${all.coveredAutomatable}/${all.automatable} automatable, ${all.coveredManual} manual`);
  const missing = c.rows.filter((r) => r.automatable && !r.rules.length).map((r) => r.item.id);
  console.log(`automatable items not implemented: ${missing.join(', ') || 'none'}`);
  assert.equal(c.automatable, 65);
  // Every automatable item in sections 1, 2 and 4 has a rule; section 3 and 5 have none automatable.
  assert.deepEqual(missing, []);
  const json = coverageJson(c) as { summary: { implemented: number } };
  assert.equal(json.summary.implemented, c.coveredAutomatable);
  const text = coverageText(c);
  assert.match(text, /^CIS Kubernetes Benchmark \(cis-1\.12\): 65\/65 automatable items implemented \(100\.0%\)/);
  assert.match(text, /1\.2\.6 {3}covered {2}Ensure that the --authorization-mode argument is not set to AlwaysAllow {2}\[cis\/apiserver-authorization-always-allow, cis\/authorization-config\]/);
});

/** kube-bench compare → our expectation kind. */
function agrees(kb: { flag: string; set?: boolean; compare?: { op: string; value: unknown } }, e: Expectation): boolean {
  const c = kb.compare;
  if (kb.set === false && !c) return e.op === 'unset';
  if (!c) return e.op === 'set';
  switch (c.op) {
    case 'eq':
      if (typeof c.value === 'boolean') return e.op === 'bool' && e.value === c.value;
      if (c.value === 0) return e.op === 'zero';
      return e.op === 'equals' && e.value === c.value;
    case 'noteq':
      if (c.value === false) return e.op === 'bool' && e.value === true;
      if (c.value === 0) return e.op === 'nonZeroDuration';
      return false;
    case 'gte':
      return e.op === 'gte' && e.value === c.value;
    case 'has':
      return e.op === 'listHas' && e.value === c.value;
    case 'nothave':
      if (typeof c.value === 'string' && c.value.includes('=')) return e.op === 'gateNot' && `${e.gate}=${e.value}` === c.value;
      if (c.value === false) return e.op === 'gateNot';
      return e.op === 'listLacks' && e.value === c.value;
    case 'valid_elements':
      return e.op === 'subset' && [...e.values].sort().join(',') === String(c.value).split(',').sort().join(',');
    default:
      return false;
  }
}

test('agreement with kube-bench: same flag or config path and the same comparison', { skip: !corpusPresent }, () => {
  const kb = new Map(corpus().map((i) => [i.id, i]));
  const results: { id: string; check: string; ok: boolean; why?: string }[] = [];
  for (const c of CONTROL_PLANE_CHECKS) {
    for (const id of c.cis) {
      const item = kb.get(id)!;
      if (id === '5.2.1') continue; // kube-bench has no automated test for 5.2.1 (policy control mechanism)
      for (const t of c.tests) {
        const candidates = (item.tests?.test_items ?? []).filter((x) => x.flag === `--${t.flag}`);
        const ok = candidates.some((x) => agrees(x, t.expect));
        results.push({ id, check: `${c.name} --${t.flag}`, ok, ...(ok ? {} : { why: JSON.stringify(candidates) }) });
      }
    }
  }
  for (const k of KUBELET_CHECKS) {
    for (const id of k.cis) {
      const item = kb.get(id)!;
      const field = `{.${k.field.join('.')}`;
      const candidates = (item.tests?.test_items ?? []).filter((x) => x.flag === `--${k.flag}` || (x.path ?? '').startsWith(field) || (x.path ?? '').startsWith(`{range .${k.field.join('.')}`));
      const pathOk = candidates.some((x) => x.path === undefined || x.path.startsWith(field) || x.path.startsWith(`{range .${k.field.join('.')}`));
      const ok = pathOk && candidates.some((x) => agrees(x, k.expect));
      results.push({ id, check: `${k.name} --${k.flag} / ${k.field.join('.')}`, ok, ...(ok ? {} : { why: JSON.stringify(candidates) }) });
    }
  }
  // Deliberate differences, each stricter than kube-bench's presence-only test:
  const EXPLAINED: Record<string, string> = {
    '4.2.13': 'kube-bench only asks that podPidsLimit is set; -1 (unlimited) would pass it, Rampart requires a positive limit',
    '4.2.14': 'kube-bench only asks that seccompDefault is present; "seccompDefault: false" would pass it, Rampart requires true',
  };
  const bad = results.filter((r) => !r.ok);
  const unexplained = bad.filter((r) => !EXPLAINED[r.id]);
  console.log(`kube-bench agreement: ${results.length - bad.length}/${results.length} flag/field tests use the same flag (or config path) and comparison`);
  for (const b of bad) if (EXPLAINED[b.id]) console.log(`  differs on ${b.id}: ${EXPLAINED[b.id]}`);
  assert.deepEqual(unexplained, []);
  assert.deepEqual(bad.map((b) => b.id).sort(), Object.keys(EXPLAINED).sort(), 'an explained difference no longer differs: update EXPLAINED');
});
