// Files are read into one shared buffer, and ranges above 4 MB are read back through it: a file read
// later must not change what an earlier one's values or positions say, and a file changed after
// reading must still be caught by its checksums.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadFile } from '../src/input/files.js';
import { releasePositions } from '../src/input/yaml.js';

/** A `kind: List` of `n` ConfigMaps named `${prefix}-i`, kubectl's 4-space layout: ~5.5 MB at n = 2,000. */
function list(prefix: string, n: number): string {
  const items = Array.from({ length: n }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${prefix}-${i}`, namespace: 'ns' }, data: { k: 'v'.repeat(2500) } }));
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } }, null, 4);
}

/** Where `JSON.stringify(…, null, 4)` put item `i`'s name: line and column, counted in the text. */
function nameAt(text: string, name: string): { line: number; column: number } {
  const at = text.indexOf(`"name": "${name}"`);
  const lineStart = text.lastIndexOf('\n', at) + 1;
  return { line: text.slice(0, at).split('\n').length, column: at - lineStart + 1 };
}

test('files read through the shared buffer: values and positions of an earlier large file stay its own; a change after reading is caught', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-shared-buffer-'));
  try {
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.json');
    const textA = list('alpha', 2000);
    const textB = list('bravo', 2200);
    writeFileSync(a, textA);
    writeFileSync(b, textB);
    assert.ok(textA.length > 4 * 1024 * 1024 && textB.length > textA.length);
    const loadA = await loadFile(a);
    const loadB = await loadFile(b);
    assert.equal(loadA.errors.length + loadB.errors.length, 0);
    assert.equal(loadA.resources.length, 2000);
    const names = loadA.resources.map((r) => r.name);
    assert.deepEqual(names.slice(0, 2), ['alpha-0', 'alpha-1']);
    assert.equal(names.filter((n, i) => n === `alpha-${i}`).length, 2000);
    // Positions of A are read back after B was read into the same buffer, then B's after A's.
    releasePositions();
    const checks: [typeof loadA, string, number][] = [[loadA, textA, 1999], [loadB, textB, 7], [loadA, textA, 3]];
    for (const [load, text, i] of checks) {
      const name = load.resources[i]!.name;
      const loc = load.resources[i]!.locator.locate('/metadata/name');
      assert.deepEqual({ line: loc.line, column: loc.column }, nameAt(text, name), name);
    }
    // Same size, other bytes: the checksum tells, and findings point at the document's start.
    writeFileSync(a, textA.replace('alpha-1999', 'omega-1999'));
    releasePositions();
    assert.equal(loadA.resources[1999]!.locator.locate('/metadata/name').line, 1);
    console.log(`shared buffer: ${loadA.resources.length + loadB.resources.length} objects from two List files of ${(textA.length / 1e6).toFixed(1)} and ${(textB.length / 1e6).toFixed(1)} MB, ${checks.length} positions read back exact, a changed file located at its document's start`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
