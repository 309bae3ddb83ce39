// A Kustomize base behind several overlays: each finding once per source line, listing the rendered
// objects it stands for, and SARIF fingerprints unique (GitHub drops results that share one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { loadInputs } from '../src/input/files.js';
import { runEngine } from '../src/engine/run.js';
import { builtinRules } from '../src/rules/index.js';
import { mergeSameSource } from '../src/engine/same-source.js';
import { reporters } from '../src/reports/index.js';
import type { Finding } from '../src/engine/finding.js';

const TREE = '../shared/corpus/kustomize';

function finding(over: Partial<Finding> & { line: number; name: string }): Finding {
  return {
    ruleId: over.ruleId ?? 'workload/probes',
    severity: over.severity ?? 'low',
    title: 't',
    message: 'container "app" has no probe',
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', name: over.name, namespace: 'ns' },
    location: { file: 'base/deploy.yaml', line: over.line, column: 7, path: '/spec/template/spec/containers/0', mapping: 'exact' },
    rendered: { file: `${over.name} (kustomize build)`, line: 40, column: 7 },
    remediation: 'r',
    references: { cis: [], nsa: [], mitre: [] },
    suppressed: false,
  };
}

test('mergeSameSource: one finding per rule and source position, the worst severity, every rendered object listed', () => {
  const out = mergeSameSource([finding({ line: 9, name: 'a' }), finding({ line: 9, name: 'b', severity: 'medium' }), finding({ line: 10, name: 'c' })]);
  assert.equal(out.length, 2);
  assert.equal(out[0]!.severity, 'medium');
  assert.deepEqual(out[0]!.occurrences!.map((o) => o.resource.name), ['a', 'b']);
  assert.match(out[0]!.message, /in 2 rendered objects/);
  assert.equal(out[1]!.occurrences, undefined);
  // Plain files (no mapping) are never merged: their lines belong to one object each.
  const plain = [finding({ line: 9, name: 'a' }), finding({ line: 9, name: 'b' })].map((f) => ({ ...f, location: { ...f.location, mapping: undefined } }));
  assert.equal(mergeSameSource(plain as Finding[]).length, 2);
});

test('kustomize corpus: no two findings share a source position, and SARIF fingerprints are unique', { timeout: 600_000 }, async (t) => {
  if (!existsSync(TREE)) {
    t.skip(`SKIPPED: ${TREE} is missing; same-source merging NOT checked on real overlays`);
    return;
  }
  const load = await loadInputs([TREE], undefined, {});
  const report = runEngine(load, { rules: builtinRules });
  const keys = report.findings.filter((f) => f.location.mapping).map((f) => [f.ruleId, f.location.file, f.location.line, f.location.column, f.location.path, f.suppressed].join('|'));
  assert.equal(new Set(keys).size, keys.length, 'one finding per rule and source position');
  const merged = report.findings.filter((f) => (f.occurrences?.length ?? 0) > 1);
  console.log(`kustomize corpus: ${report.findings.length} findings after merging; ${merged.length} stand for ${merged.reduce((n, f) => n + f.occurrences!.length, 0)} rendered ones`);
  assert.ok(merged.length > 0, 'the shared bases do produce merged findings');
  const metas = new Map(builtinRules.map((r) => [r.meta.id, r.meta]));
  const sarif = JSON.parse(reporters.sarif!(report, { rules: metas, color: false }));
  const prints = sarif.runs[0].results.map((r: { partialFingerprints: Record<string, string> }) => Object.values(r.partialFingerprints).join());
  assert.equal(new Set(prints).size, prints.length, 'unique SARIF fingerprints');
});
