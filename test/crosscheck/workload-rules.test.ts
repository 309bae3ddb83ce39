// Cross-check: our rules against other scanners' own test fixtures (../shared/corpus/checks).
// Polaris: a pass/fail expectation per file. kube-linter: the objects each check must (and, when
// the expectation is complete, must not) report. Disagreements are explained in docs/rules-crosscheck.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AnyRule } from '../../src/engine/rule.js';
import type { Finding } from '../../src/engine/finding.js';
import { runEngine } from '../../src/engine/run.js';
import { loadText } from '../../src/input/files.js';
import { builtinRules } from '../../src/rules/index.js';

const CORPUS = path.join('..', 'shared', 'corpus', 'checks');
const present = existsSync(path.join(CORPUS, 'index.json'));
if (!present) console.error(`\n*** crosscheck: ${CORPUS} is missing; the cross-check against polaris/kube-linter fixtures is SKIPPED ***\n`);

interface Mapping {
  tool: 'polaris' | 'kube-linter' | 'kubesec';
  check: string;
  rule: string;
  /** Which of our findings count for this peer check (e.g. only the CPU part of resource-limits). */
  counts?: (f: Finding) => boolean;
  /** Lowest acceptable agreement (0..1), set from the measured value; see docs/rules-crosscheck.md. */
  threshold: number;
  /** kubesec: the scoring rule (from rules_hint) whose negative-score fixtures must make our rule fire. */
  kubesecRule?: string;
  /** The peer check is related but defines the property differently; agreement is reported, not expected to be high. */
  differentDefinition?: boolean;
}

const missing = (what: string) => (f: Finding) => Array.isArray(f.details?.missing) && (f.details!.missing as string[]).includes(what);

export const MAPPINGS: Mapping[] = [
  { tool: 'polaris', check: 'notReadOnlyRootFilesystem', rule: 'workload/read-only-root-fs', threshold: 1 },
  { tool: 'polaris', check: 'cpuLimitsMissing', rule: 'workload/resource-limits', counts: missing('cpu'), threshold: 1 },
  { tool: 'polaris', check: 'memoryLimitsMissing', rule: 'workload/resource-limits', counts: missing('memory'), threshold: 1 },
  { tool: 'polaris', check: 'cpuRequestsMissing', rule: 'workload/resource-requests', counts: missing('cpu'), threshold: 1 },
  { tool: 'polaris', check: 'memoryRequestsMissing', rule: 'workload/resource-requests', counts: missing('memory'), threshold: 1 },
  { tool: 'polaris', check: 'livenessProbeMissing', rule: 'workload/probes', counts: missing('liveness'), threshold: 1 },
  { tool: 'polaris', check: 'readinessProbeMissing', rule: 'workload/probes', counts: missing('readiness'), threshold: 1 },
  { tool: 'polaris', check: 'tagNotSpecified', rule: 'image/latest-tag', threshold: 1 },
  { tool: 'polaris', check: 'automountServiceAccountToken', rule: 'workload/automount-sa-token', threshold: 1 },
  { tool: 'polaris', check: 'sensitiveContainerEnvVar', rule: 'secrets/env-literal', threshold: 1 },
  { tool: 'kube-linter', check: 'no-read-only-root-fs', rule: 'workload/read-only-root-fs', threshold: 1 },
  { tool: 'kube-linter', check: 'unset-cpu-requirements', rule: 'workload/resource-requests', counts: missing('cpu'), threshold: 1 },
  { tool: 'kube-linter', check: 'unset-memory-requirements', rule: 'workload/resource-limits', counts: missing('memory'), threshold: 1 },
  { tool: 'kube-linter', check: 'no-liveness-probe', rule: 'workload/probes', counts: missing('liveness'), threshold: 1 },
  { tool: 'kube-linter', check: 'no-readiness-probe', rule: 'workload/probes', counts: missing('readiness'), threshold: 1 },
  { tool: 'kube-linter', check: 'latest-tag', rule: 'image/latest-tag', threshold: 1 },
  { tool: 'kube-linter', check: 'env-var-secret', rule: 'secrets/env-literal', threshold: 1 },
  { tool: 'kube-linter', check: 'docker-sock', rule: 'workload/runtime-socket-mount', threshold: 1 },
  { tool: 'kube-linter', check: 'default-service-account', rule: 'workload/default-service-account', threshold: 1 },
  { tool: 'kube-linter', check: 'drop-net-raw-capability', rule: 'workload/drop-net-raw', threshold: 1 },
  { tool: 'kube-linter', check: 'use-namespace', rule: 'workload/default-namespace', threshold: 1 },
  { tool: 'kubesec', check: 'DockerSock', kubesecRule: 'DockerSock', rule: 'workload/runtime-socket-mount', threshold: 1 },
  // Related checks with a wider definition ("may run as root"); ours is "explicitly UID 0". pss/runAsNonRoot covers theirs.
  { tool: 'kube-linter', check: 'run-as-non-root', rule: 'workload/root-uid', threshold: 0.25, differentDefinition: true },
  { tool: 'polaris', check: 'runAsRootAllowed', rule: 'workload/root-uid', threshold: 0.5, differentDefinition: true },
];

