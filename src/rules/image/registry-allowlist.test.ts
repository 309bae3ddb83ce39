import rule from './registry-allowlist.js';
import { ruleTable } from '../testing/harness.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadText } from '../../input/files.js';
import { runEngine } from '../../engine/run.js';

const ALLOWED = { allowed: ['registry.k8s.io', 'ghcr.io/acme', 'docker.io/library'] };
const pod = (...images: string[]) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n${images.map((im, i) => `  - name: c${i}\n    image: ${im}\n`).join('')}`;

ruleTable(rule, {
  valid: [
    { name: 'not configured: no policy to check against', yaml: pod('evil.example.com/miner:1') },
    { name: 'allowed hosts and prefixes; Docker Hub official images are docker.io/library', options: ALLOWED, yaml: pod('registry.k8s.io/pause:3.9', 'ghcr.io/acme/web:1', 'nginx:1.27', 'index.docker.io/library/redis:7') },
  ],
  invalid: [
    {
      name: 'prefixes match on "/" boundaries; Docker Hub user images are not docker.io/library',
      options: ALLOWED,
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: web
        image: ghcr.io/acme-evil/web:1
      - name: side
        image: someuser/tool:2
`,
      findings: [
        { path: '/spec/template/spec/containers/0/image', line: 9, column: 9, message: 'ghcr.io/acme-evil/web:1 (ghcr.io/acme-evil/web) is not from an allowed registry' },
        { path: '/spec/template/spec/containers/1/image', line: 11, column: 9, message: '(docker.io/someuser/tool)' },
      ],
    },
    {
      name: 'an empty allowlist allows nothing; ephemeral containers count; ko:// cannot be placed',
      options: { allowed: [] },
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: ko://example.com/cmd/app
  ephemeralContainers:
  - name: debug
    image: busybox:1.36
`,
      findings: [
        { path: '/spec/containers/0/image', line: 7, column: 5, message: 'registry cannot be checked' },
        { path: '/spec/ephemeralContainers/0/image', line: 10, column: 5, message: 'the allowlist is empty' },
      ],
    },
  ],
});

test('image/registry-allowlist: configured options without `allowed` are a config error (exit 2), not a silent pass', () => {
  const load = loadText('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: "evil.example.com/x:1"}]\n', 'p.yaml');
  const report = runEngine(load, { rules: [rule], config: { rules: { [rule.meta.id]: { options: { allow: ['quay.io'] } } }, exceptions: [], settings: {} } });
  assert.equal(report.summary.notEvaluated, 1);
  assert.match(report.errors[0]!.message, /invalid options for rule image\/registry-allowlist/);
});
