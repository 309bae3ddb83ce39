// Helm and Kustomize inputs: rendered with the real tools, findings mapped back to the file to edit.
// Fixtures: test/fixtures/render/ (a chart, a chart that fails to render, a base and three overlays).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, copyFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadInputs } from '../../src/input/files.js';
import { RenderSession, type RenderOptions } from '../../src/input/render/index.js';
import { findHelm, runTool } from '../../src/input/render/tools.js';
import { runEngine } from '../../src/engine/run.js';
import { builtinRules } from '../../src/rules/index.js';
import type { Finding } from '../../src/engine/finding.js';

const F = 'test/fixtures/render';
const RULE = 'workload/read-only-root-fs';
const rules = builtinRules.filter((r) => r.meta.id === RULE);

before(() => {
  // A private cache so tests neither read stale renders nor leave entries in the user's cache.
  process.env.RAMPART_CACHE_DIR = mkdtempSync(path.join(os.tmpdir(), 'rampart-render-test-'));
});
after(() => {
  if (process.env.RAMPART_CACHE_DIR) rmSync(process.env.RAMPART_CACHE_DIR, { recursive: true, force: true });
});

async function scan(input: string | string[], opts: RenderOptions | RenderSession = {}) {
  const load = await loadInputs(Array.isArray(input) ? input : [input], undefined, opts);
  const report = runEngine(load, { rules });
  return { load, report };
}

interface Expect {
  name: string;
  input: string;
  opts?: RenderOptions;
  path: string;
  file: string;
  line: number;
  column: number;
  mapping: 'exact' | 'guess';
  rendered?: { file: string; line: number; column?: number };
}

const invalid: Expect[] = [
  {
    name: 'helm: toYaml of a values block points at the key in values.yaml',
    input: `${F}/web`,
    path: '/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem',
    file: `${F}/web/values.yaml`,
    line: 8,
    column: 3,
    mapping: 'exact',
    rendered: { file: `${F}/web/templates/deployment.yaml`, line: 39, column: 13 },
  },
  {
    name: 'helm: a literal in a template points at the template line',
    input: `${F}/web`,
    path: '/spec/template/spec/initContainers/0/securityContext/readOnlyRootFilesystem',
    file: `${F}/web/templates/deployment.yaml`,
    line: 21,
    column: 13,
    mapping: 'exact',
    rendered: { file: `${F}/web/templates/deployment.yaml`, line: 34, column: 13 },
  },
  {
    name: 'helm: a field missing from a template points at the template item to add it to',
    input: `${F}/web`,
    path: '/spec/template/spec/containers/0',
    file: `${F}/web/templates/job.yaml`,
    line: 10,
    column: 9,
    mapping: 'exact',
  },
  {
    name: 'helm: a value from --values overriding values.yaml points at the --values file',
    input: `${F}/web`,
    opts: { values: [`${F}/web/values-prod.yaml`] },
    path: '/spec/template/spec/containers/1/securityContext/readOnlyRootFilesystem',
    file: `${F}/web/values-prod.yaml`,
    line: 4,
    column: 3,
    mapping: 'exact',
  },
  {
    name: 'helm: a value from --set is a best guess at the values.yaml key it overrides',
    input: `${F}/web`,
    opts: { set: ['sidecar.readOnlyRootFilesystem=false'] },
    path: '/spec/template/spec/containers/1/securityContext/readOnlyRootFilesystem',
    file: `${F}/web/values.yaml`,
    line: 12,
    column: 3,
    mapping: 'guess',
  },
  {
    name: 'kustomize: a strategic-merge patch that set the field',
    input: `${F}/kustomize/overlay-smp`,
    path: '/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem',
    file: `${F}/kustomize/overlay-smp/debug-patch.yaml`,
    line: 12,
    column: 13,
    mapping: 'exact',
    rendered: { file: `${F}/kustomize/overlay-smp (kustomize build)`, line: 21, column: 11 },
  },
  {
    name: 'kustomize: a JSON 6902 patch file points at the op value',
    input: `${F}/kustomize/overlay-json6902`,
    path: '/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem',
    file: `${F}/kustomize/overlay-json6902/writable-root.json6902.yaml`,
    line: 3,
    column: 3,
    mapping: 'exact',
  },
  {
    name: 'kustomize: an inline JSON 6902 patch points inside the kustomization',
    input: `${F}/kustomize/overlay-inline`,
    path: '/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem',
    file: `${F}/kustomize/overlay-inline/kustomization.yaml`,
    line: 12,
    column: 9,
    mapping: 'exact',
  },
  {
    name: 'kustomize: a base-only field points at the base resource (through an overlay)',
    input: `${F}/kustomize/overlay-json6902`,
    path: '/spec/template/spec/containers/1',
    file: `${F}/kustomize/base/deployment.yaml`,
    line: 21,
    column: 11,
    mapping: 'exact',
  },
];

