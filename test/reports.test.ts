// Format-specific checks beyond the golden files: SARIF against the official schema, escaping,
// self-contained HTML, PolicyReport shape, and that every report names what was not evaluated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { reporters } from '../src/reports/index.js';
import { runEngine } from '../src/engine/run.js';
import { loadInputs, loadText } from '../src/input/files.js';
import { builtinRules } from '../src/rules/index.js';
import { contextFor, goldenReport, sarifValidator } from './support/report-helpers.js';
import { fixtureRules } from './support/fixture-rules.js';

const REAL_WORLD = '../shared/corpus/real-world';
const validateSarif = sarifValidator();

test('sarif: golden scan validates against the official SARIF 2.1.0 schema', async () => {
  const doc = JSON.parse(reporters.sarif!(await goldenReport(), contextFor(fixtureRules)));
  assert.deepEqual(validateSarif(doc), []);
});

test('sarif: the schema validator rejects malformed SARIF (it is not vacuous)', async () => {
  const doc = JSON.parse(reporters.sarif!(await goldenReport(), contextFor(fixtureRules)));
  doc.runs[0].results[0].level = 'fatal';
  doc.runs[0].results[2].suppressions[0].state = 'accepted';
  delete doc.runs[0].tool.driver.name;
  const errors = validateSarif(doc);
  assert.ok(errors.some((e) => e.startsWith('/runs/0/results/0/level')), errors.join('\n'));
  assert.ok(errors.some((e) => e.startsWith('/runs/0/results/2/suppressions/0')), errors.join('\n'));
  assert.ok(errors.some((e) => e.includes("'name'")), errors.join('\n'));
});

test('sarif: rules carry help, tags and security-severity; results carry location, fingerprints, suppressions', async () => {
  const report = await goldenReport();
  const run = JSON.parse(reporters.sarif!(report, contextFor(fixtureRules))).runs[0];
  const rules: { id: string; help: { text: string; markdown: string }; properties: Record<string, unknown> }[] = run.tool.driver.rules;
  const ids = rules.map((r) => r.id);
  // Engine-made findings (expired exception, reasonless annotation) get rule entries too.
  for (const id of ['fixture/writable-root', 'config/expired-exception', 'config/suppression-without-reason']) assert.ok(ids.includes(id), id);
  const netpol = rules.find((r) => r.id === 'fixture/namespace-without-netpol')!;
  assert.equal(netpol.properties['security-severity'], '8.0');
  assert.ok((netpol.properties.tags as string[]).includes('cis:5.3.2') && (netpol.properties.tags as string[]).includes('mitre:T1046'));
  assert.match(netpol.help.markdown, /\*\*Remediation:\*\*/);
  assert.equal(run.results.length, report.findings.length);
  for (const r of run.results) {
    assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId, 'ruleIndex points at the rule');
    assert.ok(r.partialFingerprints['rampartFinding/v1']);
  }
  const app = run.results.find((r: { message: { text: string } }) => r.message.text.includes('"app"'));
  assert.deepEqual(app.locations[0].physicalLocation, { artifactLocation: { uri: 'test/fixtures/report/workloads.yaml' }, region: { startLine: 17, startColumn: 11 } });
  assert.equal(app.level, 'warning');
  const suppressed = run.results.filter((r: { suppressions?: unknown[] }) => r.suppressions);
  assert.deepEqual(suppressed.map((r: { suppressions: { kind: string }[] }) => r.suppressions[0]!.kind).sort(), ['external', 'inSource']);
  const inv = run.invocations[0];
  assert.equal(inv.executionSuccessful, false, 'not everything was evaluated');
  const errors = inv.toolExecutionNotifications.filter((n: { level: string }) => n.level === 'error');
  assert.equal(errors.length, 2);
  assert.equal(errors[0].locations[0].physicalLocation.region.startLine, 6);
});

test('sarif: fingerprints are stable when lines move and differ between fields', () => {
  const yaml = (pad: string) => `${pad}apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: x}\n  - {name: b, image: x}\n`;
  const fp = (text: string) => {
    const r = runEngine(loadText(text, 'p.yaml'), { rules: fixtureRules });
    return JSON.parse(reporters.sarif!(r, contextFor(fixtureRules))).runs[0].results.map((x: { partialFingerprints: Record<string, string> }) => x.partialFingerprints['rampartFinding/v1']);
  };
  const before = fp(yaml(''));
  assert.deepEqual(fp(yaml('# moved down\n\n')), before);
  assert.equal(new Set(before).size, before.length);
});

