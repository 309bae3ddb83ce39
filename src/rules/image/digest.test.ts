import rule from './digest.js';
import { ruleTable } from '../testing/harness.js';

const DIGEST = 'sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31';

ruleTable(rule, {
  valid: [
    `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: "nginx@${DIGEST}"}\n  - {name: b, image: "ghcr.io/acme/app:1.2@${DIGEST}"}\n`,
    { name: 'missing and ko:// images are image/latest-tag\'s to report', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a}\n  - {name: b, image: "ko://example.com/cmd/x"}\n' },
  ],
  invalid: [
    {
      name: 'a version tag is still mutable',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  template:
    spec:
      containers:
      - name: agent
        image: registry.k8s.io/agent:v1.2.3
`,
      findings: [{ path: '/spec/template/spec/containers/0/image', line: 9, column: 9, severity: 'low', message: 'container "agent" image registry.k8s.io/agent:v1.2.3 is not pinned by digest' }],
    },
    {
      name: 'a malformed digest does not pin',
      yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n  - name: b\n    image: app@sha256:abc\n',
      findings: [{ path: '/spec/containers/0/image', line: 7, column: 5 }],
    },
  ],
});