for (const c of invalid) {
  test(c.name, async () => {
    const { report } = await scan(c.input, c.opts);
    assert.deepEqual(report.errors, [], 'renders without errors');
    const f = report.findings.find((x: Finding) => x.location.path === c.path);
    assert.ok(f, `a finding at ${c.path}; got ${report.findings.map((x) => x.location.path).join(', ')}`);
    assert.equal(f.location.file, c.file);
    assert.equal(f.location.line, c.line, 'line');
    assert.equal(f.location.column, c.column, 'column');
    assert.equal(f.location.mapping, c.mapping);
    assert.ok(f.rendered, 'rendered position is attached');
    if (c.rendered) {
      assert.equal(f.rendered.file, c.rendered.file);
      assert.equal(f.rendered.line, c.rendered.line, 'rendered line');
      if (c.rendered.column) assert.equal(f.rendered.column, c.rendered.column, 'rendered column');
    }
  });
}

test('helm: values.yaml alone keeps the sidecar read-only (valid), --values flips it (invalid)', async () => {
  const sidecar = '/spec/template/spec/containers/1/securityContext/readOnlyRootFilesystem';
  const plain = await scan(`${F}/web`);
  assert.equal(plain.report.findings.filter((f) => f.location.path.startsWith('/spec/template/spec/containers/1')).length, 0);
  const prod = await scan(`${F}/web`, { values: [`${F}/web/values-prod.yaml`] });
  assert.equal(prod.report.findings.filter((f) => f.location.path === sidecar).length, 1);
});

test('kustomize: the base alone has only the base-only finding; resources carry the base file', async () => {
  const { report, load } = await scan(`${F}/kustomize/base`);
  assert.deepEqual(report.findings.map((f) => `${f.location.path} ${f.location.file}:${f.location.line}`), [`/spec/template/spec/containers/1 ${F}/kustomize/base/deployment.yaml:21`]);
  assert.equal(load.resources[0]!.file, `${F}/kustomize/base/deployment.yaml`);
});

test('a plain directory renders every chart and buildable overlay inside it', async () => {
  const { load, report } = await scan(F);
  // web (Deployment + Service), broken (error), base + 3 overlays (1 Deployment each).
  assert.equal(load.resources.filter((r) => r.kind === 'Deployment').length, 5);
  assert.equal(report.errors.length, 1);
  assert.match(report.errors[0]!.message, /image\.repository must be set/);
});

test('a chart that fails to render is an error with helm\'s own message; the rest of the scan goes on', async () => {
  const { load, report } = await scan([`${F}/broken`, `${F}/kustomize/base`]);
  assert.equal(report.errors.length, 1);
  const e = report.errors[0]!;
  assert.equal(e.file, `${F}/broken`);
  assert.match(e.message, /^helm template failed: .*image\.repository must be set/);
  assert.equal(load.resources.length, 1, 'the overlay still rendered');
  assert.ok(report.summary.notEvaluated > 0, 'fails closed (exit 2)');
});

test('a missing renderer names what to install; a bad --helm is an error, not a crash', async () => {
  const { report } = await scan(`${F}/web`, { helm: `${F}/no-such-helm` });
  assert.equal(report.errors.length, 1);
  assert.match(report.errors[0]!.message, /--helm .*no-such-helm: not an executable file/);
  const k = await scan(`${F}/kustomize/base`, { kubectl: `${F}/no-such-kubectl` });
  assert.match(k.report.errors[0]!.message, /--kubectl .*not an executable file/);
});

