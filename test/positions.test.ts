// Findings point at the exact line and column of the offending key, whatever the YAML/JSON style.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadText } from '../src/input/files.js';
import { runEngine } from '../src/engine/run.js';
import { writableRoot } from './support/fixture-rules.js';
import { runCli } from './support/cli.js';

/** [line, column, path] of each writable-root finding, in report order. */
function positions(text: string, file = 'in.yaml'): [number, number, string][] {
  const load = loadText(text, file);
  assert.deepEqual(load.errors, [], 'input must parse');
  const r = runEngine(load, { rules: [writableRoot] });
  return r.findings.map((f) => [f.location.line, f.location.column, f.location.path]);
}

const CASES: { name: string; text: string; file?: string; expect: [number, number, string][] }[] = [
  {
    name: 'block style: the key of the offending field',
    text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        readOnlyRootFilesystem: false\n',
    expect: [[10, 9, '/spec/containers/0/securityContext/readOnlyRootFilesystem']],
  },
  {
    name: 'flow style on one line: the column of the key inside the braces',
    text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: x, securityContext: {readOnlyRootFilesystem: false}}, {name: b, image: x}]}\n',
    expect: [
      [4, 59, '/spec/containers/0/securityContext/readOnlyRootFilesystem'],
      [4, 92, '/spec/containers/1'],
    ],
  },
  {
    name: 'missing field: points at the deepest existing parent (securityContext key, then the container item)',
    text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        securityContext:\n          runAsNonRoot: true\n      - name: b\n',
    expect: [
      [9, 9, '/spec/template/spec/containers/0/securityContext'],
      [11, 9, '/spec/template/spec/containers/1'],
    ],
  },
  {
    name: 'multi-document file: lines count from the top of the file, past comments and markers',
    text: '# header comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n# second\n\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    securityContext: {readOnlyRootFilesystem: false}\n',
    expect: [[16, 23, '/spec/containers/0/securityContext/readOnlyRootFilesystem']],
  },
  {
    name: 'List items: the path carries /items/N and the position is inside the item',
    text: 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    containers:\n    - name: app\n      securityContext:\n        readOnlyRootFilesystem: false\n',
    expect: [[14, 9, '/items/1/spec/containers/0/securityContext/readOnlyRootFilesystem']],
  },
  {
    name: 'JSON file (pretty-printed), including a *List',
    file: 'in.json',
    text: '{\n  "apiVersion": "v1",\n  "kind": "PodList",\n  "items": [\n    {\n      "apiVersion": "v1",\n      "kind": "Pod",\n      "metadata": {"name": "p"},\n      "spec": {\n        "containers": [\n          {"name": "app", "securityContext": {"readOnlyRootFilesystem": false}}\n        ]\n      }\n    }\n  ]\n}\n',
    expect: [[11, 47, '/items/0/spec/containers/0/securityContext/readOnlyRootFilesystem']],
  },
  {
    name: 'quoted keys and CRLF line endings',
    text: 'apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: p}\r\nspec:\r\n  "containers":\r\n  - name: app\r\n    \'securityContext\':\r\n      "readOnlyRootFilesystem": false\r\n',
    expect: [[8, 7, '/spec/containers/0/securityContext/readOnlyRootFilesystem']],
  },
  {
    name: 'columns count UTF-16 code units after non-ASCII text on the same line',
    text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: "café-😀", securityContext: {readOnlyRootFilesystem: false}}]\n',
    expect: [[5, 52, '/spec/containers/0/securityContext/readOnlyRootFilesystem']],
  },
  {
    name: 'CronJob: deep pod template path',
    text: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n          - name: init\n            securityContext:\n              readOnlyRootFilesystem: false\n          containers: []\n',
    expect: [[13, 15, '/spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/readOnlyRootFilesystem']],
  },
];

for (const c of CASES) {
  test(`position: ${c.name}`, () => {
    assert.deepEqual(positions(c.text, c.file), c.expect);
  });
}

test('position: the reported line/column really is the offending key in the source text', () => {
  for (const c of CASES) {
    const lines = c.text.split(/\r?\n/);
    for (const [line, column, path] of c.expect) {
      const last = path.split('/').pop()!;
      const at = lines[line - 1]!.slice(column - 1);
      if (/^\d+$/.test(last)) assert.match(at, /^(\{|- |name|"name")/, `${c.name}: item start at ${line}:${column}`);
      else assert.ok(at.replace(/^["']/, '').startsWith(last), `${c.name}: "${at.slice(0, 30)}" should start with ${last}`);
    }
  }
});

test('position: annotation keys with "/" are found through JSON Pointer escaping (~1)', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    other: x\n    ignore.rampart.dev/fixture.writable-root: ""\nspec: {containers: [{name: a, image: x, securityContext: {readOnlyRootFilesystem: true}}, {name: b, image: x}]}\n';
  const r = runEngine(loadText(text, 'a.yaml'), { rules: [writableRoot] });
  const f = r.findings.find((x) => x.ruleId === 'config/suppression-without-reason')!;
  assert.equal(f.location.path, '/metadata/annotations/ignore.rampart.dev~1fixture.writable-root');
  assert.deepEqual([f.location.line, f.location.column], [7, 5]);
});

test('position: end to end through the CLI with the built-in rules (json output)', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: team}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    securityContext:\n      privileged: true\n';
  const cli = runCli(['scan', '-', '-o', 'json', '--no-config', '--fail-on', 'never'], text);
  const report = JSON.parse(cli.stdout);
  const priv = report.findings.filter((f: { location: { path: string } }) => f.location.path === '/spec/containers/0/securityContext/privileged');
  assert.ok(priv.length >= 1, 'a built-in rule flags privileged=true at the field');
  for (const f of priv) assert.deepEqual([f.location.file, f.location.line, f.location.column], ['<stdin>', 9, 7]);
});
