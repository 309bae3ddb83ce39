// Every rule of the first rule set evaluates mistyped and hostile objects without throwing, and points
// inside the object it was given (List items keep their base path and real line numbers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadText } from '../../src/input/files.js';
import { runEngine } from '../../src/engine/run.js';
import { builtinRules } from '../../src/rules/index.js';

const MINE = builtinRules.filter((r) => /^(workload|image|secrets)\//.test(r.meta.id));
const CONFIG = { rules: { 'image/registry-allowlist': { options: { allowed: ['registry.k8s.io'] } } }, exceptions: [], settings: {} };

const HOSTILE: [string, string][] = [
  ['spec is a string', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: "x"\n'],
  ['containers is a string', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: "x"\n'],
  ['containers hold scalars and nulls', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [1, null, "x", [], {}]\n'],
  [
    'every nested field has the wrong type',
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: 7, namespace: [default], annotations: "x"}
spec:
  template:
    metadata: []
    spec:
      automountServiceAccountToken: "yes"
      serviceAccountName: 42
      securityContext: []
      os: "linux"
      resources: 5
      volumes: {a: b}
      containers:
      - name: [a]
        image: {repo: nginx}
        env: "PASSWORD=x"
        resources: {limits: [1], requests: "1"}
        securityContext: {runAsUser: [0], capabilities: {add: "NET_RAW", drop: {a: 1}}}
        livenessProbe: []
        volumeMounts: "sock"
      initContainers: {name: x}
      ephemeralContainers: [{env: [{name: {}, value: {}}, {name: TOKEN, value: [1]}, 3]}]
`,
  ],
  ['numbers as strings', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: "0"}\n  containers:\n  - {name: a, image: "1", resources: {limits: {cpu: "1e400", memory: "-1"}}}\n'],
  ['volumes with hostile hostPath values', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: []\n  volumes:\n  - {name: a, hostPath: {path: 5}}\n  - {name: b, hostPath: {path: "../../../../var/run/docker.sock"}}\n  - {hostPath: {path: ""}}\n'],
  ['a very long image and env name', `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: "${'a/'.repeat(5000)}x:${'1'.repeat(1000)}"\n    env: [{name: "${'PASSWORD_'.repeat(2000)}", value: x}]\n`],
];

test('first rule set: hostile and mistyped objects never make a rule throw', () => {
  for (const [name, yaml] of HOSTILE) {
    const load = loadText(yaml, 'hostile.yaml');
    assert.deepEqual(load.errors, [], `${name}: parses`);
    const report = runEngine(load, { rules: MINE, config: CONFIG });
    assert.deepEqual(report.errors, [], `${name}: no rule failed`);
    for (const f of report.findings) assert.ok(f.location.line >= 1, `${name}: ${f.ruleId} has a position`);
  }
});

test('first rule set: findings on List items carry the item base path and the real line', () => {
  const yaml = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: c}
- apiVersion: v1
  kind: Pod
  metadata: {name: p, namespace: default}
  spec:
    containers:
    - name: app
      image: nginx:latest
      env:
      - {name: API_TOKEN, value: abc}
`;
  const report = runEngine(loadText(yaml, 'list.yaml'), { rules: MINE, config: CONFIG });
  const byRule = new Map(report.findings.map((f) => [f.ruleId, f.location]));
  assert.deepEqual(byRule.get('workload/default-namespace'), { file: 'list.yaml', line: 9, column: 23, path: '/items/1/metadata/namespace' });
  assert.equal(byRule.get('image/latest-tag')?.path, '/items/1/spec/containers/0/image');
  assert.equal(byRule.get('image/latest-tag')?.line, 13);
  assert.equal(byRule.get('secrets/env-literal')?.path, '/items/1/spec/containers/0/env/0/value');
  assert.equal(byRule.get('secrets/env-literal')?.line, 15);
  assert.ok(!JSON.stringify(report).includes('"abc"'), 'the credential value is not in the report');
});
