// What a user sees per project: findings grouped by cause (a workload's pod template, an RBAC rule
// line, one rule on one object). Prints findings per rule and the headline count per project of the
// real-world corpus (issue: the median project's headline count halves with no finding lost).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { groupFindings } from '../src/engine/groups.js';
import { loadInputs } from '../src/input/files.js';
import { runEngine } from '../src/engine/run.js';
import { builtinRules } from '../src/rules/index.js';
import { rbacScanSettings } from '../src/input/rbac-defaults.js';
import { loadText } from '../src/input/files.js';
import type { Finding } from '../src/engine/finding.js';
import type { ResourceRef } from '../src/model/types.js';

const CORPUS = '../shared/corpus/real-world';

test('one workload pod template, one RBAC rule line, one rule on one object: one group each', async () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      hostPID: true
      containers:
      - {name: a, image: nginx}
      - {name: b, image: redis, securityContext: {privileged: true}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: all}
rules:
- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
- {apiGroups: [""], resources: ["secrets", "pods", "pods/exec"], verbs: ["get", "list", "create"]}
`;
  const rbac = await rbacScanSettings(undefined, false, []);
  const report = runEngine(loadText(text, 'w.yaml'), { rules: builtinRules, settings: { rbac: rbac.settings } });
  const groups = groupFindings(report.findings);
  const workload = groups.filter((g) => g.resource.kind === 'Deployment' && g.cause === 'workload');
  assert.equal(workload.length, 1, 'the whole pod template is one group');
  assert.equal(workload[0]!.path, '/spec/template/spec');
  assert.equal(workload[0]!.severity, 'critical');
  assert.ok(workload[0]!.rules.indexOf('pss/privileged') < workload[0]!.rules.indexOf('workload/probes'), 'worst rule first');
  const rbacGroups = groups.filter((g) => g.resource.kind === 'ClusterRole');
  assert.deepEqual(rbacGroups.map((g) => g.path).sort(), ['/rules/0', '/rules/1']);
  const line = rbacGroups.find((g) => g.path === '/rules/1')!;
  assert.ok(line.findings.length >= 3, `one rule line fans out into several findings (${line.rules.join(', ')}), one group`);
  // Nothing is lost: every finding is in exactly one group.
  const all = groups.flatMap((g) => g.findings).sort((a, b) => a - b);
  assert.deepEqual(all, report.findings.map((_, i) => i));
});

test('real-world corpus: findings per rule and the headline count per project', { timeout: 600_000 }, async (t) => {
  if (!existsSync(CORPUS)) {
    t.skip(`SKIPPED: ${CORPUS} is missing; grouping figures NOT printed`);
    return;
  }
  const perRule = new Map<string, number>();
  const rows: [string, number, number][] = [];
  for (const p of readdirSync(CORPUS).filter((d) => statSync(path.join(CORPUS, d)).isDirectory())) {
    const load = await loadInputs([path.join(CORPUS, p)], undefined, false);
    const rbac = await rbacScanSettings(undefined, false, load.resources);
    const active = runEngine(load, { rules: builtinRules, settings: { rbac: rbac.settings } }).findings.filter((f) => !f.suppressed);
    for (const f of active) perRule.set(f.ruleId, (perRule.get(f.ruleId) ?? 0) + 1);
    const groups = groupFindings(active);
    assert.equal(groups.reduce((n, g) => n + g.findings.length, 0), active.length, `${p}: no finding lost`);
    rows.push([p, active.length, groups.length]);
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length / 2;
    return s.length % 2 ? s[Math.floor(m)]! : (s[m - 1]! + s[m]!) / 2;
  };
  console.log('\nfindings per rule on the real-world corpus:');
  for (const [id, n] of [...perRule].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${id}`);
  console.log('\nper project: findings → groups (what a user reads first)');
  for (const [p, f, g] of rows.sort((a, b) => a[1] - b[1])) console.log(`  ${p.padEnd(24)} ${String(f).padStart(5)} → ${String(g).padStart(4)}`);
  const mf = median(rows.map((r) => r[1]));
  const mg = median(rows.map((r) => r[2]));
  console.log(`median project: ${mf} findings → ${mg} groups (${Math.round((100 * mg) / mf)}%)`);
  assert.ok(mg <= mf / 2, 'the median headline count at least halves');
});

/** Each group as text naming its findings by identity (not index), so groupings of reordered findings compare. */
function groupTexts(findings: readonly Finding[], ids: Map<Finding, number>): string[] {
  return groupFindings(findings)
    .map((g) => JSON.stringify({ ...g, resource: undefined, findings: g.findings.map((i) => ids.get(findings[i]!)!).sort((a, b) => a - b) }))
    .sort();
}

