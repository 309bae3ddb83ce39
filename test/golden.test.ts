// Golden tests: every output format for the same fixed scan, compared byte for byte with test/golden/.
// Regenerate after an intended change with: UPDATE_GOLDEN=1 node scripts/run-tests.mjs golden
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { reporters } from '../src/reports/index.js';
import { VERSION } from '../src/version.js';
import { contextFor, goldenReport } from './support/report-helpers.js';
import { fixtureRules } from './support/fixture-rules.js';

const EXT: Record<string, string> = { text: 'txt', json: 'json', sarif: 'sarif.json', junit: 'junit.xml', markdown: 'md', html: 'html', policyreport: 'policyreport.yaml' };

/** The only normalisation: the tool version, so a release does not rewrite every golden file. */
function normalise(s: string): string {
  return s.split(VERSION).join('0.0.0-golden');
}

const cases: { format: string; color?: boolean; file: string }[] = [
  ...Object.keys(reporters).map((format) => ({ format, file: `scan.${EXT[format] ?? format}` })),
  { format: 'text', color: true, file: 'scan.color.txt' },
];

test('every registered format has a golden file extension', () => {
  for (const f of Object.keys(reporters)) assert.ok(EXT[f], `add an extension for format ${f}`);
});

for (const c of cases) {
  test(`golden: ${c.format}${c.color ? ' (colour)' : ''} matches test/golden/${c.file}`, async () => {
    const report = await goldenReport();
    const out = normalise(reporters[c.format]!(report, contextFor(fixtureRules, c.color ?? false)));
    const file = `test/golden/${c.file}`;
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
      if (process.env.CI && !existsSync(file)) assert.fail(`${file} is missing; generate it with UPDATE_GOLDEN=1`);
      writeFileSync(file, out);
    }
    assert.equal(out, readFileSync(file, 'utf8'), `${c.format} output differs from ${file}; if intended, rerun with UPDATE_GOLDEN=1`);
  });
}

test('golden scan covers what the reports must show', async () => {
  const r = await goldenReport();
  const byRule = (id: string) => r.findings.filter((f) => f.ruleId === id);
  // Annotation with a reason suppresses; an empty one does not and is itself a finding.
  const debug = byRule('fixture/writable-root').find((f) => f.resource.name === 'debug');
  assert.equal(debug?.suppressed, true);
  assert.equal(debug?.suppression?.kind, 'annotation');
  assert.equal(byRule('config/suppression-without-reason').length, 1);
  // Config exception with a glob namespace suppresses the DaemonSet from the List.
  const agent = byRule('fixture/writable-root').find((f) => f.resource.name === 'agent');
  assert.equal(agent?.suppression?.kind, 'config');
  assert.equal(agent?.location.path, '/items/0/spec/template/spec/containers/0/securityContext');
  // The expired exception no longer suppresses and is a finding pointing into the config file.
  assert.ok(byRule('fixture/no-owner-label').every((f) => !f.suppressed && f.severity === 'info'));
  const expired = byRule('config/expired-exception');
  assert.equal(expired.length, 1);
  assert.equal(expired[0]!.location.file, 'test/fixtures/config/golden.rampart.yaml');
  assert.equal(expired[0]!.location.line, 10);
  // Not evaluated: the invalid YAML (error with line) and the Helm template (fails closed); values.yaml is a note.
  assert.deepEqual(r.errors.map((e) => [e.file, e.line]), [['test/fixtures/report/broken.yaml', 6]]);
  assert.deepEqual(r.skipped.map((s) => [s.file, s.failsClosed]), [['test/fixtures/report/template.yaml', true], ['test/fixtures/report/values.yaml', false]]);
  assert.equal(r.summary.notEvaluated, 2);
});
