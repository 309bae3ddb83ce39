// Writers that escape or name a shared part once (a rule's remediation, a resource's name, a rule's
// index) must write what escaping or naming each finding's whole text wrote: checked on hand-made
// findings with odd characters and rules the context does not know, and on the real-world corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { escapeXml, resourceName, where } from '../src/reports/common.js';
import { reporters } from '../src/reports/index.js';
import type { Finding, ScanReport } from '../src/engine/finding.js';
import { emptyCounts } from '../src/engine/finding.js';
import { loadInputs } from '../src/input/files.js';
import { runEngine } from '../src/engine/run.js';
import { builtinRules } from '../src/rules/index.js';
import { contextFor } from './support/report-helpers.js';

const REAL_WORLD = '../shared/corpus/real-world';

/** The escaping as it was defined before the no-op test in front of it: two replaces. */
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
// eslint-disable-next-line no-control-regex
const twoReplaces = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

const ODD = ['', 'plain', 'a & b <c> "d" \'e\'', '\u0000\u0008\t\n\u000B\u000C\r\u001F', '\uFFFE\uFFFF\uFFFD', '\ud83d\ude00 \ud800 lone \udc00', '&amp; already', 'é ü 中文 \u2028'];

test('escapeXml: the same as the two replaces, and escaping the parts of a text apart gives the text escaped whole', () => {
  const all = String.fromCharCode(...Array.from({ length: 0x80 }, (_, i) => i)) + '\ud800\udfff\uFFFE\uFFFF';
  for (const s of [...ODD, all]) assert.equal(escapeXml(s), twoReplaces(s), JSON.stringify(s));
  let pairs = 0;
  for (const a of [...ODD, all]) {
    for (const b of ODD) {
      assert.equal(escapeXml(a) + escapeXml(b), escapeXml(a + b), JSON.stringify([a, b]));
      pairs++;
    }
  }
  console.log(`escapeXml: ${ODD.length + 1} texts equal to the two replaces, ${pairs} pairs escaped apart equal to escaped whole`);
});

/** What the JUnit writer wrote for an open finding when it escaped the whole text. */
function failureEscapedWhole(f: Finding, remediation: string): string {
  const text = [
    `${f.severity.toUpperCase()} ${f.ruleId}: ${f.message}`,
    `resource: ${resourceName(f)}`,
    `location: ${where(f.location.file, f.location.line, f.location.column)} (${f.location.path || '/'})`,
    `remediation: ${remediation}`,
  ].join('\n');
  return `<failure message="${twoReplaces(f.message)}" type="${f.severity}">${twoReplaces(text)}</failure>`;
}

function handMade(): ScanReport {
  const f = (ruleId: string, message: string, remediation: string, path: string): Finding => ({
    ruleId,
    severity: 'high',
    title: ruleId,
    message,
    resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a&b', name: 'x<y>' },
    location: { file: 'dir/"odd".yaml', line: 3, column: 1, path },
    remediation,
    references: { cis: [], nsa: [], mitre: [] },
    suppressed: false,
  });
  // A rule the context does not know: each finding carries its own remediation.
  const findings = [
    f('custom/rule', 'first "one" & \u0001', 'fix <this> & \uFFFE', '/data/a'),
    f('custom/rule', 'second', 'another remediation \'quoted\'', '/data/b'),
    f('custom/rule', 'third', 'fix <this> & \uFFFE', ''),
  ];
  const summary = { resources: 1, findings: findings.length, bySeverity: { ...emptyCounts(), high: findings.length }, suppressed: 0, notEvaluated: 0, errors: 0, skipped: 0, files: 1, rules: 1 };
  return { tool: { name: 'rampart', version: '0.1.0' }, summary, findings, errors: [], skipped: [] };
}

test('junit: each failure is its whole text escaped, for findings of a rule the context does not know (their own remediations) and of built-in rules on the real-world corpus', async (t) => {
  const sets: [string, ScanReport, ReturnType<typeof contextFor>][] = [['hand-made', handMade(), contextFor([])]];
  if (existsSync(REAL_WORLD)) sets.push(['real-world', runEngine(await loadInputs([REAL_WORLD]), { rules: builtinRules }), contextFor(builtinRules)]);
  else t.diagnostic(`SKIPPED the corpus part: ${REAL_WORLD} is missing`);
  for (const [name, report, ctx] of sets) {
    const xml = reporters.junit!(report, ctx);
    let found = 0;
    const open = report.findings.filter((f) => !f.suppressed);
    for (const f of open) {
      const remediation = ctx.rules.get(f.ruleId)?.remediation ?? f.remediation;
      if (xml.includes(failureEscapedWhole(f, remediation))) found++;
    }
    console.log(`junit ${name}: ${found} of ${open.length} failures equal to their whole text escaped`);
    assert.equal(found, open.length);
    assert.equal((xml.match(/<failure /g) ?? []).length, open.length);
  }
});

test('sarif: a rule the context does not know keeps its index, and every result names its resource as the finding does', async (t) => {
  const sets: [string, ScanReport, ReturnType<typeof contextFor>][] = [['hand-made', handMade(), contextFor([])]];
  if (existsSync(REAL_WORLD)) sets.push(['real-world', runEngine(await loadInputs([REAL_WORLD]), { rules: builtinRules }), contextFor(builtinRules)]);
  else t.diagnostic(`SKIPPED the corpus part: ${REAL_WORLD} is missing`);
  for (const [name, report, ctx] of sets) {
    const run = JSON.parse(reporters.sarif!(report, ctx)).runs[0];
    const rules: { id: string }[] = run.tool.driver.rules;
    const results: { ruleId: string; ruleIndex: number; locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }[] = run.results;
    let agree = 0;
    results.forEach((r, i) => {
      const f = report.findings[i]!;
      if (r.ruleId === f.ruleId && rules[r.ruleIndex]?.id === f.ruleId && r.locations[0]!.logicalLocations[0]!.fullyQualifiedName === resourceName(f)) agree++;
    });
    console.log(`sarif ${name}: ${agree} of ${report.findings.length} results with their rule's index and their resource's name`);
    assert.equal(agree, report.findings.length);
  }
});
