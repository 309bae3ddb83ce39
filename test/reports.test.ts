// Format-specific checks beyond the golden files: SARIF against the official schema, escaping,
// self-contained HTML, PolicyReport shape, and that every report names what was not evaluated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { reporters } from '../src/reports/index.js';
import { runEngine } from '../src/engine/run.js';
import { loadInputs, loadText } from '../src/input/files.js';
import { builtinRules } from '../src/rules/index.js';
import { ensureDebianTool } from './support/debian-tool.js';
import { contextFor, githubSarifProblems, goldenReport, sarifValidator, xmlSchemaErrors } from './support/report-helpers.js';
import { fixtureRules } from './support/fixture-rules.js';

const REAL_WORLD = '../shared/corpus/real-world';
const validateSarif = sarifValidator();
/** One scan of the real-world corpus, shared by the format tests (it takes seconds). */
let corpusScan: Promise<ReturnType<typeof runEngine>> | undefined;
// Passes are recorded (they change no format but the PolicyReport, whose test reads them).
const corpusReport = () => (corpusScan ??= loadInputs([REAL_WORLD]).then((load) => runEngine(load, { rules: builtinRules, recordPasses: true })));

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
  assert.deepEqual(app.locations[0].physicalLocation, { artifactLocation: { uri: 'test/fixtures/report/workloads.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 17, startColumn: 11 } });
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
  const report = await corpusReport();
  const doc = JSON.parse(reporters.sarif!(report, { ...contextFor(builtinRules), srcRoot: process.cwd() }));
  assert.deepEqual(validateSarif(doc), []);
  assert.deepEqual(githubSarifProblems(doc), []);
  const run = doc.runs[0];
  assert.equal(run.results.length, report.findings.length);
  const prints = run.results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints['rampartFinding/v1']);
  assert.equal(new Set(prints).size, prints.length, 'fingerprints unique');
  const uris = run.results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }) => r.locations[0]!.physicalLocation.artifactLocation);
  // The corpus sits outside the working directory here, so its files are absolute file URIs with no base.
  const outside = !path.relative(process.cwd(), REAL_WORLD).startsWith('..') ? 0 : 1;
  for (const u of uris as { uri: string; uriBaseId?: string }[]) {
    if (outside) assert.ok(u.uri.startsWith('file:///') && u.uriBaseId === undefined, u.uri);
    else assert.ok(u.uriBaseId === '%SRCROOT%' && !u.uri.startsWith('file:'), u.uri);
  }
  assert.ok(run.originalUriBaseIds['%SRCROOT%'].uri.endsWith('/'));
  console.log(`real-world corpus SARIF: ${prints.length} results, ${new Set(prints).size} distinct fingerprints, ${run.artifacts.length} artifacts, ${run.tool.driver.rules.length} rules`);
});

test('sarif: paths relative to %SRCROOT%, files outside it as absolute file URIs, stdin as a named artifact', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: x}]}\n';
  const outside = path.resolve(process.cwd(), '..', 'elsewhere dir', 'pod.yaml');
  for (const [file, want] of [
    ['k8s/my pod.yaml', { uri: 'k8s/my%20pod.yaml', uriBaseId: '%SRCROOT%' }],
    [outside, { uri: pathToFileURL(outside).href }],
    ['<stdin>', { uri: 'stdin' }],
    ['../up/pod.yaml', { uri: pathToFileURL(path.resolve('../up/pod.yaml')).href }],
  ] as const) {
    const doc = JSON.parse(reporters.sarif!(runEngine(loadText(pod, file), { rules: fixtureRules }), contextFor(fixtureRules)));
    assert.deepEqual(validateSarif(doc), []);
    const run = doc.runs[0];
    assert.ok(run.results.length > 0);
    for (const r of run.results) assert.deepEqual(r.locations[0].physicalLocation.artifactLocation, want, file);
    assert.ok(!JSON.stringify(doc).includes('%3C'), 'no encoded <stdin>');
    const art = run.artifacts.find((a: { location: { uri: string } }) => a.location.uri === want.uri);
    assert.ok(art, `${file} listed as an artifact`);
    if (file === '<stdin>') assert.equal(art.description.text, 'standard input');
    // Without a known root the base is described, not pinned to a machine path.
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, undefined);
  }
});

