import rule from './apparmor-profile.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    container.apparmor.security.beta.kubernetes.io/a: localhost/custom
spec:
  securityContext: {appArmorProfile: {type: RuntimeDefault}}
  containers: [{name: a}]
`,
  ],
  invalid: [
    {
      name: 'annotation (older versions) and field',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    metadata:
      annotations:
        container.apparmor.security.beta.kubernetes.io/a: unconfined
    spec:
      containers:
      - name: a
        securityContext:
          appArmorProfile:
            type: Unconfined
`,
      findings: [
        { path: '/spec/template/metadata/annotations/container.apparmor.security.beta.kubernetes.io~1a', line: 8, column: 9, message: 'sets AppArmor profile "unconfined"' },
        { path: '/spec/template/spec/containers/0/securityContext/appArmorProfile/type', line: 14, column: 13, severity: 'high', message: 'container "a" sets AppArmor profile type "Unconfined"' },
      ],
    },
  ],
});
