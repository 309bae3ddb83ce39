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
};

/**
 * Without the bootstrap policy (`--no-rbac-defaults`) Rampart cannot tell a default from a copy, so
 * it goes by name as polaris does: `system:*` roles are defaults and their rules are not flagged.
 */
const KNOWN_BY_NAME: Record<string, string> = {
  'polaris/test/checks/clusterrolebindingPodExecAttach/failure.binding_to_system_prefix.yaml':
    'the binding references a ClusterRole named system:test that grants exec; without the bootstrap policy Rampart treats system: roles as Kubernetes defaults and does not flag their rules (rbac/cluster-admin-binding still flags user bindings to system: roles that are "*"). With the policy, system:test is no default and is flagged, as polaris does.',
  'polaris/test/checks/rolebindingClusterRolePodExecAttach/failure.binding_to_system_prefix.yaml': 'system: role by name, as above.',
  'polaris/test/checks/rolebindingRolePodExecAttach/failure.binding_to_system_prefix.yaml': 'system: role by name, as above.',
};

/**
 * With the bootstrap policy (what `rampart scan` loads by default) bootstrap objects are recognised by
 * content, not by the `system:` prefix polaris exempts: a user-written role or binding with a
 * system: name that is not in the policy (or grants more than its default) is the user's, and a
 * "*" on "*" role or a cluster-admin binding is reported whatever it is called.
 */
const KNOWN_BY_CONTENT: Record<string, string> = {
  'polaris/test/checks/clusterrolePodExecAttach/success.system_prefix.yaml':
    'ClusterRole system:test ("*" on "*") is not in the bootstrap policy: it is the user\'s, and cluster-admin equivalent (rbac/wildcard-rules). Polaris exempts it by its prefix.',
  'polaris/test/checks/rolePodExecAttach/success.system_prefix_binding.yaml':
    'Role kube-system/system:controller:glbc ("*" on "*") is no bootstrap Role (glbc is a GCE add-on, not in the policy): flagged as the user\'s.',
  'polaris/test/checks/clusterrolebindingClusterAdmin/success.system_prefix_binding.yaml':
    'ClusterRoleBinding system:test binds a "*" ClusterRole to User testuser; no bootstrap binding has that name and roleRef, so it is the user\'s and rbac/cluster-admin-binding reports it.',
  'polaris/test/checks/rolebindingClusterAdminClusterRole/success.system_prefix_binding.yaml': 'a RoleBinding named system:… that is not in the bootstrap policy, as above.',
  'polaris/test/checks/rolebindingClusterAdminRole/success.system_prefix_binding.yaml': 'a RoleBinding named system:… that is not in the bootstrap policy, as above.',
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
  // A ClusterRole's metadata.namespace is ignored by the API server (one fixture writes one).
  const flaggedRoles = new Set(found.filter((f) => f.resource.kind === spec.refKind).map((f) => `${spec.refKind === 'Role' ? (f.resource.namespace ?? '') : ''}/${f.resource.name}`));
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

// The same fixtures with the bootstrap policy that `rampart scan` loads by default: defaults are then recognised by
// content instead of the system: prefix, which changes the verdict on polaris' system: fixtures (KNOWN_BY_CONTENT).
const DEFAULTS = (await loadRbacDefaults()).resources;
for (const [label, settings, known] of [
  ['without the bootstrap policy', {}, { ...KNOWN, ...KNOWN_BY_NAME }],
  ['with the bootstrap policy', { rbac: { defaultObjects: DEFAULTS } }, { ...KNOWN, ...KNOWN_BY_CONTENT }],
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
      if (!ok && !known[e.file]) console.error(`unexplained disagreement: ${e.tool} ${e.check} ${e.file}: expected ${e.expect} ${e.objects ?? ''}, got ${got}`);
    }
    console.log(`RBAC cross-check (${label}): ${agree}/${cases.length} fixtures agree (${((100 * agree) / cases.length).toFixed(1)}%); ${disagreements.length} kept disagreements, each explained in KNOWN`); for (const d of disagreements.sort()) console.log(`  kept: ${d}`);
    assert.ok(cases.length >= 130, `expected the polaris + kube-linter RBAC fixtures, found ${cases.length}`);
    assert.deepEqual(disagreements.sort(), Object.keys(known).filter((f) => cases.some((c) => c.file === f)).sort(), 'every disagreement must be explained, and every explanation must still be needed');
  });
}
