// Hostile and malformed inputs: each must finish quickly, never crash, and fail closed where it
// could not be evaluated. Inputs are generated here (nothing huge is committed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadInputs, loadText } from '../../src/input/files.js';
import { runEngine, exitCodeFor } from '../../src/engine/run.js';
import { builtinRules } from '../../src/rules/index.js';
import { DEFAULT_LIMITS } from '../../src/input/yaml.js';
import { runCli } from '../support/cli.js';

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rampart-hostile-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec:\n  containers:\n  - {name: app, image: "nginx:1.27"}\n';

/** Scans a text with every built-in rule; the engine must not throw and must not report rule crashes. */
function scan(text: string, file = 'in.yaml') {
  const load = loadText(text, file);
  const report = runEngine(load, { rules: builtinRules });
  const crashes = report.errors.filter((e) => e.message.startsWith('rule '));
  assert.deepEqual(crashes, [], 'no rule may crash on hostile input');
  return report;
}

test('billion laughs (alias bomb) is rejected as a resource-exhaustion attempt, not expanded', () => {
  const lines = ['  l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`  l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(',')}]`);
  const r = scan(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${lines.join('\n')}\n---\n${POD}`);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0]!.message, /alias|resource exhaustion/i);
  assert.equal(r.errors[0]!.line, 1);
  assert.ok(r.findings.every((f) => f.resource.name === 'ok'), 'only the next document produced findings');
  assert.equal(r.summary.resources, 1);
  assert.equal(exitCodeFor(r.summary, r.findings, 'never'), 2);
});

test('10k-deep nesting in flow style is an error, not a stack overflow', () => {
  const r = scan(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ${'['.repeat(10000)}${']'.repeat(10000)}\n`);
  assert.equal(r.summary.resources, 0);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0]!.message, /nests (too deeply|deeper)/);
});