test('sarif: GitHub limits hold: over 25,000 results the most severe are kept and the cut is named', () => {
  const base = runEngine(loadText('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: x}]}\n', 'p.yaml'), { rules: fixtureRules });
  const one = base.findings[0]!;
  const n = 25_010;
  const findings = Array.from({ length: n }, (_, i) => ({ ...one, severity: i < 20 ? ('critical' as const) : ('low' as const), resource: { ...one.resource, name: `p${i}` } }));
  const doc = JSON.parse(reporters.sarif!({ ...base, findings }, contextFor(fixtureRules)));
  assert.deepEqual(githubSarifProblems(doc), []);
  const run = doc.runs[0];
  assert.equal(run.results.length, 25_000);
  assert.equal(run.results.filter((r: { properties: { severity: string } }) => r.properties.severity === 'critical').length, 20, 'every critical kept');
  assert.equal(run.invocations[0].executionSuccessful, false);
  assert.ok(run.invocations[0].toolExecutionNotifications.some((x: { message: { text: string } }) => x.message.text.startsWith('10 lower-severity findings left out')));
  // The checker is not vacuous.
  run.results.push(...run.results.slice(0, 1));
  run.tool.driver.rules[0].properties.tags = Array.from({ length: 21 }, (_, i) => `t${i}`);
  assert.deepEqual(githubSarifProblems(doc).length, 2);
});

