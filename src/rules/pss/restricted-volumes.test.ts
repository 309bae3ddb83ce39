import rule from './restricted-volumes.js';
import { ruleTable } from '../testing/harness.js';

const NFS = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: a}]
  volumes:
  - name: cfg
    configMap: {name: c}
  - name: share
    nfs: {server: nfs.local, path: /x}
  - name: root
    hostPath: {path: /}
`;

ruleTable(rule, {
  valid: [
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a}]\n  volumes:\n  - {name: a, emptyDir: {}}\n  - {name: b, projected: {sources: []}}\n  - {name: c, csi: {driver: x}}\n  - {name: d, ephemeral: {}}\n  - {name: e}\n',
    { name: 'baseline allows nfs', yaml: NFS, settings: { pss: { level: 'baseline' } } },
  ],
  invalid: [
    {
      name: 'nfs is restricted-only; the hostPath is reported by pss/hostPathVolumes',
      yaml: NFS,
      findings: [{ path: '/spec/volumes/1/nfs', line: 10, column: 5, severity: 'medium', message: 'volume "share" uses restricted volume type nfs' }],
    },
  ],
});
