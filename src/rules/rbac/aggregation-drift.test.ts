import rule from './aggregation-drift.js';
import { ruleTable } from '../testing/harness.js';

const source = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: widgets-edit
  labels: {rbac.example.com/aggregate-to-edit: "true"}
rules:
- {apiGroups: [example.com], resources: [widgets], verbs: [get, update]}
---
`;
const aggregated = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: team-edit
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.example.com/aggregate-to-edit: "true"}
rules:
${rules}`;

ruleTable(rule, {
  valid: [
    { name: 'filled exactly as the controller would', yaml: source + aggregated('- {apiGroups: [example.com], resources: [widgets], verbs: [get, update]}\n') },
    { name: 'not filled yet (a manifest): nothing to compare', yaml: source + aggregated('  []\n') },
    { name: 'no aggregation rule', yaml: source },
  ],
  invalid: [
    {
      name: 'a rule edited in by hand that no selected role grants',
      yaml: source + aggregated('- {apiGroups: [example.com], resources: [widgets], verbs: [get, update]}\n- {apiGroups: [""], resources: [secrets], verbs: [get, list]}\n'),
      findings: [{ message: /1 rule\(s\) no selected ClusterRole grants \(get,list secrets\)/, path: '/rules/1', resource: 'ClusterRole/team-edit' }],
    },
    {
      name: 'an implied rule the controller has not filled in',
      yaml: source.replace('verbs: [get, update]}', 'verbs: [get, update]}\n- {apiGroups: [example.com], resources: [gadgets], verbs: [delete]}') + aggregated('- {apiGroups: [example.com], resources: [widgets], verbs: [get, update]}\n'),
      findings: [{ message: /1 rule\(s\) its selectors imply are missing \(delete gadgets \(example\.com\) from widgets-edit\)/, path: '/aggregationRule' }],
    },
  ],
});
