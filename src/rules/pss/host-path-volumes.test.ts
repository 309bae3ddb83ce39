import rule from './host-path-volumes.js';
import { ruleTable } from '../testing/harness.js';

const HOSTPATH = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: a}]
  volumes:
  - name: data
    emptyDir: {}
  - name: root
    hostPath: {path: /}
`;

ruleTable(rule, {
  valid: ['apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a}]\n  volumes:\n  - name: data\n    emptyDir: {}\n  - name: empty\n'],
  invalid: [
    { name: 'baseline', yaml: HOSTPATH, settings: { pss: { level: 'baseline' } }, findings: [{ path: '/spec/volumes/1/hostPath', line: 10, column: 5, severity: 'high', message: 'volume "root" is a hostPath volume' }] },
    { name: 'restricted still reports hostPath here (not as restrictedVolumes)', yaml: HOSTPATH, findings: [{ path: '/spec/volumes/1/hostPath', severity: 'high', message: 'hostPath volume' }] },
  ],
});
