#!/usr/bin/env node
// The cost of the bootstrap RBAC policy in `rampart scan`: loading it, and running the rbac rules over
// a generated manifest set (N namespaces, each with a Role, a RoleBinding to a user-written role,
// RoleBindings to the built-in edit/view, a ServiceAccount and a Deployment) with and without it.
// Runs against dist/ (run `npm run build` first).
//
//   node bench/rbac-scan.mjs [--namespaces N] [--rounds N]
import { existsSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const NAMESPACES = opt('namespaces', 200);
const ROUNDS = opt('rounds', 3);

if (!existsSync('dist/input/rbac-defaults.js')) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const t0 = performance.now();
const { loadRbacDefaults } = await import('../dist/input/rbac-defaults.js');
const defaults = await loadRbacDefaults();
const loadMs = performance.now() - t0;
const { loadText } = await import('../dist/input/files.js');
const { runEngine } = await import('../dist/engine/run.js');
const { rbacRules } = await import('../dist/rules/rbac/index.js');

const docs = [];
for (let i = 0; i < NAMESPACES; i++) {
  const ns = `team-${i}`;
  docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {pod-security.kubernetes.io/enforce: ${i % 2 ? 'baseline' : 'privileged'}}}`);
  docs.push(`apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app, namespace: ${ns}}`);
  docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: ${ns}}\nspec: {template: {spec: {serviceAccountName: app, containers: [{name: c, image: x}]}}}`);
  docs.push(`apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: app, namespace: ${ns}}\nrules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list]}]`);
  docs.push(`apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: app, namespace: ${ns}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app}\nsubjects: [{kind: ServiceAccount, name: app}]`);
  docs.push(`apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: devs-edit, namespace: ${ns}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\nsubjects: [{kind: Group, name: team-${i}-devs}]`);
  docs.push(`apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: all-view, namespace: ${ns}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects: [{kind: Group, name: readers}]`);
}
const load = loadText(docs.join('\n---\n'), 'bench.yaml');

function run(settings) {
  let best = Infinity;
  let findings = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    const report = runEngine(load, { rules: rbacRules, settings });
    best = Math.min(best, performance.now() - t);
    findings = report.findings.length;
  }
  return { best, findings };
}
const off = run({ rbac: { defaults: false } });
const on = run({ rbac: { defaults: true, defaultObjects: defaults.resources } });
console.log(`bootstrap policy: ${defaults.resources.length} objects loaded in ${loadMs.toFixed(0)} ms (cold, incl. module load)`);
console.log(`input: ${load.resources.length} resources in ${NAMESPACES} namespaces; ${rbacRules.length} rbac rules, best of ${ROUNDS}`);
console.log(`rbac rules without defaults: ${off.best.toFixed(0)} ms, ${off.findings} findings`);
console.log(`rbac rules with defaults:    ${on.best.toFixed(0)} ms, ${on.findings} findings`);
