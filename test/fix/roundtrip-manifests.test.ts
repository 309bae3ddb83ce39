// `fix` round trip over real data. Plain manifests (all of ../shared/corpus/real-world) are fixed in
// memory with the same layer the CLI uses; charts and overlays (copies of every chart and overlay)
// through the built CLI (roundtrip-rendered.test.ts). Checked: (a) every line outside the edits is byte-identical, (b) each edited
// document parses to the original plus exactly the planned ops, (c) a second fix changes no byte,
// (d) every finding reported fixed is gone by identity, (e) no may-break fix without the flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadText } from '../../src/input/files.js';
import { runEngine } from '../../src/engine/run.js';
import { builtinRules } from '../../src/rules/index.js';
import { KUBERNETES_YAML_OPTIONS } from '../../src/input/yaml.js';
import { applyOps, fixText, jsonEqual, stillPresent, type TextFixResult } from '../../src/fix/index.js';
import { diffLines } from '../../src/fix/diff.js';
import type { Finding } from '../../src/engine/finding.js';
import type { JsonValue } from '../../src/model/types.js';

const CORPUS = path.resolve('../shared/corpus');
const REAL = path.join(CORPUS, 'real-world');
const classOf = (id: string) => builtinRules.find((r) => r.meta.id === id)?.meta.fixClass;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.(ya?ml|json)$/i.test(e.name)) out.push(p);
  }
  return out.sort();
}

function scan(text: string, file: string) {
  const load = loadText(text, file);
  const report = runEngine(load, { rules: builtinRules });
  return { load, findings: report.findings.filter((f) => !f.suppressed) };
}

/** Original line numbers an edit touches (an insertion at a line start touches none). */
function touchedLines(text: string, edits: TextFixResult['edits']): Set<number> {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const lineOf = (off: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= off) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const out = new Set<number>();
  for (const e of edits) {
    if (e.start === e.end && starts.includes(e.start)) continue;
    for (let l = lineOf(e.start); l <= lineOf(Math.max(e.start, e.end - 1)); l++) out.add(l);
  }
  return out;
}

const docsOf = (text: string) => parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, uniqueKeys: false }).map((d) => d.toJS({ maxAliasCount: 1000 }) as JsonValue);

test('fix round trip: every plain manifest of the real-world corpus', { skip: !existsSync(REAL) && `SKIP: ${REAL} is absent` }, () => {
  const files = walk(REAL);
  const n = { files: files.length, changed: 0, docsEdited: 0, linesKept: 0, linesTouched: 0, fixed: 0, mayBreakSkipped: 0, safeApplied: 0, failed: 0, multiPass: 0 };
  const problems: string[] = [];
  for (const abs of files) {
    const rel = path.relative(CORPUS, abs);
    const json = abs.endsWith('.json');
    const original = readFileSync(abs, 'utf8');
    let { load, findings } = scan(original, rel);
    if (load.errors.length) continue;
    // (e) Without the flag only safe fixes are written.
    const safe = fixText(original, load.resources, findings, { classOf, json });
    for (const op of safe.applied) if (op.planned.fixClass !== 'safe') problems.push(`${rel}: may-break op ${op.path} applied without the flag`);
    n.safeApplied += safe.applied.length;
    n.mayBreakSkipped += safe.skipped.filter((s) => s.reason === 'may-break').length;
    // With --include may-break, to the fixed point.
    let text = original;
    const fixed: Finding[] = [];
    let passes = 0;
    for (; passes < 5; passes++) {
      const r = fixText(text, load.resources, findings, { classOf, json, include: ['safe', 'may-break'] });
      n.failed += r.failed.length;
      if (r.text === text) break;
      // (a) Lines outside the edits are byte-identical: the diff removes only touched lines.
      const touched = touchedLines(text, r.edits);
      const script = diffLines(text.split('\n'), r.text.split('\n'));
      let line = 0;
      for (const d of script) {
        if (d.t === '-' && !touched.has(line)) problems.push(`${rel}: line ${line + 1} changed outside the edits`);
        if (d.t !== '+') line++;
      }
      n.linesTouched += touched.size;
      // (b) Each document reads back as the original plus exactly the applied ops.
      const before = docsOf(text);
      const after = docsOf(r.text);
      before.forEach((doc, i) => {
        const ops = r.applied.filter((o) => o.docIndex === i);
        if (ops.length) n.docsEdited++;
        if (!jsonEqual(after[i], applyOps(doc, ops))) problems.push(`${rel}: document ${i + 1} is not the original plus its planned ops`);
      });
      fixed.push(...r.fixed);
      text = r.text;
      ({ load, findings } = scan(text, rel));
    }
    if (passes > 1) n.multiPass++;
    // (c) A further pass changes nothing.
    const again = fixText(text, load.resources, findings, { classOf, json, include: ['safe', 'may-break'] });
    if (again.text !== text) problems.push(`${rel}: not at a fixed point after ${passes} passes`);
    // (d) Every finding reported fixed is gone by identity.
    for (const f of fixed) if (stillPresent(f, findings)) problems.push(`${rel}: ${f.ruleId} ${f.location.path} reported fixed but still present`);
    n.fixed += fixed.length;
    if (text !== original) {
      n.changed++;
      n.linesKept += diffLines(original.split('\n'), text.split('\n')).filter((d) => d.t === ' ').length;
    }
  }
  console.log(`fix round trip (real-world, all plain manifests): ${JSON.stringify(n)}; problems: ${problems.length}`);
  assert.deepEqual(problems.slice(0, 20), []);
  assert.ok(n.fixed > 0 && n.changed > 0);
});

