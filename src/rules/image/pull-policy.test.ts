import rule from './pull-policy.js';
import { ruleTable, scanYaml } from '../testing/harness.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const DIGEST = 'sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31';

// Off by default (see the rule's metadata); the table runs it switched on.
const on = { ...rule, meta: { ...rule.meta, defaultOff: false } };

ruleTable(on, {
  valid: [
    {
      name: 'pinned by digest (any policy); Always; :latest and no tag default to Always; ko:// and missing images are not this rule\'s',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: a, image: "nginx@${DIGEST}", imagePullPolicy: IfNotPresent}
  - {name: b, image: "nginx:1.27", imagePullPolicy: Always}
  - {name: c, image: "nginx:latest"}
  - {name: d, image: nginx}
  - {name: e, image: "ko://example.com/cmd/x"}
  - {name: f}
`,
    },
  ],
  invalid: [
    {
      name: 'a version tag with the default policy, explicit IfNotPresent and Never; ephemeral containers count',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
    image: ghcr.io/acme/web:2.4
  - name: b
    image: nginx:latest
    imagePullPolicy: IfNotPresent
  ephemeralContainers:
  - name: debug
    image: busybox:1.36
    imagePullPolicy: Never
`,
      findings: [
        { path: '/spec/containers/0/image', line: 7, severity: 'low', message: 'container "a" image ghcr.io/acme/web:2.4 is a mutable tag pulled with the default imagePullPolicy IfNotPresent' },
        { path: '/spec/containers/1/imagePullPolicy', line: 10, message: 'imagePullPolicy: IfNotPresent' },
        { path: '/spec/ephemeralContainers/0/imagePullPolicy', line: 14, message: 'ephemeral container "debug" image busybox:1.36 is a mutable tag pulled with imagePullPolicy: Never' },
      ],
    },
  ],
});

test('image/pull-policy is off unless enabled in the config', () => {
  assert.equal(rule.meta.defaultOff, true);
  assert.deepEqual(scanYaml(rule, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: "nginx:1.27"}]\n'), []);
});
