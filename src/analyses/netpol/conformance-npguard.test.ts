// Conformance against np-guard/netpol-analyzer golden connectivity lists (../shared/corpus/netpol/np-guard).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { clusterFromResources, computeMatrix, connectionList, lineOf, NetpolEngine } from './index.js';
import { CORPUS, corpusAvailable, loadScenarioFiles } from './testing/corpus.js';

/**
 * Scenarios where we knowingly differ from np-guard, with the reason. Every other scenario must
 * match line for line.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {};

if (corpusAvailable('np-guard')) {
  const root = path.join(CORPUS, 'np-guard');
  const index = JSON.parse(readFileSync(path.join(root, 'scenarios.json'), 'utf8')) as { scenarios: { scenario: string; resource_files: string[]; expected_lines: number }[] };
  let agree = 0;
  let total = 0;
  let linesAgree = 0;
  let linesTotal = 0;
  const report: string[] = [];
  for (const sc of index.scenarios) {
    test(`np-guard ${sc.scenario}`, () => {
      const dir = path.join(root, sc.scenario);
      const { resources, errors } = loadScenarioFiles(dir, sc.resource_files);
      assert.deepEqual(errors, []);
      const cluster = clusterFromResources(resources);
      assert.deepEqual(cluster.policies.flatMap((p) => p.problems.map((x) => `${p.id}${x.path}: ${x.message}`)), []);
      const got = connectionList(computeMatrix(new NetpolEngine(cluster))).map(lineOf);
      const expected = readFileSync(path.join(dir, 'expected_connlist_output.txt'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean).sort();
      assert.equal(expected.length, sc.expected_lines);
      const gotSet = new Set(got);
      const expSet = new Set(expected);
      const missing = expected.filter((l) => !gotSet.has(l));
      const extra = got.filter((l) => !expSet.has(l));
      total++;
      linesTotal += expected.length;
      linesAgree += expected.length - missing.length;
      if (missing.length === 0 && extra.length === 0) agree++;
      else report.push(`${sc.scenario}: ${missing.length} missing, ${extra.length} extra`);
      const known = KNOWN_DIFFERENCES[sc.scenario];
      if (known) {
        assert.ok(missing.length + extra.length > 0, `${sc.scenario} is listed as a known difference but now agrees; remove it`);
        return;
      }
      assert.deepEqual({ missing: missing.slice(0, 10), extra: extra.slice(0, 10) }, { missing: [], extra: [] });
    });
  }
  test('np-guard agreement summary', () => {
    console.log(`np-guard agreement: ${agree}/${total} scenarios identical; ${linesAgree}/${linesTotal} expected lines produced`);
    for (const r of report) console.log(`  differs: ${r} (${KNOWN_DIFFERENCES[r.split(':')[0]!] ?? 'UNEXPLAINED'})`);
    assert.equal(total, index.scenarios.length);
  });
}
