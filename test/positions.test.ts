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

test('position: every finding on the real-world corpus points at its key (or, for a missing field, its nearest existing parent)', async (t) => {
  const { existsSync, readFileSync } = await import('node:fs');
  const { loadInputs } = await import('../src/input/files.js');
  const { builtinRules } = await import('../src/rules/index.js');
  const { parsePointer } = await import('../src/model/json.js');
  const corpus = '../shared/corpus/real-world';
  if (!existsSync(corpus)) {
    console.warn(`\n!!! SKIPPED: ${corpus} is absent; corpus-wide position check did not run !!!\n`);
    t.skip('corpus absent');
    return;
  }
  const report = runEngine(await loadInputs([corpus], undefined, false), { rules: builtinRules });
  assert.ok(report.findings.length > 1000);
  const lines = new Map<string, string[]>();
  const wrong: string[] = [];
  for (const f of report.findings) {
    const L = f.location;
    if (!lines.has(L.file)) lines.set(L.file, readFileSync(L.file, 'utf8').split(/\r?\n/));
    const at = (lines.get(L.file)![L.line - 1] ?? '').slice(L.column - 1);
    const segs = parsePointer(L.path);
    // The text at the position starts with the field's key, or with an ancestor's key when the field
    // is missing (the deepest existing parent), or is the sequence item the path ends in.
    const text = at.replace(/^["']/, '');
    const last = segs[segs.length - 1];
    const ok =
      segs.length === 0 ||
      (last !== undefined && /^\d+$/.test(last) && /^(- |-$|[{["'*\w./:@-])/.test(at)) ||
      segs.some((seg) => !/^\d+$/.test(seg) && text.startsWith(seg));
    if (!ok) wrong.push(`${f.ruleId} ${L.file}:${L.line}:${L.column} ${L.path} -> ${JSON.stringify(at.slice(0, 40))}`);
  }
  assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} of ${report.findings.length} findings point elsewhere`);
});
