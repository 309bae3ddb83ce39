// Agreement with Falco: the 66 tests of Falco's k8s_audit test matrix (51 real events) say which
// rule must fire how many times, or that nothing may fire. Our alerts are mapped to Falco rule
// names (falco-map.ts); each test's list overrides become the equivalent rule options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { corpusOrSkip, configWith, detect } from './support.js';
import { falcoRulesOf } from './falco-map.js';
import { parseEvent, type AuditEvent } from '../../src/analyses/audit/event.js';
import type { JsonValue } from '../../src/model/types.js';
import type { RuleSetting } from '../../src/engine/config.js';

interface FalcoTest {
  detect: boolean;
  detect_counts?: Record<string, number>[];
  rules_file?: string[];
  addl_cmdline_opts?: string;
}

// Falco's stock lists (falcosecurity/plugins k8s_audit_rules.yaml; the 2023 legacy rules had the same defaults).
const FALCO_ALLOWED_USERS = ['minikube', 'minikube-user', 'kubelet', 'kops', 'admin', 'kube', 'kube-proxy', 'kube-apiserver-healthcheck', 'kubernetes-admin', 'cluster-autoscaler', 'system:addon-manager', 'cloud-controller-manager', 'system:kube-controller-manager'];
const FALCO_ALLOWED_NAMESPACES = ['kube-system', 'kube-public', 'default'];

/** Falco's stock configuration plus a test's list overrides, as our rule settings. */
function settingsFor(overrides: string[]): Record<string, RuleSetting> {
  const users = [...FALCO_ALLOWED_USERS];
  const namespaces = [...FALCO_ALLOWED_NAMESPACES];
  const rules: Record<string, RuleSetting> = { 'audit/resource-lifecycle': { enabled: true } };
  for (const o of overrides) {
    if (o === 'allow_user_some-user.yaml') users.push('some-user');
    if (o === 'allow_namespace_foo.yaml') namespaces.push('foo');
    if (o === 'disallow_kactivity.yaml') rules['audit/resource-lifecycle'] = { enabled: false };
    if (o === 'trust_nginx_container.yaml') rules['audit/workload-security'] = { options: { trustedImages: ['nginx'] } };
    if (o === 'allow_nginx_container.yaml') rules['image/registry-allowlist'] = { options: { allowed: ['docker.io/library/nginx'] } };
    if (o === 'allow_only_apache_container.yaml') rules['image/registry-allowlist'] = { options: { allowed: ['docker.io/library/apache'] } };
  }
  rules['audit/user-not-allowed'] = { enabled: true, options: { allowedUsers: users } };
  rules['audit/namespace-not-allowed'] = { enabled: true, options: { allowedNamespaces: namespaces } };
  return rules;
}

function eventsIn(file: string): AuditEvent[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      const e = parseEvent(JSON.parse(l) as JsonValue);
      return typeof e === 'string' ? [] : [e]; // fal_01_003 ({"kind": 0}) is counted invalid, never an event
    });
}

test('Falco k8s_audit test matrix: agreement on every applicable test', (t) => {
  const corpus = corpusOrSkip(t);
  if (!corpus) return;
  const doc = parse(readFileSync(path.join(corpus, 'falco-legacy-tests/falco_k8s_audit_tests.yaml'), 'utf8'), { logLevel: 'silent' }) as { trace_files: Record<string, FalcoTest> };
  const rows: { name: string; agree: boolean; expected: string; ours: string; extra: string }[] = [];
  let notApplicable = 0;
  for (const [name, ft] of Object.entries(doc.trace_files)) {
    const overrides = (ft.rules_file ?? []).filter((f) => f.startsWith('./rules/')).map((f) => path.basename(f));
    if (overrides.includes('single_rule_with_json_pointer.yaml')) {
      notApplicable++; // a test-only rule written to exercise Falco's JSON-pointer syntax, not a detection
      continue;
    }
    const trace = /k8s_audit\/(\S+)\.json/.exec(ft.addl_cmdline_opts ?? '')?.[1];
    assert.ok(trace, `${name}: no trace file`);
    const file = trace === 'fal_01_003' ? path.join(corpus, 'malformed/falco-fal_01_003.jsonl') : path.join(corpus, `events/falco-${trace}.jsonl`);
    const alerts = detect(eventsIn(file), configWith(settingsFor(overrides)));
    const ours = new Map<string, number>();
    const extra: string[] = [];
    for (const a of alerts) {
      const names = falcoRulesOf(a);
      if (names.length === 0) extra.push(a.ruleId);
      for (const n of names) ours.set(n, (ours.get(n) ?? 0) + 1);
    }
    const expected = new Map<string, number>((ft.detect_counts ?? []).flatMap((c) => Object.entries(c)));
    const agree = ft.detect ? [...expected].every(([n, c]) => ours.get(n) === c) : ours.size === 0;
    rows.push({ name, agree, expected: ft.detect ? [...expected].map(([n, c]) => `${n}×${c}`).join(', ') : '(nothing)', ours: [...ours].map(([n, c]) => `${n}×${c}`).join(', ') || '(nothing)', extra: extra.join(', ') });
  }
  const agreed = rows.filter((r) => r.agree).length;
  console.log(`Falco agreement: ${agreed}/${rows.length} applicable tests (${((100 * agreed) / rows.length).toFixed(1)}%); ${notApplicable} not applicable (test-only JSON-pointer rule)`);
  for (const r of rows.filter((x) => !x.agree)) console.log(`  DIFFERS ${r.name}: Falco ${r.expected}; ours ${r.ours}`);
  for (const r of rows.filter((x) => x.extra)) console.log(`  also (no Falco counterpart) ${r.name}: ${r.extra}`);
  assert.equal(rows.length + notApplicable, 66);
  assert.deepEqual(rows.filter((r) => !r.agree).map((r) => r.name), []);
});
