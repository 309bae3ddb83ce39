import rule from './seccomp-profile-baseline.js';
import { ruleTable } from '../testing/harness.js';

const ANNOTATED = `apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    seccomp.security.alpha.kubernetes.io/pod: unconfined
spec:
  containers: [{name: a}]
`;

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {seccompProfile: {type: RuntimeDefault}}\n  containers: [{name: a}]\n',
    { name: 'annotations are not read from v1.19', yaml: ANNOTATED, settings: { pss: { level: 'baseline', version: 'v1.19' } } },
  ],
  invalid: [
    { name: 'annotations are read before v1.19', yaml: ANNOTATED, settings: { pss: { level: 'baseline', version: 'v1.18' } }, findings: [{ path: '/metadata/annotations/seccomp.security.alpha.kubernetes.io~1pod', line: 6, column: 5, message: '"unconfined"' }] },
    {
      name: 'explicit Unconfined at restricted is the baseline violation',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext:
    seccompProfile: {type: Unconfined}
  containers: [{name: a}]
`,
      findings: [{ path: '/spec/securityContext/seccompProfile/type', line: 6, column: 22, severity: 'high', message: 'pod sets securityContext.seccompProfile.type "Unconfined"' }],
    },
  ],
});
