import rule from './host-probes-and-lifecycle.js';
import { ruleTable } from '../testing/harness.js';

const PROBE = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
    livenessProbe:
      httpGet: {host: 169.254.169.254, port: 80, path: /}
    lifecycle:
      preStop:
        tcpSocket:
          host: 10.0.0.1
          port: 22
`;

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    readinessProbe:\n      httpGet: {host: "", port: 80}\n',
    { name: 'the check starts at v1.34', yaml: PROBE, settings: { pss: { version: 'v1.33' } } },
  ],
  invalid: [
    {
      yaml: PROBE,
      findings: [
        { path: '/spec/containers/0/livenessProbe/httpGet/host', line: 8, column: 17, severity: 'high', message: '169.254.169.254' },
        { path: '/spec/containers/0/lifecycle/preStop/tcpSocket/host', line: 12, column: 11, message: 'preStop hook tcpSocket' },
      ],
    },
  ],
});
