import rule from './internet-to-cluster-admin.js';
import { ruleTable } from '../testing/harness.js';

const SVC = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}\n';
const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      serviceAccountName: web\n      containers: [{name: c, image: "nginx:1"}]\n';
const ADMIN = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: web-admin}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: ServiceAccount, name: web, namespace: shop}]\n';

ruleTable(rule, {
  valid: [
    { name: 'the Service is internal', yaml: [SVC.replace('LoadBalancer', 'ClusterIP'), DEPLOY, ADMIN].join('---\n') },
    { name: 'the token is not mounted', yaml: [SVC, DEPLOY.replace('serviceAccountName: web', 'serviceAccountName: web\n      automountServiceAccountToken: false'), ADMIN].join('---\n') },
    { name: 'the account is not powerful', yaml: [SVC, DEPLOY].join('---\n') },
    {
      name: 'the path is known (its key in the options): only new paths are reported',
      yaml: [SVC, DEPLOY, ADMIN].join('---\n'),
      options: { known: ['cluster-admin: internet > workload:Deployment/shop/web > serviceaccount:shop/web > target:cluster-admin'] },
    },
  ],
  invalid: [
    {
      name: 'exposed workload with a cluster-admin token: reported on the Service, with the choke point',
      yaml: [SVC, DEPLOY, ADMIN].join('---\n'),
      findings: [{ path: '/spec/type', line: 4, message: 'the internet reaches cluster-admin in 3 steps' }],
    },
    {
      name: 'a known path elsewhere does not hide a new one',
      yaml: [SVC, DEPLOY, ADMIN].join('---\n'),
      options: { known: ['cluster-admin: internet > workload:Deployment/shop/other > serviceaccount:shop/other > target:cluster-admin'] },
      findings: [{ path: '/spec/type', line: 4, message: 'the internet reaches cluster-admin in 3 steps' }],
    },
  ],
});
