// Real charts and overlays nobody here wrote (../shared/corpus/charts, ../shared/corpus/kustomize):
// each renders and scans without a crash, every finding is located in a source file of its own chart
// or tree, every exact mapping lands on the key or item it names, and exact vs best-guess mappings
// are counted and printed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadInputs } from '../../src/input/files.js';
import { RenderSession, kustomizationFile, classify } from '../../src/input/render/index.js';
import { runEngine } from '../../src/engine/run.js';
import { builtinRules } from '../../src/rules/index.js';
import type { Finding } from '../../src/engine/finding.js';

const CHARTS = '../shared/corpus/charts';
const KUSTOMIZE = '../shared/corpus/kustomize';
/** The corpus README: external-dns needs values to render. */
const FAILS_WITH_DEFAULTS = new Set(['external-dns']);

const counts = { exact: 0, guess: 0 };
const perUnit: string[] = [];

before(() => {
  process.env.RAMPART_CACHE_DIR = mkdtempSync(path.join(os.tmpdir(), 'rampart-corpus-test-'));
});
after(() => {
  if (process.env.RAMPART_CACHE_DIR) rmSync(process.env.RAMPART_CACHE_DIR, { recursive: true, force: true });
  console.log(`\nsource mapping over the corpus: ${counts.exact} exact, ${counts.guess} best guess (${Math.round((100 * counts.exact) / Math.max(1, counts.exact + counts.guess))}% exact)`);
  for (const l of perUnit) console.log(`  ${l}`);
});

function tally(label: string, findings: Finding[]) {
  let e = 0;
  let g = 0;
  for (const f of findings) {
    if (f.location.mapping === 'exact') e++;
    else g++;
  }
  counts.exact += e;
  counts.guess += g;
  perUnit.push(`${label}: ${findings.length} findings, ${e} exact, ${g} guess`);
}

/** Errors that are not a rule's own failure (rules are other features; they report separately). */
function inputErrors(errors: { message: string }[]) {
  return errors.filter((e) => !/^rule \S+ (failed|could not evaluate)/.test(e.message));
}

/**
 * An exact mapping must land on the source's own text for the pointer: a key of the pointer
 * (`securityContext:`), a list item (`- name: x`, or an item in a flow list), the `value:` of a
 * JSON 6902 op, or the `images` entry of a kustomization.
 */
function assertExactLandsOnKey(f: Finding) {
  if (f.location.mapping !== 'exact') return;
  const line = readFileSync(f.location.file, 'utf8').split('\n')[f.location.line - 1] ?? '';
  const before = line.slice(0, f.location.column - 1);
  const at = line.slice(f.location.column - 1);
  const segs = f.location.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const onKey = segs.some((s) => at.startsWith(`${s}:`) || at.startsWith(`"${s}":`) || at.startsWith(`'${s}':`));
  const onItem = before.trimEnd().endsWith('-') || at.startsWith('-') || /[[,]\s*$/.test(before);
  // An image set by a kustomization's `images` entry lands on that entry's newTag/newName/digest.
  const onImages = segs[segs.length - 1] === 'image' && /kustomization\.ya?ml$|Kustomization$/.test(f.location.file) && /^(newTag|newName|digest|name):/.test(at);
  assert.ok(segs.length === 0 || onKey || onItem || onImages || at.startsWith('value:'), `${f.ruleId} ${f.location.path}: exact mapping ${f.location.file}:${f.location.line}:${f.location.column} lands on ${JSON.stringify(at.slice(0, 40))}`);
}

function assertInside(findings: Finding[], root: string) {
  const prefix = path.relative(process.cwd(), path.resolve(root)).split(path.sep).join('/');
  for (const f of findings) {
    assertExactLandsOnKey(f);
    assert.ok(f.location.file.startsWith(prefix + '/'), `${f.ruleId} at ${f.location.path} is located in ${f.location.file}, outside ${prefix}`);
    assert.ok(f.location.line >= 1 && f.location.column >= 1, `${f.location.file}:${f.location.line}:${f.location.column} is a position`);
    assert.ok(f.location.mapping === 'exact' || f.location.mapping === 'guess', 'says whether the mapping is exact');
    assert.ok(f.rendered && f.rendered.line >= 1, 'carries the rendered position');
  }
}

if (!existsSync(CHARTS) || !existsSync(KUSTOMIZE)) {
  console.warn(`\n!!! corpus folders ${CHARTS} / ${KUSTOMIZE} not found (run from the repo root next to shared/): corpus render tests SKIPPED !!!\n`);
  test('render corpus (skipped: corpus folder absent)', { skip: 'corpus folder absent' }, () => {});
} else {
  for (const chart of readdirSync(CHARTS).filter((n) => existsSync(path.join(CHARTS, n, 'Chart.yaml'))).sort()) {
    const dir = path.join(CHARTS, chart);
    const ci = existsSync(path.join(dir, 'ci')) ? readdirSync(path.join(dir, 'ci')).filter((n) => /\.ya?ml$/.test(n)).sort() : [];
    for (const values of [undefined, ...ci]) {
      const label = `chart ${chart}${values ? ` --values ci/${values}` : ''}`;
      test(label, async () => {
        const session = new RenderSession(values ? { values: [path.join(dir, 'ci', values)] } : {});
        const load = await loadInputs([dir], undefined, session);
        const report = runEngine(load, { rules: builtinRules });
        const errs = inputErrors(report.errors);
        if (!values && FAILS_WITH_DEFAULTS.has(chart)) {
          assert.equal(load.resources.length, 0);
          assert.equal(errs.length, 1, 'one clear error');
          assert.match(errs[0]!.message, /^helm template failed: /);
          assert.equal(errs[0]!.file, path.relative(process.cwd(), path.resolve(dir)).split(path.sep).join('/'));
          perUnit.push(`${label}: does not render with defaults: ${errs[0]!.message.split('\n')[0]}`);
          return;
        }
        assert.deepEqual(errs, [], 'renders and parses without errors');
        assert.ok(load.resources.length > 0, 'renders resources');
        assertInside(report.findings, dir);
        tally(label, report.findings);
      });
    }
  }

  // Every directory with a kustomization, as the corpus README lists them; Components are not buildable alone.
  const overlays: string[] = [];
  (function walk(d: string) {
    if (kustomizationFile(d)) overlays.push(d);
    for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(d, e.name));
  })(KUSTOMIZE);
  for (const dir of overlays.sort()) {
    const tree = path.join(KUSTOMIZE, path.relative(KUSTOMIZE, dir).split(path.sep)[0]!);
    const label = `overlay ${path.relative(KUSTOMIZE, dir)}`;
    test(label, async () => {
      const load = await loadInputs([dir], undefined, new RenderSession({}));
      const report = runEngine(load, { rules: builtinRules });
      assert.deepEqual(inputErrors(report.errors), [], 'builds without errors');
      if (classify(dir) === 'component') {
        assert.ok(load.skipped.some((s) => /Component/.test(s.reason)), 'a Component is noted, not built alone');
        return;
      }
      assert.ok(load.resources.length > 0, 'renders resources');
      assertInside(report.findings, tree);
      tally(label, report.findings);
    });
  }
}
