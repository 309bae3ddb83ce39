import rule from './default-namespace.js';
import { ruleTable } from '../testing/harness.js';

ruleTable(rule, {
  valid: [
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {}\n',
    { name: 'no namespace is not reported unless includeUnset', yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {}\n' },
    { name: 'only workloads are checked', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\n' },
  ],
  invalid: [
    {
      name: 'explicit default namespace points at it',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app1
  namespace: default
spec: {}
`,
      findings: [{ path: '/metadata/namespace', line: 5, column: 3, message: 'Deployment "app1" is in the default namespace' }],
    },
    {
      name: 'includeUnset reports workloads without a namespace',
      options: { includeUnset: true },
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec: {}\n',
      findings: [{ path: '/metadata', line: 3, column: 1, message: 'sets no namespace' }],
    },
  ],
});
