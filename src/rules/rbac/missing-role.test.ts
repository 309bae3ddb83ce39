import { before } from 'node:test';
import rule from './missing-role.js';
import { ruleTable } from '../testing/harness.js';
import { loadRbacDefaults } from '../../input/rbac-defaults.js';
import type { Resource } from '../../model/types.js';

const binding = (kind: string, name: string, ns = 'apps', bindingKind = 'RoleBinding') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${bindingKind}
metadata: {name: b${bindingKind === 'RoleBinding' ? `, namespace: ${ns}` : ''}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${kind}, name: ${name}}
subjects: [{kind: User, name: alice}]
`;
const role = (name: string, ns = 'apps') => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ${name}, namespace: ${ns}}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
`;

const defaults: Resource[] = [];
before(async () => {
  defaults.push(...(await loadRbacDefaults()).resources);
});
const ON = { rbac: { defaults: true, defaultObjects: defaults } };

ruleTable(rule, {
  valid: [
    { name: 'the Role is in the input', yaml: role('reader') + '---\n' + binding('Role', 'reader') },
    { name: 'a Kubernetes default ClusterRole, with the bootstrap policy loaded', yaml: binding('ClusterRole', 'edit'), settings: ON },
    { name: 'without the bootstrap policy, a default role name is not reported', yaml: binding('ClusterRole', 'edit') },
    { name: 'cluster-admin exists in every cluster', yaml: binding('ClusterRole', 'cluster-admin', '', 'ClusterRoleBinding') },
    { name: 'a ClusterRoleBinding to a Role is invalid (reported elsewhere), not a missing role', yaml: binding('Role', 'reader', '', 'ClusterRoleBinding') },
  ],
  invalid: [
    { name: 'a Role of another namespace does not count', yaml: role('reader', 'other') + '---\n' + binding('Role', 'reader'), findings: [{ resource: 'RoleBinding/b', severity: 'info', path: '/roleRef/name', message: 'Role reader in namespace apps, which is not in the input' }] },
    { name: 'without the bootstrap policy, a custom role name is reported', yaml: binding('ClusterRole', 'custom-reader'), findings: [{ resource: 'RoleBinding/b', message: '(the bootstrap policy is not loaded)' }] },
    { name: 'a ClusterRole in neither the input nor the defaults', yaml: binding('ClusterRole', 'custom-reader', '', 'ClusterRoleBinding'), settings: ON, findings: [{ resource: 'ClusterRoleBinding/b', message: 'nor among the Kubernetes defaults; what it grants was not evaluated' }] },
  ],
});