test('sarif: clean run is executionSuccessful and valid', () => {
  const r = runEngine(loadText('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', 'c.yaml'), { rules: fixtureRules });
  const doc = JSON.parse(reporters.sarif!(r, contextFor(fixtureRules)));
  assert.deepEqual(validateSarif(doc), []);
  assert.equal(doc.runs[0].invocations[0].executionSuccessful, true);
  assert.deepEqual(doc.runs[0].results, []);
});

test('sarif: a scan of the real-world corpus with all built-in rules validates against the schema', async (t) => {
  if (!existsSync(REAL_WORLD)) {
    console.warn(`\n!!! SKIPPED: ${REAL_WORLD} is absent; the corpus SARIF validation did not run !!!\n`);
    t.skip('corpus absent');
    return;
  }
  const load = await loadInputs([REAL_WORLD]);
  const report = runEngine(load, { rules: builtinRules });
  const doc = JSON.parse(reporters.sarif!(report, contextFor(builtinRules)));
  assert.deepEqual(validateSarif(doc), []);
  assert.equal(doc.runs[0].results.length, report.findings.length);
});

test('junit: one suite per rule, failures for open findings, skipped for suppressed, errors for not evaluated', async () => {
  const report = await goldenReport();
  const xml = reporters.junit!(report, contextFor(fixtureRules));
  const suites = [...xml.matchAll(/<testsuite name="([^"]+)" tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/g)].map((m) => m.slice(1).join(' '));
  assert.deepEqual(suites, [
    'config/expired-exception 1 1 0 0',
    'config/suppression-without-reason 1 1 0 0',
    'fixture/namespace-without-netpol 1 1 0 0',
    'fixture/no-owner-label 4 4 0 0',
    'fixture/writable-root 5 3 0 2',
    'rampart/inputs 4 0 2 1',
  ]);
  assert.match(xml, /<testsuites name="rampart [^"]+" tests="16" failures="10" errors="2"/);
  // Hostile names are escaped, never markup.
  assert.ok(!xml.includes('<script>'));
  assert.ok(xml.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
});

test('html: self-contained (no scripts, no external assets) and escaped', async () => {
  const html = reporters.html!(await goldenReport(), contextFor(fixtureRules));
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.ok(!/<script/i.test(html), 'no script elements (the fixture has a Job named <script>)');
  assert.ok(!/\b(src|href)=/i.test(html), 'no links to external assets');
  assert.ok(!/@import|url\(/i.test(html), 'no CSS imports');
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.match(html, /Not evaluated<\/h2>[\s\S]*broken\.yaml:6:1[\s\S]*template\.yaml/);
});

test('markdown: table cells cannot be broken by names; not-evaluated section present', async () => {
  const md = reporters.markdown!(await goldenReport(), contextFor(fixtureRules));
  assert.ok(md.includes('container "x\\|y\\*\\`z\\`"'));
  assert.ok(!md.includes('<script>'));
  assert.match(md, /### Not evaluated\n\n- \*\*error\*\* test\/fixtures\/report\/broken\.yaml:6:1/);
  for (const line of md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))) {
    const cells = line.replace(/\\\|/g, '').split('|').length - 2;
    assert.ok(cells === 2 || cells === 4 || cells === 5, `row has ${cells} cells: ${line}`);
  }
});

test('policyreport: one PolicyReport per namespace plus a ClusterPolicyReport; counts add up', async () => {
  const report = await goldenReport();
  const docs = parseAllDocuments(reporters.policyreport!(report, contextFor(fixtureRules))).map((d) => d.toJS());
  assert.deepEqual(
    docs.map((d) => `${d.kind} ${d.metadata.namespace ?? '-'} ${d.metadata.name}`),
    ['ClusterPolicyReport - rampart-cluster', 'PolicyReport batch rampart-batch', 'PolicyReport kube-system rampart-kube-system', 'PolicyReport shop rampart-shop'],
  );
  for (const d of docs) {
    assert.equal(d.apiVersion, 'wgpolicyk8s.io/v1alpha2');
    const s = d.summary;
    assert.equal(s.pass + s.fail + s.warn + s.error + s.skip, d.results.length);
    for (const r of d.results) for (const v of Object.values(r.properties ?? {})) assert.equal(typeof v, 'string', 'properties are a string map');
  }
  const cluster = docs[0];
  assert.equal(cluster.summary.error, 2, 'not-evaluated inputs are errors in the cluster report');
  assert.ok(cluster.results.some((r: { policy: string }) => r.policy === 'fixture/namespace-without-netpol'), 'Namespace objects are cluster-scoped');
  const kube = docs.find((d) => d.metadata.namespace === 'kube-system');
  assert.deepEqual(kube.results.map((r: { policy: string; result: string }) => `${r.policy}=${r.result}`).sort(), ['fixture/no-owner-label=fail', 'fixture/writable-root=skip']);
});

test('text: colour only when asked, and control characters from input cannot drive the terminal', () => {
  const evil = 'apiVersion: v1\nkind: Pod\nmetadata: {name: "a\\e[2J\\e]0;pwned\\u0007"}\nspec: {containers: [{name: c, image: x}]}\n';
  const r = runEngine(loadText(evil, 'e.yaml'), { rules: fixtureRules });
  const plain = reporters.text!(r, contextFor(fixtureRules, false));
  assert.ok(!plain.includes('\x1b'), 'no escape characters at all without colour');
  assert.ok(plain.includes('a\\x1b[2J'));
  const colour = reporters.text!(r, contextFor(fixtureRules, true));
  assert.ok(colour.includes('\x1b[33m'));
  assert.ok(!colour.includes('\x1b[2J') && !colour.includes('\x07'));
});

test('every format names what was not evaluated', async () => {
  const report = await goldenReport();
  for (const [name, fmt] of Object.entries(reporters)) {
    const out = fmt(report, contextFor(fixtureRules));
    assert.ok(out.includes('broken.yaml'), `${name} names the file with invalid YAML`);
    assert.ok(out.includes('template.yaml'), `${name} names the unrendered template`);
  }
});

test('markdown: a huge scan stays under the PR-comment size limit, worst first, and says how many were cut', () => {
  const pods = Array.from({ length: 1500 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {containers: [{name: c, image: x}]}\n`).join('---\n');
  const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: zzz}\n';
  const r = runEngine(loadText(pods + '---\n' + ns, 'many.yaml'), { rules: fixtureRules });
  const md = reporters.markdown!(r, contextFor(fixtureRules));
  assert.ok(md.length < 65_536, `markdown is ${md.length} characters`);
  const shown = (md.match(/^\| (🟥|🟧|🟨|🟦|⬜) /gmu) ?? []).length - 5; // minus the 5 summary rows
  const cut = Number(/_(\d+) more findings not shown/.exec(md)?.[1]);
  assert.equal(shown + cut, r.summary.findings);
  assert.ok(md.indexOf('fixture/namespace-without-netpol') < md.indexOf('fixture/writable-root'), 'the high finding comes first');
});

test('CLI: every -o format runs end to end, --output writes the file, exit code does not depend on the format', async () => {
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { runCli } = await import('./support/cli.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-formats-'));
  try {
    const codes = new Set<number | null>();
    for (const format of Object.keys(reporters)) {
      const out = path.join(dir, `report.${format}`);
      const r = runCli(['scan', 'examples', '--no-config', '-o', format, '--output', out]);
      codes.add(r.status);
      assert.equal(r.stdout, '', `${format}: nothing on stdout when --output is given`);
      const text = readFileSync(out, 'utf8');
      assert.ok(text.length > 100, `${format}: report written`);
      assert.ok(!text.includes('\x1b['), `${format}: no colour in files`);
      if (format === 'sarif') assert.deepEqual(validateSarif(JSON.parse(text)), []);
    }
    assert.deepEqual([...codes], [1], 'the insecure example fails at the default threshold in every format');
    const bad = runCli(['scan', 'examples', '-o', 'yaml']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown output format "yaml"; use one of text, json, sarif, junit, markdown, html, policyreport/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