test('no renderer at all: the error names what to install (exit 2), the scan goes on', async () => {
  const saved = { PATH: process.env.PATH, B: process.env.RAMPART_BUNDLED_RENDERERS };
  process.env.PATH = '';
  process.env.RAMPART_BUNDLED_RENDERERS = '0';
  try {
    const { report } = await scan([`${F}/web`, `${F}/kustomize/base`]);
    const msgs = report.errors.map((e) => e.message);
    assert.equal(msgs.length, 2);
    assert.match(msgs[0]!, /no helm found\. Install Helm .* put it on PATH, pass --helm PATH/);
    assert.match(msgs[1]!, /neither kubectl nor kustomize found\. Install kubectl .*--kubectl PATH/);
    assert.ok(report.summary.notEvaluated >= 2);
  } finally {
    process.env.PATH = saved.PATH;
    if (saved.B === undefined) delete process.env.RAMPART_BUNDLED_RENDERERS;
    else process.env.RAMPART_BUNDLED_RENDERERS = saved.B;
  }
});

test('--no-render: a chart directory is scanned as files (templates are skipped, fail closed)', async () => {
  const load = await loadInputs([`${F}/web`], undefined, false);
  assert.equal(load.resources.length, 0);
  assert.ok(load.skipped.some((s) => s.failsClosed && /Helm template source/.test(s.reason)));
});

test('renders are cached by content hash: the second scan runs no renderer', async () => {
  const s1 = new RenderSession({});
  await loadInputs([`${F}/web`, `${F}/kustomize/overlay-smp`], undefined, s1);
  const s2 = new RenderSession({});
  const load = await loadInputs([`${F}/web`, `${F}/kustomize/overlay-smp`], undefined, s2);
  assert.equal(s2.renders, s2.cacheHits, `all ${s2.renders} renders were cache hits`);
  assert.ok(load.resources.length >= 3);
  // A changed values file changes the key.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-values-'));
  try {
    copyFileSync(`${F}/web/values-prod.yaml`, path.join(dir, 'v.yaml'));
    const s3 = new RenderSession({ values: [path.join(dir, 'v.yaml')] });
    await loadInputs([`${F}/web`], undefined, s3);
    assert.equal(s3.cacheHits, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a packaged chart (.tgz) renders; locations name files inside the archive', async () => {
  const helm = findHelm();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-tgz-'));
  try {
    mkdirSync(dir, { recursive: true });
    const r = await runTool(helm, ['package', `${F}/web`, '--destination', dir], { timeoutMs: 60_000 });
    assert.ok(r.ok, r.stderr);
    const tgz = path.join(dir, 'web-0.1.0.tgz');
    const { report } = await scan(tgz);
    assert.deepEqual(report.errors, []);
    const f = report.findings.find((x) => x.location.path === '/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem');
    assert.ok(f);
    assert.ok(f.location.file.endsWith('web-0.1.0.tgz!/values.yaml'), f.location.file);
    assert.equal(f.location.line, 8);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the annotated-build reader agrees with a full YAML parse (quoted names, block scalars, big bodies)', async () => {
  const { scanAnnotated } = await import('../../src/input/render/index.js');
  const { parseYaml } = await import('../../src/input/yaml.js');
  const text = [
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    alpha.config.kubernetes.io/transformations: |\n      - configuredIn: ../a/kustomization.yaml\n        configuredBy:\n          apiVersion: builtin\n          kind: PatchTransformer\n    config.kubernetes.io/origin: |\n      path: ../a/cm.yaml\n    other: x\n  name: "cm-1"\n  namespace: \'shop\'\ndata:\n  k: |\n    kind: NotMe\n    name: nope\n',
    '---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  annotations:\n    config.kubernetes.io/origin: |\n      path: crd.yaml\n  name: things.example.com\nspec:\n' + Array.from({ length: 1000 }, (_, i) => `  x${i}: 1\n`).join(''),
    '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: plain\n',
  ].join('');
  const fast = scanAnnotated(text);
  const full = parseYaml(text, 't').documents.map((d) => d.value as Record<string, any>);
  assert.equal(fast.length, full.length);
  fast.forEach((d, i) => {
    assert.equal(d.object.kind, full[i]!.kind);
    assert.equal((d.object.metadata as any).name, full[i]!.metadata.name);
    assert.equal((d.object.metadata as any).namespace, full[i]!.metadata.namespace);
    for (const k of ['config.kubernetes.io/origin', 'alpha.config.kubernetes.io/transformations']) {
      assert.equal(d.annotations[k]?.trim(), full[i]!.metadata.annotations?.[k]?.trim(), `${i} ${k}`);
    }
  });
});
