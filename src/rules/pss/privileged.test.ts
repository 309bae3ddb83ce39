import rule from './privileged.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: nginx\n    securityContext: {privileged: false}\n',
    { name: 'null is absent', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    securityContext: {privileged: null}\n' },
    { name: 'exempt namespace is not evaluated', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: kube-system}\nspec:\n  containers:\n  - name: app\n    securityContext: {privileged: true}\n', settings: { pss: { exemptions: { namespaces: ['kube-system'] } } } },
    { name: 'exempt runtime class is not evaluated', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  runtimeClassName: kata\n  containers:\n  - name: app\n    securityContext: {privileged: true}\n', settings: { pss: { exemptions: { runtimeClasses: ['kata'] } } } },
    { name: 'a quoted "true" is not evaluated here (pss/pod-not-evaluable reports it)', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    securityContext: {privileged: "true"}\n' },
  ],
  invalid: [
    {
      name: 'points at the field in a Deployment, critical at baseline',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx
        securityContext:
          privileged: true
`,
      settings: { pss: { level: 'baseline' } },
      findings: [{ path: '/spec/template/spec/containers/0/securityContext/privileged', line: 11, column: 11, severity: 'critical', message: 'container "app" sets securityContext.privileged=true' }],
    },
    {
      name: 'init and ephemeral containers count, in the CronJob template',
      yaml: `apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
          - name: setup
            securityContext: {privileged: true}
          ephemeralContainers:
          - name: debug
            securityContext: {privileged: true}
`,
      findings: [
        { path: '/spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/privileged', line: 11, message: 'init container "setup"' },
        { path: '/spec/jobTemplate/spec/template/spec/ephemeralContainers/0/securityContext/privileged', line: 14, message: 'ephemeral container "debug"' },
      ],
    },
  ],
});
