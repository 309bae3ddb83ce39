import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinRules } from '../rules/index.js';
import { ENGINE_RULE_METAS } from '../engine/run.js';
import { emptyConfig, parseConfig } from '../engine/config.js';
import { buildCatalog, compareControlIds, filterEntries, FRAMEWORKS, frameworkView, renderListMarkdown, renderListText, renderShowText, suggest } from './rules-catalog.js';

const catalog = buildCatalog(builtinRules, ENGINE_RULE_METAS, emptyConfig());

test('rules catalog: every built-in rule is listed once, with complete metadata and real-looking references', () => {
  assert.equal(catalog.filter((e) => e.source === 'rule').length, builtinRules.length);
  assert.equal(new Set(catalog.map((e) => e.id)).size, catalog.length);
  for (const e of catalog) {
    assert.match(e.id, /^[a-z0-9-]+\/[A-Za-z0-9_.-]+$/);
    assert.ok(e.title && e.rationale && e.remediation, `${e.id}: title, rationale and remediation`);
    for (const c of e.references.cis) assert.match(c, /^\d+(\.\d+)+$/, `${e.id}: CIS id ${c}`);
    for (const t of e.references.mitre) assert.match(t, /^T\d{4}(\.\d{3})?$/, `${e.id}: ATT&CK id ${t}`);
  }
});

test('rules catalog: the first rule set is registered with its families', () => {
  const ids = new Set(catalog.map((e) => e.id));
  for (const id of [
    'workload/read-only-root-fs', 'workload/resource-limits', 'workload/resource-requests', 'workload/automount-sa-token',
    'workload/default-service-account', 'workload/default-namespace', 'workload/runtime-socket-mount', 'workload/drop-net-raw',
    'workload/root-uid', 'workload/probes', 'image/latest-tag', 'image/digest', 'image/registry-allowlist', 'secrets/env-literal',
  ]) assert.ok(ids.has(id), `${id} is registered`);
});

test('rules catalog: config decides on/off and severity; fixable comes from metadata', () => {
  const cfg = parseConfig('rules:\n  workload/probes: off\n  image/digest: high\n', '.rampart.yaml');
  const c = buildCatalog(builtinRules, ENGINE_RULE_METAS, cfg);
  const probes = c.find((e) => e.id === 'workload/probes')!;
  const digest = c.find((e) => e.id === 'image/digest')!;
  assert.equal(probes.enabled, false);
  assert.deepEqual([digest.severity, digest.defaultSeverity], ['high', 'low']);
  assert.equal(c.find((e) => e.id === 'workload/drop-net-raw')!.fixable, true);
  assert.equal(c.find((e) => e.id === 'workload/default-namespace')!.fixable, false);
});

test('rules catalog: --framework and --family filters', () => {
  const cis = filterEntries(catalog, { framework: 'cis', family: 'workload' });
  assert.ok(cis.length > 0 && cis.every((e) => e.family === 'workload' && e.references.cis.length > 0));
  assert.ok(!cis.some((e) => e.id === 'workload/probes'), 'probes maps to no CIS item');
  const view = frameworkView('cis', cis);
  const c516 = view.controls.find((c) => c.id === '5.1.6');
  assert.deepEqual(c516?.rules, ['workload/automount-sa-token']);
  assert.deepEqual(view.controls.map((c) => c.id), [...view.controls.map((c) => c.id)].sort(compareControlIds));
  const mitre = filterEntries(catalog, { framework: 'mitre', family: 'secrets' });
  assert.deepEqual(mitre.map((e) => e.id), ['secrets/committed-secret', 'secrets/credential-value', 'secrets/env-from-secret', 'secrets/env-literal'], 'secrets/secret-type maps to no ATT&CK technique');
  for (const name of Object.keys(FRAMEWORKS)) assert.doesNotThrow(() => frameworkView(name, catalog));
});

test('rules catalog: numeric control order (5.1.10 after 5.1.9, 5.2.1 after 5.1.10)', () => {
  assert.deepEqual(['5.2.1', '5.1.10', '5.1.9', '1.2.3'].sort(compareControlIds), ['1.2.3', '5.1.9', '5.1.10', '5.2.1']);
});

test('rules catalog: text, markdown and show renderings carry the facts', () => {
  const wl = filterEntries(catalog, { family: 'workload' });
  const text = renderListText(wl);
  assert.match(text, /^RULE\s+SEVERITY\s+STATUS\s+FIX\s+TITLE\s+REFERENCES$/m);
  assert.match(text, /^workload\/drop-net-raw\s+medium\s+on\s+may-break\s+NET_RAW capability not dropped\s+CIS 5\.2\.8/m);
  const md = renderListMarkdown(wl);
  assert.match(md, /^\| `workload\/automount-sa-token` \| medium \| on \|  \| ServiceAccount token mounted automatically \| 5\.1\.6 \|/m);
  const show = renderShowText(catalog.find((e) => e.id === 'image/registry-allowlist')!);
  for (const s of ['Why it matters:', 'Remediation:', 'CIS       5.5.1', 'https://attack.mitre.org/techniques/T1204/003/', '"allowed"', 'ignore.rampart.dev/image.registry-allowlist', 'no automatic fix'])
    assert.ok(show.includes(s), `show output includes ${s}`);
});

test('rules catalog: suggestions for typos', () => {
  assert.ok(suggest('probes', catalog).includes('workload/probes'));
  assert.ok(suggest('workload/drop-netraw', catalog).includes('workload/drop-net-raw'));
  assert.deepEqual(suggest('zzzzzzzzzzzz', catalog), []);
});

test('rules catalog: a rule with required options is "unset" until they are configured', () => {
  const allow = catalog.find((e) => e.id === 'image/registry-allowlist')!;
  assert.deepEqual(allow.missingOptions, ['allowed']);
  assert.match(renderListText([allow]), /^image\/registry-allowlist\s+high\s+unset\s/m);
  assert.match(renderShowText(allow), /checks nothing until option allowed is set/);
  const cfg = parseConfig('rules:\n  image/registry-allowlist:\n    options: {allowed: [registry.k8s.io]}\n', '.rampart.yaml');
  const configured = buildCatalog(builtinRules, ENGINE_RULE_METAS, cfg).find((e) => e.id === 'image/registry-allowlist')!;
  assert.deepEqual(configured.missingOptions, []);
  assert.match(renderListText([configured]), /^image\/registry-allowlist\s+high\s+on\s/m);
});
