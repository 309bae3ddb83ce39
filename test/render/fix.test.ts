// `rampart fix` on charts, overlays and plain YAML: edits the mapped source, keeps comments, and the
// re-render shows the finding gone. Runs the built CLI (npm test builds first) on copies of the fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

const BIN = path.resolve('bin/rampart.js');
const F = path.resolve('test/fixtures/render');

function inCopy(fn: (dir: string) => void) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-fix-'));
  const cache = mkdtempSync(path.join(os.tmpdir(), 'rampart-fix-cache-'));
  try {
    cpSync(path.join(F, 'web'), path.join(dir, 'web'), { recursive: true });
    cpSync(path.join(F, 'kustomize'), path.join(dir, 'kustomize'), { recursive: true });
    // nginx writes to /var/cache/nginx: fix refuses a read-only root for it (tested below); these
    // cases are about where edits land, so the copy runs an image with no such needs.
    const values = path.join(dir, 'web/values.yaml');
    writeFileSync(values, readFileSync(values, 'utf8').replace('image: nginx:1.27', 'image: shop/web:1.0'));
    process.env.RAMPART_CACHE_DIR = cache;
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}

function rampart(dir: string, ...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env } });
}

const cases: { name: string; input: string; file: string; before: RegExp; after: RegExp; keeps: RegExp }[] = [
  { name: 'helm values block (toYaml)', input: 'web', file: 'web/values.yaml', before: /readOnlyRootFilesystem: false/, after: /runAsNonRoot: true\n  readOnlyRootFilesystem: true/, keeps: /# Copied into the web container with toYaml\./ },
  { name: 'helm template literal', input: 'web', file: 'web/templates/deployment.yaml', before: /name: migrate[\s\S]*readOnlyRootFilesystem: false/, after: /name: migrate[\s\S]*?readOnlyRootFilesystem: true/, keeps: /\{\{- toYaml \. \| nindent 12 \}\}/ },
  { name: 'helm template: a missing key is inserted under the item', input: 'web', file: 'web/templates/job.yaml', before: /- name: batch\n\s+image:/, after: /- name: batch\n {10}securityContext:\n {12}readOnlyRootFilesystem: true\n {10}image: \{\{ \.Values\.image \}\}/, keeps: /args: \["migrate"\]/ },
  { name: 'kustomize strategic-merge patch', input: 'kustomize/overlay-smp', file: 'kustomize/overlay-smp/debug-patch.yaml', before: /readOnlyRootFilesystem: false/, after: /readOnlyRootFilesystem: true/, keeps: /# Lets the api write its debug dumps\./ },
  { name: 'kustomize JSON 6902 patch', input: 'kustomize/overlay-json6902', file: 'kustomize/overlay-json6902/writable-root.json6902.yaml', before: /value: false/, after: /readOnlyRootFilesystem\n  value: true/, keeps: /path: \/spec\/replicas/ },
  { name: 'kustomize base-only field', input: 'kustomize/base', file: 'kustomize/base/deployment.yaml', before: /name: metrics\n\s+image: shop\/metrics:1\.0\n?$/, after: /name: metrics\n\s+image: shop\/metrics:1\.0\n\s+securityContext:\n\s+readOnlyRootFilesystem: true/, keeps: /# The api as the base ships it\./ },
];

for (const c of cases) {
  test(`fix: ${c.name}`, () => {
    inCopy((dir) => {
      const file = path.join(dir, c.file);
      assert.match(readFileSync(file, 'utf8'), c.before);
      const dry = rampart(dir, 'fix', c.input, '--rule', 'workload/read-only-root-fs', '--include', 'may-break', '--dry-run');
      assert.equal(dry.status, 0, dry.stderr);
      assert.match(dry.stdout, new RegExp(`--- ${c.file.replace(/[.+]/g, '\\$&')}`));
      assert.match(readFileSync(file, 'utf8'), c.before, 'dry run writes nothing');
      const r = rampart(dir, 'fix', c.input, '--rule', 'workload/read-only-root-fs', '--include', 'may-break');
      const after = readFileSync(file, 'utf8');
      assert.match(after, c.after);
      assert.match(after, c.keeps, 'comments and template text survive');
      assert.match(r.stdout, /[1-9]\d* finding\(s\) fixed and verified, 0 still present/);
      const again = rampart(dir, 'fix', c.input, '--rule', 'workload/read-only-root-fs', '--include', 'may-break');
      assert.equal(readFileSync(file, 'utf8'), after, 'a second run changes no byte');
      assert.equal(again.status, 0, again.stderr);
      const rescan = rampart(dir, 'scan', c.input, '--rule', 'workload/read-only-root-fs', '-o', 'json', '--fail-on', 'never');
      const findings = JSON.parse(rescan.stdout).findings as { location: { file: string } }[];
      assert.ok(!findings.some((f) => f.location.file === c.file), `no finding left in ${c.file}`);
    });
  });
}

test('fix: plain YAML keeps comments; an inline patch is reported as not fixable, not guessed', () => {
  inCopy((dir) => {
    const plain = path.join(dir, 'pod.yaml');
    writeFileSync(plain, '# keep me\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c # the app\n      image: x\n');
    const r = rampart(dir, 'fix', 'pod.yaml', '--rule', 'workload/read-only-root-fs', '--include', 'may-break');
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(plain, 'utf8');
    assert.match(text, /# keep me/);
    assert.match(text, /- name: c # the app\n\s+image: x\n\s+securityContext:\n\s+readOnlyRootFilesystem: true/);
    const inline = rampart(dir, 'fix', 'kustomize/overlay-inline', '--rule', 'workload/read-only-root-fs', '--include', 'may-break');
    assert.match(inline.stderr, /not fixed: Deployment\/api workload\/read-only-root-fs \/spec\/template\/spec\/containers\/0\/\S+: no editable source .*fix it by hand/);
    // The overlay's base lies outside the path given: it is not written.
    assert.match(inline.stderr, /kustomize\/base\/deployment\.yaml is outside the given paths; not written/);
  });
});

test('fix: no read-only root for an image known to write to it without volumes there (nginx)', () => {
  inCopy((dir) => {
    writeFileSync(path.join(dir, 'nginx.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n');
    const before = readFileSync(path.join(dir, 'nginx.yaml'), 'utf8');
    const r = rampart(dir, 'fix', 'nginx.yaml', '--rule', 'workload/read-only-root-fs', '--include', 'may-break');
    assert.match(r.stderr, /image nginx:1\.27 writes to \/var\/cache\/nginx, \/var\/run and the pod mounts no volume there/);
    assert.equal(readFileSync(path.join(dir, 'nginx.yaml'), 'utf8'), before);
  });
});
