// Probe relsec/14: 50,000 small privileged Pods (6.8 MB) gave three quarters of a million findings,
// and the JSON report no longer fit in one string: the scan crashed with no report. The report is now
// written piece by piece; it must be complete, valid JSON, and the exit code must say "findings".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { jsonReport } from '../../src/reports/json.js';
import { runEngine } from '../../src/engine/run.js';
import { loadText } from '../../src/input/files.js';
import { builtinRules } from '../../src/rules/index.js';

const pods = (n: number) => Array.from({ length: n }, (_, i) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec:\n  containers: [{name: c, image: nginx, securityContext: {privileged: true}}]\n`).join('');

test('the JSON report in pieces equals the report as one string', () => {
  const report = runEngine(loadText(pods(20), 'pods.yaml'), { rules: builtinRules });
  const ctx = { rules: new Map(builtinRules.map((r) => [r.meta.id, r.meta])), color: false };
  const parts = [...jsonReport.chunks!(report, ctx)];
  // A few findings per piece, never the whole list in one string.
  assert.ok(parts.length > report.findings.length / 32, 'one piece per 32 findings at least');
  assert.equal(parts.join(''), JSON.stringify(JSON.parse(jsonReport(report, ctx)), null, 2) + '\n');
});

test('probe 14: 50,000 privileged Pods give a complete JSON report (exit 1), not a crash', { timeout: 900_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-many-'));
  try {
    const input = path.join(dir, 'pods.yaml');
    writeFileSync(input, pods(50_000));
    const out = path.join(dir, 'r.json');
    const r = spawnSync(process.execPath, ['bin/rampart.js', 'scan', input, '-o', 'json', '--output', out, '--no-config'], { encoding: 'utf8', timeout: 850_000 });
    assert.equal(r.status, 1, `exit ${r.status}: ${r.stderr.slice(0, 500)}`);
    assert.ok(!/internal error|RangeError/.test(r.stderr), r.stderr.slice(0, 500));
    // Too large to parse in one piece here as well: check the shape by streaming through it.
    let head = '';
    let tail = '';
    let objects = 0;
    let carry = '';
    for await (const chunk of createReadStream(out, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      if (head.length < 4096) head += chunk;
      tail = (tail + chunk).slice(-4096);
      // Findings can straddle two chunks: count each match once, by where it ends.
      const text = carry + chunk;
      for (const m of text.matchAll(/\n {4}\{\n {6}"ruleId"/g)) if (m.index + m[0].length > carry.length) objects++;
      carry = text.slice(-64);
    }
    const at = head.indexOf('"summary": ') + 11;
    const summary = JSON.parse(head.slice(at, head.indexOf('\n  },\n', at) + 4));
    assert.equal(summary.resources, 50_000);
    assert.equal(objects, summary.findings + summary.suppressed);
    assert.ok(summary.bySeverity.critical >= 50_000, 'every pod is reported privileged');
    assert.match(tail, /\n {2}"skipped": \[\]\n\}\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
