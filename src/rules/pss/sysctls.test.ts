import rule from './sysctls.js';
import { ruleTable } from '../testing/harness.js';

const KEEPALIVE = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    sysctls:\n    - {name: net.ipv4.tcp_keepalive_time, value: "60"}\n  containers: [{name: a}]\n';

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    sysctls:\n    - {name: net.ipv4.ip_local_port_range, value: "1024 65535"}\n  containers: [{name: a}]\n',
    { name: 'tcp_keepalive_time is safe from v1.29', yaml: KEEPALIVE, settings: { pss: { version: 'v1.29' } } },
  ],
  invalid: [
    { name: 'tcp_keepalive_time was unsafe before v1.29', yaml: KEEPALIVE, settings: { pss: { version: 'v1.28' } }, findings: [{ path: '/spec/securityContext/sysctls/0/name', line: 7, column: 8, severity: 'high' }] },
    {
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    sysctls:\n    - name: kernel.msgmax\n      value: "1"\n  containers: [{name: a}]\n',
      findings: [{ path: '/spec/securityContext/sysctls/0/name', line: 7, column: 7, message: 'unsafe sysctl kernel.msgmax' }],
    },
  ],
});
