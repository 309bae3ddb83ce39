import rule from './latest-tag.js';
import { ruleTable } from '../testing/harness.js';

const pod = (image: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: ${image}\n`;

ruleTable(rule, {
  valid: [
    pod('nginx:1.27.2'),
    { name: 'registry with a port is not a tag', yaml: pod('registry.local:5000/team/app:2.1') },
    { name: 'a digest pins the image, whatever the tag', yaml: pod('nginx:latest@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31') },
    { name: 'digest without a tag', yaml: pod('quay.io/org/app@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31') },
    { name: 'a tag that merely contains "latest"', yaml: pod('app:latest-2024') },
    { name: 'ko:// build references are not images (ko pins the built image by digest)', yaml: pod('ko://github.com/tektoncd/pipeline/cmd/controller') },
    { name: 'ko:// in an init container', yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      initContainers: [{name: i, image: "ko://example.com/cmd/init"}]\n      containers: [{name: c, image: "nginx:1.27"}]\n' },
  ],
  invalid: [
    {
      name: 'no tag means :latest; points at the image value',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx
`,
      findings: [{ path: '/spec/template/spec/containers/0/image', line: 9, column: 9, message: 'container "app" image nginx has no tag' }],
    },
    {
      name: ':latest, registry port not mistaken for a tag, init containers count',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: init
    image: localhost:5000/tools
  containers:
  - name: app
    image: app:latest
`,
      findings: [
        { path: '/spec/initContainers/0/image', line: 7, column: 5, message: 'init container "init" image localhost:5000/tools has no tag' },
        { path: '/spec/containers/0/image', line: 10, column: 5, message: 'uses the :latest tag' },
      ],
    },
    {
      name: 'missing, mistyped and invalid images cannot be checked and are reported',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: a
  - name: b
    image: 42
  - name: c
    image: "nginx:"
`,
      findings: [
        { path: '/spec/containers/0', line: 6, column: 5, message: 'container "a" has no image' },
        { path: '/spec/containers/1/image', line: 8, column: 5, message: 'container "b" has no image (or it is not a string)' },
        { path: '/spec/containers/2/image', line: 10, column: 5, message: 'invalid image reference' },
      ],
    },
  ],
});
