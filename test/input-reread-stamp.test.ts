// Reading a document back to locate a finding: a file whose times are older than RACY_MS before it
// was read is checked by its fstat stamp alone (no checksums taken while reading); a file written
// just before it was read keeps its checksums. Either way a file changed after reading is not used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_LIMITS, RACY_MS, parseYaml, releasePositions, sourceFile } from '../src/input/yaml.js';

const doc = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\ndata:\n  k: "${'v'.repeat(1200)}"\n`;

/** Writes `text` until the file's ctime moves (two writes within one clock tick share it: the racy case). */
function rewrite(f: string, text: string): void {
  const before = statSync(f).ctimeMs;
  do writeFileSync(f, text);
  while (statSync(f).ctimeMs === before);
}

function withFile(run: (f: string) => void): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-stamp-'));
  try {
    run(path.join(dir, 'a.yaml'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a settled file is read back while its stamp holds, and not once it was rewritten (same size) or replaced', () => {
  withFile((f) => {
    writeFileSync(f, `${doc('one')}---\n${doc('two')}`);
    const bytes = readFileSync(f);
    // Read "later": its times are then older than RACY_MS.
    const origin = sourceFile(f, bytes, {}, statSync(f), Date.now() + RACY_MS + 1000);
    assert.equal(origin.settled, true);
    const parsed = parseYaml(bytes.toString('utf8'), 'a.yaml', DEFAULT_LIMITS, origin);
    releasePositions();
    assert.deepEqual(parsed.documents[1]!.locate('/metadata/name'), { file: 'a.yaml', line: 11, column: 3, path: '/metadata/name' });
    assert.deepEqual(parsed.documents[0]!.locate('/data/k'), { file: 'a.yaml', line: 6, column: 3, path: '/data/k' });
    // Same size, other content: the stamp tells, and findings point at their document's start.
    rewrite(f, `${doc('uno')}---\n${doc('dos')}`);
    assert.equal(readFileSync(f).length, bytes.length);
    releasePositions();
    assert.deepEqual(parsed.documents[1]!.locate('/data/k'), { file: 'a.yaml', line: 7, column: 1, path: '/data/k' });
    assert.deepEqual(parsed.documents[0]!.locate('/data/k'), { file: 'a.yaml', line: 1, column: 1, path: '/data/k' });
  });
  withFile((f) => {
    writeFileSync(f, `${doc('one')}---\n${doc('two')}`);
    const bytes = readFileSync(f);
    const parsed = parseYaml(bytes.toString('utf8'), 'a.yaml', DEFAULT_LIMITS, sourceFile(f, bytes, {}, statSync(f), Date.now() + RACY_MS + 1000));
    // The same bytes in another file moved into its place (another inode).
    writeFileSync(f + '.new', bytes);
    renameSync(f + '.new', f);
    releasePositions();
    assert.deepEqual(parsed.documents[1]!.locate('/data/k'), { file: 'a.yaml', line: 7, column: 1, path: '/data/k' });
  });
});

test('a file written just before it was read keeps its checksums: a change its stamp cannot show is still caught', () => {
  withFile((f) => {
    writeFileSync(f, `${doc('one')}---\n${doc('two')}`);
    const bytes = readFileSync(f);
    const st = statSync(f);
    const origin = sourceFile(f, bytes, {}, st);
    assert.equal(origin.settled, false);
    const parsed = parseYaml(bytes.toString('utf8'), 'a.yaml', DEFAULT_LIMITS, origin);
    releasePositions();
    assert.deepEqual(parsed.documents[1]!.locate('/metadata/name'), { file: 'a.yaml', line: 11, column: 3, path: '/metadata/name' });
    // A write within the same clock tick leaves the stamp as it was: simulated by handing the
    // rewritten file's own stamp to the reader, so only the checksum can tell.
    rewrite(f, `${doc('uno')}---\n${doc('dos')}`);
    const now = statSync(f);
    origin.stamp = { dev: now.dev, ino: now.ino, mtimeMs: now.mtimeMs, ctimeMs: now.ctimeMs };
    releasePositions();
    assert.deepEqual(parsed.documents[1]!.locate('/data/k'), { file: 'a.yaml', line: 7, column: 1, path: '/data/k' });
    assert.deepEqual(parsed.documents[0]!.locate('/data/k'), { file: 'a.yaml', line: 1, column: 1, path: '/data/k' });
  });
});
