// Cross-check against other scanners' RBAC fixtures (../shared/corpus/checks: polaris and kube-linter).
// Prints the agreement and asserts it; every kept disagreement is listed with its reason below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadText } from '../../input/files.js';
import { runEngine } from '../../engine/run.js';
import { rbacRules } from './index.js';
import type { Finding } from '../../engine/finding.js';
import type { Resource } from '../../model/types.js';
import { bindingOf } from '../../analyses/rbac/grants.js';
import { loadRbacDefaults } from '../../input/rbac-defaults.js';

const CORPUS = path.join('..', 'shared', 'corpus', 'checks');

interface IndexEntry {
  tool: string;
  check: string;
  file: string;
  expect: 'pass' | 'fail' | 'findings';
  objects?: string[];
}

/** Polaris checks and the Rampart rules whose findings mean the same thing. */
const POLARIS: Record<string, { roleKinds?: string[]; bindingKind?: string; refKind?: string; rules: string[] }> = {
  clusterrolePodExecAttach: { roleKinds: ['ClusterRole'], rules: ['rbac/pod-exec', 'rbac/wildcard-rules!'] },
  rolePodExecAttach: { roleKinds: ['Role'], rules: ['rbac/pod-exec', 'rbac/wildcard-rules!'] },
  clusterrolebindingClusterAdmin: { bindingKind: 'ClusterRoleBinding', refKind: 'ClusterRole', rules: ['rbac/cluster-admin-binding'] },
  rolebindingClusterAdminClusterRole: { bindingKind: 'RoleBinding', refKind: 'ClusterRole', rules: ['rbac/cluster-admin-binding'] },
  rolebindingClusterAdminRole: { bindingKind: 'RoleBinding', refKind: 'Role', rules: ['rbac/cluster-admin-binding'] },
  // Binding-level exec checks: the binding fires when the role it references is flagged.
  clusterrolebindingPodExecAttach: { bindingKind: 'ClusterRoleBinding', refKind: 'ClusterRole', rules: ['rbac/pod-exec', 'rbac/wildcard-rules!'] },
  rolebindingClusterRolePodExecAttach: { bindingKind: 'RoleBinding', refKind: 'ClusterRole', rules: ['rbac/pod-exec', 'rbac/wildcard-rules!'] },
  rolebindingRolePodExecAttach: { bindingKind: 'RoleBinding', refKind: 'Role', rules: ['rbac/pod-exec', 'rbac/wildcard-rules!'] },
};

/** kube-linter checks report bindings (or roles) by Kind/name. */
const KUBE_LINTER: Record<string, { rules: string[]; reports: 'binding' | 'role' }> = {
  'access-to-secrets': { rules: ['rbac/secrets-read'], reports: 'binding' },
  'access-to-create-pods': { rules: ['rbac/create-pods'], reports: 'binding' },
  'cluster-admin-role-binding': { rules: ['rbac/cluster-admin-binding'], reports: 'binding' },
  'wildcard-in-rules': { rules: ['rbac/wildcard-rules'], reports: 'role' },
};

/**
 * Kept disagreements (file → reason). Rampart's verdict differs from the other tool's on purpose.
 */
const KNOWN: Record<string, string> = {
  'polaris/test/checks/clusterrolePodExecAttach/success.gce_calico_clusterrole.yaml':
    'polaris exempts the GKE-managed name gce:podsecuritypolicy:calico-sa; Rampart does not hard-code vendor names: a user-written "*" ClusterRole is cluster-admin equivalent whatever its name.',
  'polaris/test/checks/clusterrolebindingPodExecAttach/success.gce_calico_binding.yaml':
    'same GKE name exemption as above, on the binding.',
  'polaris/test/checks/rolebindingClusterRolePodExecAttach/success.gce_calico_binding.yaml': 'same GKE name exemption as above, on the binding.',
  'polaris/test/checks/rolebindingRolePodExecAttach/success.gce_calico_binding.yaml': 'same GKE name exemption as above, on the binding.',
  'polaris/test/checks/rolePodExecAttach/success.gce_calico_binding.yaml': 'same GKE name exemption as above (the Role is named gce:podsecuritypolicy:calico-sa).',
  'polaris/test/checks/clusterrolebindingClusterAdmin/success.gce_calico_binding.yaml': 'same GKE name exemption as above.',
  'polaris/test/checks/rolebindingClusterAdminClusterRole/success.gce_calico_binding.yaml': 'same GKE name exemption as above.',
  'polaris/test/checks/rolebindingClusterAdminRole/success.gce_calico_binding.yaml': 'same GKE name exemption as above.',
  'polaris/test/checks/clusterrolebindingPodExecAttach/failure.binding_points_to_missing_ref.yaml':
    'polaris fails a binding whose ClusterRole is not in the input. In a scan, roles outside the files are normal (admin, edit, view and operator roles live in the cluster); `rampart rbac` reports such bindings as not evaluated (exit 2) instead.',
  'polaris/test/checks/rolebindingClusterRolePodExecAttach/failure.binding_points_to_missing_ref.yaml': 'missing role reference, as above.',
  'polaris/test/checks/rolebindingRolePodExecAttach/failure.binding_points_to_missing_ref.yaml': 'missing role reference, as above.',
  'polaris/test/checks/clusterrolebindingPodExecAttach/failure.binding_to_system_prefix.yaml':
    'the binding references a ClusterRole named system:test that grants exec; Rampart treats system: roles as Kubernetes defaults and does not flag their rules (rbac/cluster-admin-binding still flags user bindings to system: roles that are "*").',
  'polaris/test/checks/rolebindingClusterRolePodExecAttach/failure.binding_to_system_prefix.yaml': 'system: role, as above.',
  'polaris/test/checks/rolebindingRolePodExecAttach/failure.binding_to_system_prefix.yaml': 'system: role, as above.',
};

