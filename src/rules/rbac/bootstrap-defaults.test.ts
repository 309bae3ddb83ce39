// The rbac rules with the bootstrap policy in settings.rbac.defaultObjects (what `rampart scan` passes
// unless --no-rbac-defaults): bindings to admin/edit/view/system:* are judged by what those roles grant,
// findings land on the user's objects only, and with the defaults off the same input is quiet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleTable, scanYaml } from '../testing/harness.js';
import { loadRbacDefaults } from '../../input/rbac-defaults.js';
import { loadText } from '../../input/files.js';
import { runEngine } from '../../engine/run.js';
import { rbacRules } from './index.js';
import secretsRead from './secrets-read.js';
import createPods from './create-pods.js';
import podExec from './pod-exec.js';
import nodesProxy from './nodes-proxy.js';
import escalateBindImpersonate from './escalate-bind-impersonate.js';
import escalationPath from './escalation-path.js';

const defaults = await loadRbacDefaults();
const ON = { rbac: { defaults: true, defaultObjects: defaults.resources } };
const OFF_BY_CONFIG = { rbac: { defaults: false, defaultObjects: defaults.resources } };

const binding = (role: string, kind = 'RoleBinding', subject = '- kind: ServiceAccount\n  name: ci\n  namespace: apps\n') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: ci-${role.replace(/:/g, '-')}
  namespace: apps
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: "${role}"
subjects:
${subject}`;
const EDIT = binding('edit');
const ROLE_REF = { path: '/roleRef/name', line: 9, column: 3, resource: 'RoleBinding/ci-edit' };

test('the bootstrap policy loads without errors and holds admin, edit, view and the system: roles', () => {
  assert.deepEqual(defaults.errors, []);
  const names = new Set(defaults.resources.filter((r) => r.kind === 'ClusterRole').map((r) => r.name));
  for (const n of ['cluster-admin', 'admin', 'edit', 'view', 'system:node', 'system:controller:clusterrole-aggregation-controller']) assert.ok(names.has(n), n);
});

ruleTable(secretsRead, {
  valid: [
    { name: 'edit without the defaults: what it grants is unknown', yaml: EDIT },
    { name: 'rbac.defaults: false wins over passed objects', yaml: EDIT, settings: OFF_BY_CONFIG },
    { name: 'view reads no Secrets', yaml: binding('view'), settings: ON },
    {
      name: 'a copy of a bootstrap role (system:node: get/list/watch on secrets) is the default, recognised by its rules',
      yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: "system:node"}\nrules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]\n',
      settings: ON,
    },
    {
      name: 'a default binding of the bootstrap policy, copied, is the default (same name, same roleRef)',
      yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: "system:controller:generic-garbage-collector"}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:controller:generic-garbage-collector"}\nsubjects: [{kind: ServiceAccount, name: generic-garbage-collector, namespace: kube-system}]\n',
      settings: ON,
    },
    {
      name: 'a role in the input with the same name is judged on the role itself, not through the binding',
      yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: edit, namespace: apps}\nrules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]\n---\n' + EDIT.replace('kind: ClusterRole', 'kind: Role'),
      settings: ON,
    },
  ],
  invalid: [
    { name: 'edit bound to a service account reads Secrets (aggregated rule named)', yaml: EDIT, settings: ON, findings: [{ ...ROLE_REF, severity: 'high', message: 'grants the Kubernetes default ClusterRole edit in namespace apps to ServiceAccount apps/ci; it grants get on secrets (rule 0 of system:aggregate-to-edit)' }] },
    {
      // Bootstrap objects are recognised by content (the bootstrap policy), not by the system: prefix.
      name: 'a binding named system:ci is no bootstrap binding: it is the user\'s',
      yaml: binding('edit').replace('name: ci-edit', 'name: "system:ci"'),
      settings: ON,
      findings: [{ path: '/roleRef/name', line: 9, resource: 'RoleBinding/system:ci', message: 'RoleBinding system:ci grants the Kubernetes default ClusterRole edit' }],
    },
    {
      name: 'a custom system:viewer (no such default) that reads Secrets is the user\'s role',
      yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: "system:viewer"}\nrules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]\n',
      settings: ON,
      findings: [{ path: '/rules/0/resources/0', message: 'ClusterRole system:viewer rule 0 grants get on secrets' }],
    },
    {
      name: 'a system:node that grants more than the default system:node is the user\'s',
      yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: "system:node"}\nrules: [{apiGroups: [""], resources: [secrets], verbs: [get]}, {apiGroups: ["*"], resources: [secrets], verbs: [list]}]\n',
      settings: ON,
      findings: [
        { path: '/rules/0/resources/0', message: 'ClusterRole system:node rule 0 grants get on secrets' },
        { path: '/rules/1/resources/0', message: 'ClusterRole system:node rule 1 grants list on secrets' },
      ],
    },
    { name: 'admin through a ClusterRoleBinding holds cluster-wide', yaml: binding('admin', 'ClusterRoleBinding'), settings: ON, findings: [{ path: '/roleRef/name', line: 9, message: 'ClusterRole admin cluster-wide' }] },
  ],
});

ruleTable(createPods, {
  valid: [{ name: 'defaults off', yaml: EDIT }, { name: 'view creates nothing', yaml: binding('view'), settings: ON }],
  invalid: [{ name: 'edit creates pods and controllers', yaml: EDIT, settings: ON, findings: [{ ...ROLE_REF, severity: 'medium', message: /create on pods \(rule \d+ of system:aggregate-to-edit\).*create on deployments/ }] }],
});

ruleTable(podExec, {
  valid: [{ name: 'defaults off', yaml: EDIT }, { name: 'view cannot exec', yaml: binding('view'), settings: ON }],
  invalid: [{ name: 'edit may exec into pods', yaml: EDIT, settings: ON, findings: [{ ...ROLE_REF, severity: 'high', message: 'on pods/exec' }] }],
});

ruleTable(escalateBindImpersonate, {
  valid: [{ name: 'defaults off', yaml: EDIT }],
  invalid: [{ name: 'edit impersonates the service accounts of its namespace', yaml: EDIT, settings: ON, findings: [{ ...ROLE_REF, message: 'impersonate on serviceaccounts' }] }],
});

ruleTable(nodesProxy, {
  valid: [
    // system:kubelet-api-admin holds nodes/proxy, a cluster-scoped resource: a RoleBinding cannot grant it.
    { name: 'a RoleBinding cannot grant the cluster-scoped nodes/proxy', yaml: binding('system:kubelet-api-admin'), settings: ON },
    { name: 'defaults off', yaml: binding('system:kubelet-api-admin', 'ClusterRoleBinding') },
  ],
  invalid: [
    { name: 'system:kubelet-api-admin through a ClusterRoleBinding', yaml: binding('system:kubelet-api-admin', 'ClusterRoleBinding'), settings: ON, findings: [{ path: '/roleRef/name', line: 9, column: 3, severity: 'critical', message: 'default ClusterRole system:kubelet-api-admin cluster-wide' }] },
  ],
});

// alice may edit in "ops", where a Deployment runs as a cluster-admin service account; Pod Security
// "restricted" closes the privileged-pod route, so the only path goes through edit's pod creation.
const THROUGH_EDIT = `apiVersion: v1
kind: Namespace
metadata: {name: ops, labels: {pod-security.kubernetes.io/enforce: restricted}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: alice-edits-ops, namespace: ops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
- {kind: User, name: alice}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: tool, namespace: ops}
spec:
  template:
    spec:
      serviceAccountName: boss
      containers: [{name: c, image: x}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: boss-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: boss, namespace: ops}]
