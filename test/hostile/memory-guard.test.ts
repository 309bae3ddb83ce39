// A scan too big for the heap stops reading before the limit, evaluates what it read, writes the
// report and names every input it did not read (exit 2): never an out-of-memory death.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const BIN = path.resolve('bin/rampart.js');
let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rampart-memory-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function scan(heapMb: number, input: string) {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, BIN, 'scan', input, '-o', 'json', '--no-config', '--no-render', '--fail-on', 'never'], {
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 512 * 1024 * 1024,
  });
  return r;
}

test('a small heap: reading stops in time, the report is written and names every file not read (exit 2)', () => {
  const d = path.join(dir, 'many');
  mkdirSync(d);
  const FILES = 40;
  // Distinct values: the reader keeps one copy of repeated strings, so equal values would barely fill the heap.
  const doc = (f: number, i: number) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${f}-${i}, namespace: n}\ndata:\n  k: "${f}-${i}-${'v'.repeat(400)}"\n`;
  for (let f = 0; f < FILES; f++) writeFileSync(path.join(d, `f${String(f).padStart(2, '0')}.yaml`), Array.from({ length: 2000 }, (_, i) => doc(f, i)).join(''));
  const r = scan(128, d);
  assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr.slice(-500)}`);
  assert.equal(r.status, 2, r.stderr.slice(-500));
  const report = JSON.parse(r.stdout);
  const skipped = report.errors.filter((e: { message: string }) => /memory limit reached/.test(e.message));
  const read = new Set(report.findings.map((f: { location: { file: string } }) => f.location.file));
  console.log(`memory guard at 128 MiB heap: ${report.summary.resources} resources read from ${FILES - skipped.length} files, ${skipped.length} files named as not evaluated`);
  assert.ok(skipped.length > 0, 'the guard tripped');
  assert.ok(report.summary.resources > 0, 'what was read was evaluated');
  assert.equal(report.summary.resources + skipped.length * 2000, FILES * 2000, 'every object was either evaluated or its file named');
  for (const e of skipped) assert.ok(!read.has(e.file));
});
