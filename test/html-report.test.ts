// The HTML report as markup: self-contained (one inline script, allowed by its CSP hash), escaped
// against hostile names, ordered by severity, grouped by resource and cause, source lines with the
// offending line highlighted and secrets withheld, and pictures where the scan has them.
// Its behaviour in a real browser is test/html-chromium.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { reporters } from '../src/reports/index.js';
import { FILTER_SCRIPT } from '../src/reports/html-script.js';
import { runEngine } from '../src/engine/run.js';
import { loadText } from '../src/input/files.js';
import { builtinRules } from '../src/rules/index.js';
import { sourceReader } from '../src/cli/source-reader.js';
import { severityRank, type Severity } from '../src/model/types.js';
import { contextFor, goldenReport } from './support/report-helpers.js';
import { runCli } from './support/cli.js';
import { fixtureRules } from './support/fixture-rules.js';

/** Elements the report may contain; anything else came from input that escaped its escaping. */
const ALLOWED_TAGS = new Set(
  'html head meta title style body h1 h2 h3 p div span b i code pre ul li section article header figure figcaption svg defs marker path rect text line title form fieldset legend label input select option output details summary table thead tbody tr th td em strong script'.split(' '),
);

function markupProblems(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    if (!ALLOWED_TAGS.has(m[1]!.toLowerCase())) out.push(`unexpected element <${m[1]}>`);
    // Attribute values are always double-quoted with `"` escaped, so what is left outside quotes is markup.
    const attrs = m[2]!.replace(/"[^"]*"/g, '""');
    if (/["']/.test(attrs.replace(/""/g, ''))) out.push(`stray quote in <${m[1]}${m[2]}>`);
    if (/\son\w+\s*=/i.test(attrs)) out.push(`event handler attribute in <${m[1]}${m[2]}>`);
    if (/\b(src|href)\s*=/i.test(attrs)) out.push(`link in <${m[1]}${m[2]}>`);
  }
  return out;
}

function selfContained(html: string): void {
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length <= 1, 'at most the filter script');
  assert.equal((html.match(/<script/gi) ?? []).length, scripts.length, 'no other script element');
  if (scripts.length) {
    assert.equal(scripts[0]![1], FILTER_SCRIPT);
    const hash = createHash('sha256').update(FILTER_SCRIPT).digest('base64');
    assert.ok(html.includes(`script-src 'sha256-${hash}'`), 'CSP allows the script by its hash only');
  }
  assert.match(html, /default-src 'none'/);
  assert.ok(!/@import|url\((?!#arrow\))/i.test(html), 'no CSS imports or external url()');
  assert.deepEqual(markupProblems(html), []);
}

test('html: self-contained, one script allowed by its CSP hash, escaped (golden scan)', async () => {
  const html = reporters.html!(await goldenReport(), contextFor(fixtureRules));
  selfContained(html);
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the Job named <script> is text');
  assert.match(html, /Not evaluated<\/h3>[\s\S]*broken\.yaml:6:1[\s\S]*template\.yaml/);
  assert.match(html, /<p class="warn"><strong>Incomplete:/);
});

test('html: hostile names in every field stay text (XSS)', () => {
  const evil = `"><img src=x onerror=alert(1)><svg onload=alert(2)>'</script><script>alert(3)</script>`;
  const yaml = [
    `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${JSON.stringify(evil)}}`,
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${JSON.stringify(evil)}, namespace: ${JSON.stringify(evil)}, labels: {app: ${JSON.stringify(evil)}}}\nspec: {template: {spec: {containers: [{name: ${JSON.stringify(evil)}, image: ${JSON.stringify(evil)}, securityContext: {privileged: true}}]}}}`,
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ${JSON.stringify(evil)}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: User, name: ${JSON.stringify(evil)}, apiGroup: rbac.authorization.k8s.io}]`,
  ].join('\n---\n');
  const report = runEngine(loadText(yaml, 'evil.yaml'), { rules: builtinRules });
  assert.ok(report.findings.length > 5, `${report.findings.length} findings on hostile objects`);
  const html = reporters.html!(report, { ...contextFor(builtinRules), source: (f) => (f === 'evil.yaml' ? yaml : undefined) });
  selfContained(html);
  assert.ok(!html.includes('<img') && !html.includes('<svg onload') && !html.includes('alert(3)</script>'));
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
});

test('html: resources and causes worst first; each finding once, with its source line highlighted', async () => {
  const report = await goldenReport();
  const html = reporters.html!(report, { ...contextFor(fixtureRules), source: sourceReader() });
  const blockSeverities = [...html.matchAll(/<article class="resource"><header><span class="sev (\w+)">/g)].map((m) => m[1] as Severity);
  assert.ok(blockSeverities.length > 1);
  for (let i = 1; i < blockSeverities.length; i++) assert.ok(severityRank(blockSeverities[i - 1]!) >= severityRank(blockSeverities[i]!), `resource blocks ordered by severity: ${blockSeverities.join(', ')}`);
  const items = [...html.matchAll(/<li class="f" data-sev="(\w+)" data-rule="([^"]+)"/g)];
  assert.equal(items.length, report.summary.findings, 'every open finding is listed once');
  // The highlighted line is the finding's line of the file, with its number.
  const app = report.findings.find((f) => f.message.includes('"app"'))!;
  const line = readFileSync(app.location.file, 'utf8').split('\n')[app.location.line - 1]!;
  assert.ok(html.includes(`<span class="hit"><i>${app.location.line}</i>${line.replace(/"/g, '&quot;')}</span>`), 'offending line highlighted');
  // A workload's findings share one cause heading.
  assert.match(html, /<p><b>\d+ findings, one pod template<\/b>/);
});

test('html: snippets never show secret values (Secret objects, lines a secrets rule flagged, credential keys)', () => {
  const token = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
  const pw = 'Sup3r-S3cret-Passw0rd!';
  const yaml = [
    `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: a}\nstringData:\n  other: "${pw}"\n  token: "${token}"`,
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: a}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        env:\n        - {name: GH, value: "${token}"}\n        - {name: DB_PASSWORD, value: "${pw}"}`,
  ].join('\n---\n');
  const report = runEngine(loadText(yaml, 's.yaml'), { rules: builtinRules });
  assert.ok(report.findings.some((f) => f.ruleId.startsWith('secrets/')), 'a secrets rule fired');
  const html = reporters.html!(report, { ...contextFor(builtinRules), source: () => yaml });
  assert.ok(html.includes('<pre class="snippet">'), 'snippets are shown');
  assert.ok(!html.includes(token) && !html.includes(pw), 'no secret value in the page');
});

test('html: RBAC escalation chains, attack paths and the NetworkPolicy grid are drawn when the scan has them', () => {
  const yaml = [
    'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ci, namespace: tools}',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: mint, namespace: kube-system}\nrules: [{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}]',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: mint, namespace: kube-system}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: mint}\nsubjects: [{kind: ServiceAccount, name: ci, namespace: tools}]',
    'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: admin, namespace: kube-system}',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: admin}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: ServiceAccount, name: admin, namespace: kube-system}]',
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: tools}',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w, namespace: tools}\nspec: {template: {spec: {containers: [{name: c, image: nginx}]}}}',
  ].join('\n---\n');
  const report = runEngine(loadText(yaml, 'rbac.yaml'), { rules: builtinRules });
  const html = reporters.html!(report, contextFor(builtinRules));
  const rbac = report.findings.filter((f) => f.ruleId === 'rbac/escalation-path');
  console.log(`pictures fixture: ${rbac.length} escalation paths, ${report.findings.filter((f) => f.ruleId.startsWith('netpol/')).length} netpol findings`);
  assert.ok(rbac.length > 0, 'the fixture has an escalation path');
  assert.match(html, /<section id="rbac"><h2>RBAC escalation paths<\/h2>[\s\S]*?<svg role="img"[\s\S]*?system:serviceaccount:tools:ci|ServiceAccount[\s\S]*?cluster-admin/);
  assert.ok(html.includes('<section id="netpol"><h2>NetworkPolicy</h2>\n<figure class="matrix">'), 'NetworkPolicy grid drawn');
  selfContained(html);
});

test('html: for a rendered chart, the snippet is the template line the finding maps to (CLI, real chart)', (t) => {
  const chart = '../shared/corpus/charts/reloader';
  if (!existsSync(chart)) {
    console.warn(`\n!!! SKIPPED: ${chart} is absent; rendered snippets were not checked !!!\n`);
    return t.skip('corpus absent');
  }
  const r = runCli(['scan', chart, '-o', 'html', '--no-config', '--fail-on', 'never']);
  if (r.status === 2 && /helm/i.test(r.stdout + r.stderr) && !r.stdout.includes('<li class="f"')) {
    console.warn('\n!!! SKIPPED: the chart could not be rendered here (no helm); rendered snippets were not checked !!!\n');
    return t.skip('no helm');
  }
  const items = [...r.stdout.matchAll(/<code>([^<]+):(\d+):\d+<\/code>[\s\S]*?<span class="hit"><i>(\d+)<\/i>([^<]*)<\/span>/g)];
  assert.ok(items.length > 5, `${items.length} findings with snippets`);
  let templates = 0;
  for (const [, file, line, hitLine, text] of items) {
    assert.equal(hitLine, line, 'the highlighted line is the finding line');
    const src = readFileSync(file!, 'utf8').split('\n')[Number(line) - 1]!;
    assert.equal(text, src.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'), `${file}:${line}`);
    if (file!.includes('/templates/')) templates++;
  }
  console.log(`rendered chart: ${items.length} snippets, ${templates} on template lines, all equal to the source line`);
  assert.ok(templates > 0, 'findings map to template lines');
});