`;
// A user who may create pods in kube-system runs them as the bootstrap controllers' service accounts.
const KUBE_SYSTEM_PODS = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pods, namespace: kube-system}
rules: [{apiGroups: [""], resources: [pods], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: bob-pods, namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pods}
subjects:
- {kind: User, name: bob}
---
apiVersion: v1
kind: Namespace
metadata: {name: kube-system, labels: {pod-security.kubernetes.io/enforce: baseline}}
`;

ruleTable(escalationPath, {
  valid: [
    { name: 'without the defaults edit grants nothing here', yaml: THROUGH_EDIT },
    { name: 'turned off by config', yaml: THROUGH_EDIT, settings: OFF_BY_CONFIG },
    { name: 'without the defaults kube-system has no powerful service accounts', yaml: KUBE_SYSTEM_PODS },
  ],
  invalid: [
    {
      // edit holds several ways to act as boss (pod creation, serviceaccounts/token, impersonation); all cost one step.
      name: 'edit in ops -> act as ops/boss -> cluster-admin',
      yaml: THROUGH_EDIT,
      settings: ON,
      findings: [{ resource: 'RoleBinding/alice-edits-ops', path: '/subjects/0', line: 10, column: 3, message: /^User alice reaches cluster-admin in 2 steps: 1\) [^;]* in namespace ops [^;]*service account ops\/boss; 2\) holds \* on \*/ }],
    },
    {
      name: 'pod creation in kube-system reaches a bootstrap controller service account',
      yaml: KUBE_SYSTEM_PODS,
      settings: ON,
      findings: [{ resource: 'RoleBinding/bob-pods', path: '/subjects/0', line: 11, message: /^User bob reaches cluster-admin in \d steps: 1\) create pods in namespace kube-system to run a pod as service account kube-system\// }],
    },
  ],
});

test('no finding is ever reported on a bootstrap object, and they are not counted as scanned resources', () => {
  const load = loadText(THROUGH_EDIT + '---\n' + KUBE_SYSTEM_PODS + '---\n' + EDIT, 'test.yaml');
  const report = runEngine(load, { rules: rbacRules, settings: ON });
  assert.deepEqual(report.errors, []);
  assert.equal(report.summary.resources, load.resources.length);
  assert.ok(report.findings.length > 0);
  for (const f of report.findings) assert.equal(f.location.file, 'test.yaml', `${f.ruleId} reported on ${f.location.file}`);
});

test('defaults change only binding findings: a user role is reported the same way with or without them', () => {
  const yaml = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]\n---\n' + binding('r', 'ClusterRoleBinding');
  const off = scanYaml(secretsRead, yaml).map((f) => `${f.location.path} ${f.message}`);
  const on = scanYaml(secretsRead, yaml, undefined, ON).map((f) => `${f.location.path} ${f.message}`);
  assert.deepEqual(on, off);
  assert.deepEqual(off, ['/rules/0/resources/0 ClusterRole r rule 0 grants list on secrets']);
});