test('10k-deep nesting in block style (compact sequences and indented maps) is an error', () => {
  const seq = scan(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  k: ${'- '.repeat(10000)}x\n`);
  assert.equal(seq.summary.resources, 0);
  assert.match(seq.errors[0]!.message, /nests (too deeply|deeper)|invalid YAML/);
  // Indented block maps: depth 1000 is already far past the 200-level limit (10k would be a 50 MB file of spaces).
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: deep}', 'data:'];
  for (let i = 0; i < 1000; i++) lines.push(`${' '.repeat(2 + i)}k${i}:`);
  const map = scan(lines.join('\n') + ' v\n');
  assert.equal(map.summary.resources, 0);
  assert.match(map.errors[0]!.message, /nests (too deeply|deeper)/);
});

test('a 50 MB scalar is refused by the size limit with a clear error; an 8 MB scalar is scanned', async () => {
  const big = path.join(dir, 'big.yaml');
  writeFileSync(big, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: "${'x'.repeat(50 * 1024 * 1024)}"\n`);
  const load = await loadInputs([big]);
  assert.equal(load.resources.length, 0);
  assert.equal(load.errors.length, 1);
  assert.match(load.errors[0]!.message, /over the \d+ MiB limit; not evaluated/);
  assert.ok(DEFAULT_LIMITS.maxBytes < 50 * 1024 * 1024);
  // The same limit holds for text that does not come from a file (stdin).
  const fromStdin = loadText(`data: "${'x'.repeat(DEFAULT_LIMITS.maxBytes)}"\n`, '<stdin>');
  assert.match(fromStdin.errors[0]!.message, /larger than the \d+ MiB limit/);
  const r = scan(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mid}\ndata:\n  blob: "${'y'.repeat(8 * 1024 * 1024)}"\n`);
  assert.equal(r.summary.resources, 1);
  assert.deepEqual(r.errors, []);
});

test('binary junk is an error naming the file, not a parse attempt', () => {
  let seed = 42;
  const bytes = Buffer.alloc(64 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
  const r = scan(bytes.toString('latin1'), 'junk.yaml');
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0]!.file, 'junk.yaml');
  assert.match(r.errors[0]!.message, /binary/);
});

test('invalid UTF-8 is an error naming the line (the cluster would refuse it), not a silent replacement', async () => {
  const f = path.join(dir, 'latin1.yaml');
  writeFileSync(f, Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: enc}\ndata:\n  a: "caf'), Buffer.from([0xe9, 0xff, 0xfe]), Buffer.from('"\n')]));
  const load = await loadInputs([f]);
  assert.equal(load.resources.length, 0);
  assert.deepEqual(load.errors.map((e) => [e.line, e.message]), [[5, 'not valid UTF-8 (line 5); not evaluated']]);
});

test('UTF-8 with a BOM and UTF-16 (LE/BE, with BOM) are decoded like Kubernetes does', async () => {
  const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bom}\n';
  const le = Buffer.from(doc, 'utf16le');
  const be = Buffer.from(le);
  be.swap16();
  const files: [string, Buffer][] = [
    ['utf8bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc)])],
    ['utf16le.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
    ['utf16be.yaml', Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
  ];
  for (const [name, bytes] of files) {
    writeFileSync(path.join(dir, name), bytes);
    const load = await loadInputs([path.join(dir, name)]);
    assert.deepEqual(load.errors, [], name);
    assert.deepEqual(load.resources.map((r) => r.name), ['bom'], name);
  }
});

test('wrong field types never throw in any built-in rule', () => {
  const docs = [
    'apiVersion: v1\nkind: Pod\nmetadata: 5\nspec: null\n',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: s}\nspec:\n  containers: "x"\n',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: t, labels: [a], annotations: "x"}\nspec:\n  securityContext: []\n  containers:\n  - name: c\n    image: 5\n    securityContext: []\n    ports: "80"\n    env: {a: b}\n    resources: {limits: [1]}\n    volumeMounts: 7\n  - "str"\n  - null\n  volumes: {a: 1}\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: [x]}\nspec:\n  template: "t"\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: e}\nspec:\n  template:\n    metadata: []\n    spec:\n      automountServiceAccountToken: "yes"\n      hostNetwork: "true"\n      containers:\n      - {name: c, image: [a], securityContext: {runAsUser: "0", capabilities: {drop: "ALL", add: 5}, privileged: "true"}}\n',
    'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec: {jobTemplate: {spec: {template: {spec: {containers: [{}], initContainers: {}}}}}}\n',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules: "all"\n',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\nsubjects: 5\nroleRef: []\n',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec: {podSelector: [], ingress: "x", egress: [5]}\n',
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: ns, labels: {pod-security.kubernetes.io/enforce: 5}}\n',
    'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: [1, 2]\nstringData: 7\n',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {selector: "app", ports: {a: 1}}\n',
  ];
  const r = scan(docs.join('---\n'));
  assert.equal(r.summary.resources, docs.length);
});

test('non-object documents and objects without apiVersion/kind are skipped with a note (exit unaffected)', () => {
  const r = scan('- just\n- a list\n---\nfoo: bar\n---\n"scalar"\n---\n' + POD);
  assert.deepEqual(r.errors, []);
  assert.equal(r.skipped.length, 3);
  assert.ok(r.skipped.every((s) => !s.failsClosed));
  assert.deepEqual(r.skipped.map((s) => s.line), [1, 4, 6]);
  assert.equal(r.summary.notEvaluated, 0);
});

test('List and *List kinds are expanded; a List whose items is not a list is an error', () => {
  const r = scan(`apiVersion: v1\nkind: List\nitems:\n- ${POD.replace(/\n/g, '\n  ').trimEnd()}\n---\napiVersion: v1\nkind: PodList\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: two}, spec: {containers: []}}\n- 7\n- {foo: bar}\n---\napiVersion: v1\nkind: List\nitems: "x"\n`);
  assert.equal(r.summary.resources, 2);
  assert.deepEqual(
    r.errors.map((e) => [e.line, e.message]),
    [
      [15, 'PodList item 1 is not an object'],
      [20, 'List.items is not a list; its objects cannot be evaluated'],
    ],
  );
  assert.equal(r.skipped.length, 1, 'the item without apiVersion/kind is a note');
});

test('JSON input (single object and List) is read with positions', () => {
  const r = scan('{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [\n    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}}\n  ]\n}\n', 'in.json');
  assert.equal(r.summary.resources, 1);
  assert.deepEqual(r.errors, []);
});

test('a Helm template source is skipped with a hint and fails the run closed', () => {
  const r = scan('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "x.fullname" . }}\nspec:\n  replicas: {{ .Values.replicas }}\n', 'templates/deploy.yaml');
  assert.equal(r.skipped.length, 1);
  assert.equal(r.skipped[0]!.failsClosed, true);
  assert.match(r.skipped[0]!.hint ?? '', /helm template .* \| rampart scan -/);
  assert.equal(exitCodeFor(r.summary, r.findings, 'never'), 2);
});

test('`{{` inside quoted strings (alert templates) is data, not a Helm template', () => {
  const r = scan('apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: p}\nspec:\n  groups:\n  - rules:\n    - alert: Down\n      annotations:\n        summary: "{{ $labels.job }} is down"\n');
  assert.equal(r.summary.resources, 1);
  assert.deepEqual(r.skipped, []);
});

test('invalid YAML in one file: error names file and line, other files still scan, exit 2', async () => {
  const d = path.join(dir, 'mixed');
  mkdirSync(d);
  writeFileSync(path.join(d, 'a-good.yaml'), POD);
  writeFileSync(path.join(d, 'b-bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: indent\n');
  writeFileSync(path.join(d, 'c-good.yml'), POD.replace('name: ok', 'name: ok2'));
  const load = await loadInputs([d]);
  assert.deepEqual(load.resources.map((r) => r.name), ['ok', 'ok2']);
  assert.equal(load.errors.length, 1);
  assert.ok(load.errors[0]!.file.endsWith('b-bad.yaml'));
  assert.equal(load.errors[0]!.line, 4);
  assert.match(load.errors[0]!.message, /^invalid YAML: .*\(and 1 more parse errors in this document\)$/);
  const cli = runCli(['scan', d, '-o', 'json', '--no-config', '--fail-on', 'never']);
  assert.equal(cli.status, 2);
  const report = JSON.parse(cli.stdout);
  assert.equal(report.summary.resources, 2);
  assert.equal(report.errors[0].line, 4);
});

test('an unreadable file (dangling symlink) and a missing path are errors, not silent skips', async () => {
  const d = path.join(dir, 'links');
  mkdirSync(d);
  writeFileSync(path.join(d, 'ok.yaml'), POD);
  symlinkSync(path.join(d, 'does-not-exist.yaml'), path.join(d, 'dangling.yaml'));
  const load = await loadInputs([d, path.join(dir, 'no-such-dir')]);
  assert.equal(load.resources.length, 1);
  const msgs = load.errors.map((e) => `${path.basename(e.file)}: ${e.message}`);
  assert.equal(msgs.length, 2, msgs.join('\n'));
  assert.match(msgs[0]!, /^dangling\.yaml: cannot read file/);
  assert.match(msgs[1]!, /^no-such-dir: cannot read: no such file or directory/);
});

test('an unreadable file given explicitly (a directory named .yaml) is an error', async () => {
  const d = path.join(dir, 'dir.yaml');
  mkdirSync(d);
  const load = await loadInputs([path.join(dir, 'dangling-explicit.yaml')]);
  assert.equal(load.errors.length, 1);
  assert.match(load.errors[0]!.message, /cannot read/);
});

test('stdin `-` is scanned like a file', () => {
  const cli = runCli(['scan', '-', '-o', 'json', '--no-config', '--fail-on', 'never'], POD + '---\nfoo: bar\n');
  assert.equal(cli.status, 0, cli.stderr);
  const report = JSON.parse(cli.stdout);
  assert.equal(report.summary.resources, 1);
  assert.ok(report.findings.every((f: { location: { file: string } }) => f.location.file === '<stdin>'));
  assert.equal(report.skipped[0].file, '<stdin>');
});

test('stdin with invalid UTF-8 is an error too (exit 2)', () => {
  const r = spawnSync(process.execPath, ['bin/rampart.js', 'scan', '-', '--no-config', '-o', 'json'], {
    input: Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]),
    encoding: 'utf8',
  });
  assert.equal(r.status, 2);
  assert.deepEqual(JSON.parse(r.stdout).errors, [{ file: '<stdin>', line: 3, message: 'not valid UTF-8 (line 3); not evaluated' }]);
});

test('non-Kubernetes YAML alone: skipped note, exit 0', () => {
  const cli = runCli(['scan', '-', '--no-config'], 'replicaCount: 2\nimage: {repository: nginx}\n');
  assert.equal(cli.status, 0, cli.stdout + cli.stderr);
  assert.match(cli.stdout, /skipped {2}<stdin>:1 {2}not a Kubernetes object/);
});

test('duplicate keys are an error at the second key (Kubernetes rejects them; tools disagree on which wins)', () => {
  const r = scan('apiVersion: v1\nkind: Pod\nmetadata: {name: dup}\nspec:\n  containers: []\n  containers: [{name: x, image: y, securityContext: {privileged: true}}]\n---\n' + POD);
  assert.deepEqual(r.errors.map((e) => [e.line, e.column]), [[6, 3]]);
  assert.match(r.errors[0]!.message, /duplicate key "containers"/);
  assert.deepEqual(r.summary.resources, 1, 'the other document is still scanned');
});

test('a mapping with 50k keys is checked for duplicates in linear time (no quadratic hang)', () => {
  const keys = Array.from({ length: 50_000 }, (_, i) => `  k${i}: v`).join('\n');
  const r = scan(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wide}\ndata:\n${keys}\n`);
  assert.equal(r.summary.resources, 1);
  assert.deepEqual(r.errors, []);
});

test('YAML tags (!!binary, !!set, unknown local tags) do not crash and do not invent values', () => {
  const r = scan('apiVersion: v1\nkind: Pod\nmetadata: {name: !!binary aGVsbG8=}\nspec: !!set {a, b}\n---\napiVersion: !custom v1\nkind: Pod\nmetadata: {name: q}\n');
  assert.equal(r.summary.resources, 2);
  assert.deepEqual(r.errors, []);
});

test('50k empty documents and 20k objects in one file finish and are counted', () => {
  assert.equal(scan('---\n'.repeat(50_000)).summary.resources, 0);
  const many = Array.from({ length: 20_000 }, (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n`).join('');
  assert.equal(scan(many).summary.resources, 20_000);
});

test('a null item in a List is skipped as kubectl skips it, not an error', () => {
  const r = scan(`apiVersion: v1\nkind: List\nitems:\n- null\n-\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n`);
  assert.deepEqual(r.errors, []);
  assert.equal(r.summary.resources, 1);
});
