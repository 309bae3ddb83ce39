import rule from './drop-net-raw.js';
import { ruleTable, scanYaml } from '../testing/harness.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const DEPLOY_NO_CAPS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.27
        securityContext:
          capabilities:
            drop: [CHOWN]
`;

ruleTable(rule, {
  valid: [
    { name: 'drop ALL', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: a:1\n    securityContext: {capabilities: {drop: [ALL]}}\n' },
    { name: 'drop NET_RAW, any case, CAP_ prefix', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: a:1\n    securityContext: {capabilities: {drop: [cap_net_raw]}}\n' },
    { name: 'Windows pods have no Linux capabilities', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  os: {name: windows}\n  containers: [{name: a, image: "a:1"}]\n' },
    { name: 'wrong types do not crash', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - "x"\n' },
  ],
  invalid: [
    {
      name: 'drop list without NET_RAW points at the list',
      yaml: DEPLOY_NO_CAPS,
      findings: [{ path: '/spec/template/spec/containers/0/securityContext/capabilities/drop', line: 12, column: 13, message: 'container "app" does not drop NET_RAW' }],
    },
    {
      name: 'adding NET_RAW back, even after drop ALL (kube-linter drop-net-raw-capability)',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: a:1
    securityContext:
      capabilities:
        drop: [ALL]
        add:
        - NET_BIND_SERVICE
        - NET_RAW
`,
      findings: [{ path: '/spec/containers/0/securityContext/capabilities/add/1', line: 13, column: 11, message: 'adds capability NET_RAW' }],
    },
    {
      name: 'no securityContext at all; init containers count; mistyped securityContext',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: init
    image: a:1
  containers:
  - name: app
    image: a:1
    securityContext: []
`,
      findings: [
        { path: '/spec/initContainers/0', line: 6, column: 5, message: 'init container "init"' },
        { path: '/spec/containers/0', line: 9, column: 5, message: 'container "app"' },
      ],
    },
  ],
});

test('workload/drop-net-raw: the fix appends NET_RAW to the existing drop list', () => {
  const [f] = scanYaml(rule, DEPLOY_NO_CAPS);
  assert.deepEqual(f!.fix, [{ op: 'set', path: '/spec/template/spec/containers/0/securityContext/capabilities/drop', value: ['CHOWN', 'NET_RAW'] }]);
});