test('sarif: no built-in rule has more tags than GitHub accepts', () => {
  const doc = JSON.parse(reporters.sarif!({ ...runEngine(loadText('', 'e.yaml'), { rules: builtinRules }) }, contextFor(builtinRules)));
  for (const r of doc.runs[0].tool.driver.rules) assert.ok(r.properties.tags.length <= 20, r.id);
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

const JUNIT_XSD = 'test/schemas/junit-10.xsd';

test("junit: golden scan and the real-world corpus validate against Jenkins' junit-10.xsd (xmllint)", async (t) => {
  if (!ensureDebianTool('xmllint', 'libxml2-utils')) {
    console.warn('\n!!! SKIPPED: xmllint (Debian libxml2-utils) is not available and could not be installed; junit-10.xsd validation did not run !!!\n');
    t.skip('xmllint absent');
    return;
  }
  const golden = reporters.junit!(await goldenReport(), contextFor(fixtureRules));
  assert.deepEqual(xmlSchemaErrors(golden, JUNIT_XSD), []);
  assert.match(golden, /<skipped message="suppressed [^"]*">location: test\/fixtures\/report\/[^<]+:\d+:\d+<\/skipped>/, 'suppressed cases keep their location');
  // The validator is not vacuous: the attributes Jenkins rejects are caught.
  const bad = golden.replace('<testcase ', '<testcase file="x.yaml" line="3" ');
  assert.ok(xmlSchemaErrors(bad, JUNIT_XSD).some((e) => e.includes("attribute 'file'")));
  if (!existsSync(REAL_WORLD)) {
    console.warn(`\n!!! SKIPPED: ${REAL_WORLD} is absent; corpus JUnit validation did not run !!!\n`);
    return;
  }
  const xml = reporters.junit!(await corpusReport(), contextFor(builtinRules));
  assert.deepEqual(xmlSchemaErrors(xml, JUNIT_XSD), []);
  console.log(`real-world corpus JUnit: ${(xml.match(/<testcase /g) ?? []).length} test cases valid against junit-10.xsd`);
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

test('policyreport: every document validates against the wgpolicyk8s.io v1alpha2 CRD schema (golden)', async () => {
  const Ajv = createRequire(import.meta.url)('ajv');
  const validate = new (Ajv.default ?? Ajv)({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync('test/schemas/policyreport-v1alpha2.schema.json', 'utf8')));
  const check = (yaml: string) => {
    const docs = parseAllDocuments(yaml).map((d) => d.toJS());
    for (const d of docs) assert.ok(validate(d), JSON.stringify(validate.errors?.slice(0, 3)));
    return docs;
  };
  const golden = check(reporters.policyreport!(await goldenReport(), contextFor(fixtureRules)));
  // Kyverno's summary keys, always all five.
  for (const d of golden) assert.deepEqual(Object.keys(d.summary).sort(), ['error', 'fail', 'pass', 'skip', 'warn']);
  // Not vacuous: an unknown field (pruned by the API server) and a bad result value are caught.
  assert.equal(validate({ ...golden[1], results: [{ ...golden[1].results[0], result: 'failed', extra: 'x' }] }), false);
  // The real-world corpus (with passes) is validated by the next test.
});

test('policyreport: with recorded passes, each rule × resource evaluated without a finding is a pass result, counted as Kyverno does', async () => {
  const pod = (name: string, ns: string, extra: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {owner: team}${extra}}\nspec: {containers: [{name: c, image: x, securityContext: {readOnlyRootFilesystem: ${name === 'ok' ? 'true' : 'false'}}}]}\n`;
  // Names YAML would read as a boolean, a number or null must come back as strings.
  const text = [pod('ok', 'shop', ''), pod('bad', 'shop', ''), pod('"on"', '"null"', ''), pod('"1e3"', '"0x1F"', ''), pod('debug', 'ops', ', annotations: {ignore.rampart.dev/fixture.writable-root: "debug pod"}'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n'].join('---\n');
  const load = loadText(text, 'passes.yaml');
  const report = runEngine(load, { rules: fixtureRules, recordPasses: true });
  const docs = parseAllDocuments(reporters.policyreport!(report, contextFor(fixtureRules))).map((d) => d.toJS());
  const passes = docs.flatMap((d) => d.results.filter((r: { result: string }) => r.result === 'pass'));
  // Independent count: per-resource rules × the resources of their kinds, minus those with a finding.
  let expected = 0;
  const expectedKeys: string[] = [];
  for (const rule of fixtureRules) {
    if (rule.meta.scope === 'global') continue;
    for (const r of load.resources) {
      if (rule.meta.kinds && !rule.meta.kinds.includes(r.kind)) continue;
      // A core Service shares its kind name with Knative's: workload rules do not pass it.
      if (r.kind === 'Service') continue;
      const hit = report.findings.some((f) => f.ruleId === rule.meta.id && f.resource.kind === r.kind && f.resource.name === r.name && f.resource.namespace === r.namespace);
      if (hit) continue;
      expected++;
      expectedKeys.push(`${rule.meta.id} ${r.kind}/${r.namespace ?? ''}/${r.name}`);
    }
  }
  console.log(`golden fixtures: ${passes.length} pass results, ${expected} expected by an independent count`);
  assert.ok(expected > 0, 'the fixtures have passes');
  assert.deepEqual(passes.map((p: { policy: string; resources: { kind: string; namespace?: string; name: string }[] }) => `${p.policy} ${p.resources[0]!.kind}/${p.resources[0]!.namespace ?? ''}/${p.resources[0]!.name}`).sort(), expectedKeys.sort());
  for (const d of docs) {
    assert.equal(d.summary.pass, d.results.filter((r: { result: string }) => r.result === 'pass').length, `${d.metadata.name}: summary.pass counts its pass results`);
    assert.equal(d.summary.pass + d.summary.fail + d.summary.warn + d.summary.error + d.summary.skip, d.results.length);
  }
  // A suppressed finding is a skip, never a pass; a global rule has no per-resource passes.
  assert.ok(!passes.some((p: { policy: string; resources: { name: string }[] }) => p.policy === 'fixture/writable-root' && p.resources[0]!.name === 'debug'));
  assert.ok(!passes.some((p: { policy: string }) => p.policy === 'fixture/namespace-without-netpol'));
  assert.ok(!passes.some((p: { resources: { kind: string }[] }) => p.resources[0]!.kind === 'Service'), 'no workload-rule pass on a core Service');
  assert.equal(report.passes!.count(), passes.length);
  // Not part of the JSON shape.
  assert.ok(!('passes' in JSON.parse(reporters.json!(report, contextFor(fixtureRules)))));
  assert.equal(JSON.stringify(report).includes('"passes"'), false);
});

test('policyreport: written result by result, the YAML reads back as the documents (real-world corpus with passes, schema-valid)', async (t) => {
  if (!existsSync(REAL_WORLD)) {
    console.warn(`\n!!! SKIPPED: ${REAL_WORLD} is absent; corpus PolicyReport passes did not run !!!\n`);
    return t.skip('corpus absent');
  }
  const { policyReportDocuments } = await import('../src/reports/policyreport.js');
  const Ajv = createRequire(import.meta.url)('ajv');
  const validate = new (Ajv.default ?? Ajv)({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync('test/schemas/policyreport-v1alpha2.schema.json', 'utf8')));
  const report = await corpusReport();
  const ctx = contextFor(builtinRules);
  const streamed = [...reporters.policyreport!.chunks!(report, ctx)].join('');
  const docs = parseAllDocuments(streamed).map((d) => d.toJS());
  // Same data as the documents built whole (pass results are written as text, not by the YAML library).
  assert.deepEqual(docs, policyReportDocuments(report, ctx));
  for (const d of docs) assert.ok(validate(d), JSON.stringify(validate.errors?.slice(0, 3)));
  const sum = (k: string) => docs.reduce((n, d) => n + d.summary[k], 0);
  console.log(`real-world corpus PolicyReport with passes: ${docs.length} reports, pass ${sum('pass')}, fail ${sum('fail')}, skip ${sum('skip')}, error ${sum('error')}; all valid against the v1alpha2 CRD schema`);
  assert.equal(sum('pass'), report.passes!.count());
  assert.ok(sum('pass') > sum('fail'), 'most rule × resource pairs pass');
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

test('markdown: a huge scan stays under the PR-comment limit, worst first, grouped by cause, and says what was cut', () => {
  const pods = Array.from({ length: 1500 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {containers: [{name: c, image: x}, {name: d, image: y}]}\n`).join('---\n');
  const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: zzz}\n';
  const r = runEngine(loadText(pods + '---\n' + ns, 'many.yaml'), { rules: fixtureRules });
  const md = reporters.markdown!(r, contextFor(fixtureRules));
  assert.ok(md.length < 65_536, `markdown is ${md.length} characters`);
  const shown = (md.match(/^ *- (🟥|🟧|🟨|🟦|⬜) \w+ `/gmu) ?? []).length;
  const cut = /_Cut to stay under GitHub's 65,536-character comment limit: (\d+) of (\d+) findings \((\d+) of (\d+) groups\)/.exec(md);
  assert.ok(cut, 'the cut line says what was cut');
  assert.equal(shown + Number(cut[1]), r.summary.findings);
  assert.equal(Number(cut[2]), r.summary.findings);
  assert.ok(md.indexOf('fixture/namespace-without-netpol') < md.indexOf('fixture/writable-root'), 'the high finding comes first');
  // One pod template with two unhardened containers is one group: a headline and its findings below.
  assert.match(md, /^- 🟨 \*\*2 findings, one pod template\*\* `\/spec`\n  - 🟨 medium `fixture\/writable-root` /m);
  console.log(`markdown: ${md.length} characters; ${shown} of ${r.summary.findings} findings shown, ${cut[3]} of ${cut[4]} groups cut`);
});

test('markdown: the hard cap holds with thousands of inputs not evaluated, suppressed and skipped', () => {
  const n = 3000;
  const report = runEngine(loadText('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', 'c.yaml'), { rules: fixtureRules });
  const long = 'x'.repeat(200);
  report.errors.push(...Array.from({ length: n }, (_, i) => ({ file: `bad-${i}-${long}.yaml`, line: 1, message: `invalid YAML ${long}` })));
  report.skipped.push(...Array.from({ length: n }, (_, i) => ({ file: `notes-${i}.txt`, reason: `not a Kubernetes object ${long}`, failsClosed: false })));
  report.summary.notEvaluated = report.summary.errors = n;
  report.summary.skipped = n;
  const md = reporters.markdown!(report, contextFor(fixtureRules));
  assert.ok(md.length <= 65_536, `markdown is ${md.length} characters`);
  assert.match(md, /not shown\. The full report/);
  assert.match(md, /\d+ of 3000 not-evaluated inputs/);
  assert.match(md, /3000 of 3000 skipped inputs|\d+ of 3000 skipped inputs/);
  assert.equal((md.match(/<details>/g) ?? []).length, (md.match(/<\/details>/g) ?? []).length, 'every <details> is closed');
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