test('grouping depends on file, resource reference, place and suppression only: not on order or on which object holds the reference', async (t) => {
  const f = (ruleId: string, resource: ResourceRef, file: string, path: string, extra: Partial<Finding> = {}): Finding => ({
    ruleId,
    severity: 'high',
    title: ruleId,
    message: ruleId,
    resource,
    location: { file, line: 1, column: 1, path },
    remediation: '',
    references: { cis: [], nsa: [], mitre: [] },
    suppressed: false,
    ...extra,
  });
  const web: ResourceRef = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
  const role: ResourceRef = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', name: 'r' };
  const pod: ResourceRef = { apiVersion: 'v1', kind: 'Pod', name: 'p' };
  const hand = [
    f('pss/privileged', web, 'a.yaml', '/spec/template/spec/containers/0/securityContext/privileged', { severity: 'critical' }),
    f('workload/probes', web, 'a.yaml', '/spec/template/spec/containers/0'),
    // The same resource object in another file (a chart's values and its template): its own groups.
    f('pss/privileged', web, 'values.yaml', '/spec/template/spec/containers/0/securityContext/privileged'),
    f('rbac/secrets-read', role, 'a.yaml', '/rules/0/resources/0'),
    f('rbac/wildcard', role, 'a.yaml', '/rules/0/verbs/0', { severity: 'critical' }),
    f('rbac/wildcard', role, 'a.yaml', '/rules/1/verbs/0'),
    f('rbac/wildcard', role, 'a.yaml', '/metadata/name'),
    // Back to the first resource after another one, and suppressed findings at the same place.
    f('workload/resource-limits', web, 'a.yaml', '/spec/template/spec/containers/1', { severity: 'medium' }),
    f('workload/probes', web, 'a.yaml', '/spec/template/spec/containers/1', { suppressed: true }),
    f('workload/image-tag', web, 'a.yaml', '/spec/template/spec/containers/1', { suppressed: true, severity: 'low' }),
    f('pss/hostNamespaces', pod, 'p.yaml', '/spec/hostPID'),
    f('netpol/default-deny-ingress', { apiVersion: 'v1', kind: 'Namespace', name: 'shop' }, 'ns.yaml', ''),
    f('netpol/default-deny-egress', { apiVersion: 'v1', kind: 'Namespace', name: 'shop' }, 'ns.yaml', ''),
  ];
  const sets: [string, Finding[]][] = [['hand-made', hand]];
  if (existsSync(CORPUS)) {
    const load = await loadInputs([path.join(CORPUS, 'argo-cd')], undefined, false);
    const rbac = await rbacScanSettings(undefined, false, load.resources);
    sets.push(['real-world argo-cd', runEngine(load, { rules: builtinRules, settings: { rbac: rbac.settings } }).findings]);
  } else t.diagnostic(`SKIPPED the corpus part: ${CORPUS} is missing`);
  for (const [name, findings] of sets) {
    const ids = new Map(findings.map((x, i) => [x, i]));
    const want = groupTexts(findings, ids);
    // Reversed, interleaved (odd then even), and each finding with its own copy of the reference.
    const reordered = [[...findings].reverse(), [...findings.filter((_, i) => i % 2), ...findings.filter((_, i) => i % 2 === 0)]];
    const copies = findings.map((x) => ({ ...x, resource: { ...x.resource } }));
    for (const [i, x] of copies.entries()) ids.set(x, i);
    for (const variant of [...reordered, copies]) assert.deepEqual(groupTexts(variant, ids), want, name);
    console.log(`${name}: ${findings.length} findings, ${want.length} groups, the same in 3 orders and with copied references`);
  }
  const groups = groupFindings(hand);
  assert.deepEqual(
    groups.map((g) => [g.cause, g.path, g.findings.length, g.suppressed]),
    [
      ['workload', '/spec/template/spec', 3, false],
      ['single', '/spec/template/spec', 1, false],
      ['rbac-rule', '/rules/0', 2, false],
      ['single', '/rules/1', 1, false],
      ['single', '/metadata/name', 1, false],
      ['workload', '/spec/template/spec', 2, true],
      ['single', '/spec', 1, false],
      ['rule', '', 2, false],
    ],
  );
  assert.deepEqual(groups[0]!.rules, ['pss/privileged', 'workload/probes', 'workload/resource-limits'], 'worst rule first');
  assert.deepEqual(groups[5]!.rules, ['workload/probes', 'workload/image-tag']);
});
