import rule from './operator-cr-write.js';
import { ruleTable } from '../testing/harness.js';

const role = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: r
  namespace: argocd
rules:
${rules}`;

ruleTable(rule, {
  valid: [
    { name: 'reading Applications', yaml: role('- {apiGroups: [argoproj.io], resources: [applications], verbs: [get, list, watch]}\n') },
    { name: 'Argo CD AppProjects are not applied by the controller', yaml: role('- {apiGroups: [argoproj.io], resources: [appprojects], verbs: [create]}\n') },
    { name: 'a look-alike resource in another API group', yaml: role('- {apiGroups: [example.com], resources: [kustomizations], verbs: [create]}\n') },
    { name: 'Application status only', yaml: role('- {apiGroups: [argoproj.io], resources: [applications/status], verbs: [patch]}\n') },
  ],
  invalid: [
    {
      name: 'create Argo CD Applications',
      yaml: role(`- apiGroups: [argoproj.io]
  resources:
  - applications
  verbs: [create]
`),
      findings: [{ path: '/rules/0/resources/0', line: 9, column: 5, severity: 'high', message: 'Role argocd/r rule 0 grants create on applications' }],
    },
    {
      name: 'Flux and Tekton resources, and "*" resources of their group',
      yaml: role('- {apiGroups: [kustomize.toolkit.fluxcd.io, helm.toolkit.fluxcd.io], resources: [kustomizations, helmreleases], verbs: [patch]}\n- {apiGroups: [tekton.dev], resources: ["*"], verbs: [create]}\n'),
      findings: [
        { path: '/rules/0/resources/0', line: 7, message: 'grants patch on kustomizations' },
        { path: '/rules/1/resources/0', line: 8, message: 'grants create on pipelineruns' },
      ],
    },
  ],
});