interface IndexEntry {
  tool: string;
  check: string;
  file: string;
  expect: string;
}
interface LinterExpectation {
  check: string;
  file: string;
  config?: string | null;
  expected_complete: boolean;
  expected: { kind: string; name?: string }[];
  fixture_objects: { kind: string; name: string }[];
}

function scanFile(rule: AnyRule, file: string): Finding[] {
  const load = loadText(readFileSync(path.join(CORPUS, file), 'utf8'), file);
  assert.deepEqual(load.errors, [], `${file} parses`);
  const report = runEngine(load, { rules: [rule] });
  assert.deepEqual(report.errors, [], `${rule.meta.id} evaluates ${file}`);
  return report.findings;
}

function ruleById(id: string): AnyRule {
  const r = builtinRules.find((x) => x.meta.id === id);
  assert.ok(r, `rule ${id} is registered`);
  return r;
}

interface KubesecExpectation {
  file: string;
  expected_score: string | null;
  rules_hint?: string[];
}

export interface Disagreement {
  item: string;
  peer: 'fail' | 'pass';
  ours: 'fail' | 'pass';
}

/** Agreement of one mapping: items compared, items agreeing, and the disagreements. */
export function agreement(m: Mapping): { compared: number; agree: number; disagreements: Disagreement[] } {
  const rule = ruleById(m.rule);
  const counts = m.counts ?? (() => true);
  const out = { compared: 0, agree: 0, disagreements: [] as Disagreement[] };
  const tally = (item: string, peerFails: boolean, weFail: boolean) => {
    out.compared++;
    if (peerFails === weFail) out.agree++;
    else out.disagreements.push({ item, peer: peerFails ? 'fail' : 'pass', ours: weFail ? 'fail' : 'pass' });
  };
  if (m.tool === 'polaris') {
    const index = JSON.parse(readFileSync(path.join(CORPUS, 'index.json'), 'utf8')) as IndexEntry[];
    const entries = index.filter((e) => e.tool === 'polaris' && e.check === m.check);
    assert.ok(entries.length > 0, `polaris ${m.check} has fixtures`);
    for (const e of entries) tally(e.file, e.expect === 'fail', scanFile(rule, e.file).some(counts));
  } else if (m.tool === 'kubesec') {
    const all = JSON.parse(readFileSync(path.join(CORPUS, 'kubesec', 'expectations.json'), 'utf8')) as KubesecExpectation[];
    // kubesec only asserts the sign of a score: a negative score on a fixture hinted with the rule means it matched.
    const exps = all.filter((e) => e.expected_score === '<0' && (e.rules_hint ?? []).includes(m.kubesecRule!));
    assert.ok(exps.length > 0, `kubesec ${m.kubesecRule} has negative-score fixtures`);
    for (const e of exps) tally(e.file, true, scanFile(rule, path.join('kubesec', e.file)).some(counts));
  } else {
    const all = JSON.parse(readFileSync(path.join(CORPUS, 'kube-linter', 'expectations.json'), 'utf8')) as LinterExpectation[];
    const exps = all.filter((e) => e.check === m.check && !e.config);
    assert.ok(exps.length > 0, `kube-linter ${m.check} has an expectation`);
    for (const exp of exps) {
      const file = path.join('kube-linter', exp.file);
      const ours = new Set(scanFile(rule, file).filter(counts).map((f) => `${f.resource.kind}/${f.resource.name}`));
      const expected = new Set(exp.expected.filter((x) => x.name).map((x) => `${x.kind}/${x.name}`));
      for (const o of exp.fixture_objects) {
        const key = `${o.kind}/${o.name}`;
        // With an incomplete expectation only the asserted reports are known.
        if (!expected.has(key) && !exp.expected_complete) continue;
        tally(`${exp.file} ${key}`, expected.has(key), ours.has(key));
      }
    }
  }
  return out;
}

for (const m of MAPPINGS) {
  test(`crosscheck ${m.tool} ${m.check} ↔ ${m.rule}`, { skip: !present && 'corpus missing' }, () => {
    const a = agreement(m);
    const pct = a.compared ? a.agree / a.compared : 0;
    console.log(`  agreement ${m.tool.padEnd(11)} ${m.check.padEnd(29)} ${m.rule.padEnd(33)} ${a.agree}/${a.compared} = ${(pct * 100).toFixed(0)}%${m.differentDefinition ? '  (different definition)' : ''}`);
    for (const d of a.disagreements) console.log(`    disagree: ${d.item}: ${m.tool} ${d.peer}, rampart ${d.ours}`);
    assert.ok(a.compared > 0, 'something was compared');
    assert.ok(pct >= m.threshold, `agreement ${(pct * 100).toFixed(0)}% is below the threshold ${(m.threshold * 100).toFixed(0)}%`);
  });
}
