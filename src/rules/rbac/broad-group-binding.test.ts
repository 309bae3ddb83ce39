import rule from './broad-group-binding.js';
import { ruleTable } from '../testing/harness.js';

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
    { name: 'one namespace\'s service accounts is not everyone', yaml: binding('view', '- {kind: Group, name: "system:serviceaccounts:dev"}\n') },
  ],
  invalid: [
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
