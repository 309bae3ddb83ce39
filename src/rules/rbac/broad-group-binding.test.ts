import { before } from 'node:test';
import rule from './broad-group-binding.js';
import { ruleTable } from '../testing/harness.js';
import { loadRbacDefaults } from '../../input/rbac-defaults.js';
import type { Resource } from '../../model/types.js';

const defaults: Resource[] = [];
before(async () => {
  defaults.push(...(await loadRbacDefaults()).resources);
});
const ON = { rbac: { defaults: true, defaultObjects: defaults } };
const VIEWER = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "system:viewer"}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "system:viewer"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:viewer"}
subjects: [{kind: Group, name: "system:authenticated"}]
`;

const binding = (role: string, subjects: string, kind = 'ClusterRoleBinding') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: b
  namespace: dev
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects:
${subjects}`;

ruleTable(rule, {
  valid: [
    { name: 'a named group', yaml: binding('view', '- {kind: Group, name: developers}\n') },
    { name: 'discovery roles are meant for everyone', yaml: binding('system:public-info-viewer', '- {kind: Group, name: "system:unauthenticated"}\n') },
    { name: 'the bootstrap discovery binding (in the bootstrap policy)', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: "system:discovery"}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:discovery"}\nsubjects: [{kind: Group, name: "system:authenticated"}]\n', settings: ON },
    { name: 'without the bootstrap policy, system: names are taken for defaults', yaml: VIEWER },
    { name: 'one namespace\'s service accounts is not everyone', yaml: binding('view', '- {kind: Group, name: "system:serviceaccounts:dev"}\n') },
  ],
  invalid: [
    // Recognised by the bootstrap policy, not by its name: no default binding or role is called system:viewer.
    { name: 'a custom system:viewer bound to system:authenticated', yaml: VIEWER, settings: ON, findings: [{ resource: 'ClusterRoleBinding/system:viewer', path: '/subjects/0/name', message: 'grants ClusterRole system:viewer to Group system:authenticated' }] },
    {
      name: 'view for every authenticated identity points at the subject name',
      yaml: binding('view', '- kind: Group\n  name: system:authenticated\n'),
      findings: [{ path: '/subjects/0/name', line: 9, column: 3, severity: 'high', message: 'grants ClusterRole view to Group system:authenticated' }],
    },
    {
      name: 'anonymous and unauthenticated are critical; every service account is high',
      yaml: binding('edit', '- {kind: User, name: "system:anonymous"}\n- {kind: Group, name: "system:unauthenticated"}\n- {kind: Group, name: "system:serviceaccounts"}\n', 'RoleBinding'),
      findings: [
        { path: '/subjects/0/name', line: 8, severity: 'critical', message: 'in namespace dev to User system:anonymous' },
        { path: '/subjects/1/name', line: 9, severity: 'critical', message: 'Group system:unauthenticated' },
        { path: '/subjects/2/name', line: 10, severity: 'high', message: 'Group system:serviceaccounts' },
      ],
    },
    {
      name: 'a read-only role (no Secrets) in the input is medium for authenticated, high for anonymous',
      yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: info, namespace: dev}\nrules:\n- {apiGroups: [""], resources: [configmaps], resourceNames: [info], verbs: [get]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: info, namespace: dev}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: info}\nsubjects:\n- {kind: Group, name: "system:authenticated"}\n- {kind: Group, name: "system:unauthenticated"}\n',
      findings: [
        { path: '/subjects/0/name', line: 12, severity: 'medium', message: 'Role info (read-only) in namespace dev' },
        { path: '/subjects/1/name', line: 13, severity: 'high', message: 'requests without credentials' },
      ],
    },
  ],
});
