import rule from './escalation-path.js';
import { readFileSync } from 'node:fs';
import { ruleTable } from '../testing/harness.js';

const CHAIN = readFileSync('test/fixtures/rbac/chain.yaml', 'utf8');
const ARGO = readFileSync('test/fixtures/rbac/argocd-apps.yaml', 'utf8');

ruleTable(rule, {
  valid: [
    { name: 'a direct cluster-admin binding is one step (reported by rbac/cluster-admin-binding)', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: User, name: root}]\n' },
    {
      name: 'pod creation in a namespace with no powerful service account and Pod Security enforced',
      yaml: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: dev, labels: {pod-security.kubernetes.io/enforce: baseline}}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: dev}\nrules: [{apiGroups: [""], resources: [pods], verbs: [create]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: dev}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects: [{kind: User, name: dev}]\n',
    },
    { name: 'trusted subjects are not reported', yaml: CHAIN, options: { trustedSubjects: ['User:alice', 'ServiceAccount:apps/runner'] } },
    // The cluster-admin service account is not Argo CD's controller, so nothing applies the Applications.
    { name: 'writing Applications is no path without the Argo CD controller in the input', yaml: ARGO.replaceAll('argocd-application-controller', 'deployer') },
  ],
  invalid: [
    {
      name: 'a chain that only exists because objects without a namespace are all placed in default is high, not critical, and says so',
      yaml: [
        'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ci}',
        'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: admin-sa}',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: pods}\nrules: [{apiGroups: [""], resources: [pods], verbs: [create]}]',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: ci-pods}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pods}\nsubjects: [{kind: ServiceAccount, name: ci}]',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: admin}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: ServiceAccount, name: admin-sa, namespace: default}]',
      ].join('\n---\n') + '\n',
      findings: [{ resource: 'RoleBinding/ci-pods', severity: 'high', path: '/subjects/0', message: 'assumes that objects without metadata.namespace are installed together in namespace "default"' }],
    },
    {
      name: 'fact 22: Argo CD Applications -> the application controller -> cluster-admin',
      yaml: ARGO,
      findings: [{ resource: 'RoleBinding/devs-write-apps', path: '/subjects/0', line: 22, column: 12, message: 'Group devs reaches cluster-admin in 2 steps: 1) write applications.argoproj.io in namespace argocd: Argo CD applies them as service account argocd/argocd-application-controller' }],
    },
    {
      name: 'the 3-step chain: pod-create -> service account -> exec -> service account -> cluster-admin',
      yaml: CHAIN,
      findings: [
        // Sorted by file position: the runner's RoleBinding (2 steps) comes after alice's (3 steps) in the file.
        { resource: 'RoleBinding/alice-deploys', severity: 'critical', path: '/subjects/0', line: 40, column: 3, message: 'User alice reaches cluster-admin in 3 steps: 1) create deployments in namespace apps to run a pod as service account apps/runner; 2) exec (pods/exec) into Deployment/ops-tool' },
        { resource: 'RoleBinding/runner-debugs-ops', path: '/subjects/0', line: 60, message: 'ServiceAccount apps/runner reaches cluster-admin in 2 steps' },
      ],
    },
  ],
});
