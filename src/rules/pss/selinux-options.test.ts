import rule from './selinux-options.js';
import { ruleTable } from '../testing/harness.js';

const ENGINE_T = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    seLinuxOptions: {type: container_engine_t}\n  containers: [{name: a}]\n';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    seLinuxOptions: {type: container_t, level: "s0:c1,c2"}\n  containers: [{name: a}]\n',
    { name: 'container_engine_t is allowed from v1.31', yaml: ENGINE_T, settings: { pss: { version: 'v1.31' } } },
  ],
  invalid: [
    { name: 'container_engine_t was forbidden before v1.31', yaml: ENGINE_T, settings: { pss: { version: 'v1.30' } }, findings: [{ path: '/spec/securityContext/seLinuxOptions/type', line: 6, column: 22 }] },
    {
      name: 'user and role',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
    securityContext:
      seLinuxOptions:
        user: system_u
        role: system_r
`,
      findings: [
        { path: '/spec/containers/0/securityContext/seLinuxOptions/user', line: 9, column: 9, severity: 'high' },
        { path: '/spec/containers/0/securityContext/seLinuxOptions/role', line: 10, column: 9 },
      ],
    },
  ],
});