function load(file: string): Resource[] {
  const l = loadText(readFileSync(path.join(CORPUS, file), 'utf8'), file);
  return l.resources;
}

function findingsFor(resources: Resource[], ruleIds: string[], settings: Record<string, unknown>): Finding[] {
  const plain = ruleIds.map((r) => r.replace(/!$/, ''));
  const rules = rbacRules.filter((r) => plain.includes(r.meta.id));
  const report = runEngine({ resources, errors: [], skipped: [] }, { rules, settings });
  // `id!` = only the "every verb on every resource" findings of that rule (they stand for every narrower grant).
  return report.findings.filter((f) => ruleIds.includes(f.ruleId) || (ruleIds.includes(f.ruleId + '!') && f.message.includes('every verb on every resource')));
}

function polarisVerdict(check: string, resources: Resource[], settings: Record<string, unknown>): 'pass' | 'fail' {
  const spec = POLARIS[check]!;
  const found = findingsFor(resources, spec.rules, settings);
  if (spec.roleKinds) return found.some((f) => spec.roleKinds!.includes(f.resource.kind)) ? 'fail' : 'pass';
  // Binding checks: a flagged binding of the kind, or a binding of the kind whose role is flagged.
  const flaggedRoles = new Set(found.filter((f) => f.resource.kind === spec.refKind).map((f) => `${f.resource.namespace ?? ''}/${f.resource.name}`));
  for (const r of resources) {
    if (r.kind !== spec.bindingKind) continue;
    const b = bindingOf(r);
    if (!b || b.roleRef.kind !== spec.refKind) continue;
    if (found.some((f) => f.resource.kind === r.kind && f.resource.name === r.name)) return 'fail';
    const ns = spec.refKind === 'Role' ? (r.namespace ?? '') : '';
    if (flaggedRoles.has(`${ns}/${b.roleRef.name}`) && !r.name.startsWith('system:')) return 'fail';
  }
  return 'pass';
}

function kubeLinterObjects(check: string, resources: Resource[], settings: Record<string, unknown>): string[] {
  const spec = KUBE_LINTER[check]!;
  const found = findingsFor(resources, spec.rules, settings);
  if (spec.reports === 'role' || check === 'cluster-admin-role-binding') return [...new Set(found.map((f) => `${f.resource.kind}/${f.resource.name}`))];
  const out = new Set<string>();
  for (const r of resources) {
    const b = bindingOf(r);
    if (!b) continue;
    const ns = b.roleRef.kind === 'Role' ? (r.namespace ?? '') : undefined;
    if (found.some((f) => f.resource.kind === b.roleRef.kind && f.resource.name === b.roleRef.name && (ns === undefined || (f.resource.namespace ?? '') === ns))) out.add(`${r.kind}/${r.name}`);
  }
  return [...out];
}

// The same verdicts with the bootstrap policy that `rampart scan` loads by default: no fixture binds a default role
// whose grants would change the answer, so the kept disagreements are the same.
const DEFAULTS = (await loadRbacDefaults()).resources;
for (const [label, settings] of [
  ['without the bootstrap policy', {}],
  ['with the bootstrap policy', { rbac: { defaultObjects: DEFAULTS } }],
] as const) {
  test(`cross-check: polaris and kube-linter RBAC fixtures, ${label}`, (t) => {
    if (!existsSync(CORPUS)) {
      console.error(`!!! SKIPPING RBAC cross-check: ${CORPUS} not found (run from the repo root next to ../shared)`);
      t.skip('corpus absent');
      return;
    }
    const index = JSON.parse(readFileSync(path.join(CORPUS, 'index.json'), 'utf8')) as IndexEntry[];
    const cases = index.filter((e) => (e.tool === 'polaris' && e.check in POLARIS) || (e.tool === 'kube-linter' && e.check in KUBE_LINTER));
    let agree = 0;
    const disagreements: string[] = [];
    for (const e of cases) {
      const resources = load(e.file);
      let ok: boolean;
      let got: string;
      if (e.tool === 'polaris') {
        got = polarisVerdict(e.check, resources, settings);
        ok = got === e.expect;
      } else {
        const objs = kubeLinterObjects(e.check, resources, settings).sort();
        got = objs.join(',') || '(none)';
        ok = JSON.stringify(objs) === JSON.stringify([...(e.objects ?? [])].sort());
      }
      if (ok) agree++;
      else disagreements.push(e.file);
      if (!ok && !KNOWN[e.file]) console.error(`unexplained disagreement: ${e.tool} ${e.check} ${e.file}: expected ${e.expect} ${e.objects ?? ''}, got ${got}`);
    }
    console.log(`RBAC cross-check (${label}): ${agree}/${cases.length} fixtures agree (${((100 * agree) / cases.length).toFixed(1)}%); ${disagreements.length} kept disagreements, each explained in KNOWN`);
    assert.ok(cases.length >= 130, `expected the polaris + kube-linter RBAC fixtures, found ${cases.length}`);
    assert.deepEqual(disagreements.sort(), Object.keys(KNOWN).filter((f) => cases.some((c) => c.file === f)).sort(), 'every disagreement must be explained, and every explanation must still be needed');
  });
}
