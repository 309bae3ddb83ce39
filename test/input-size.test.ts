// inputSizeReaches sizes a scan's inputs before they are read (the CLI tunes V8 for small inputs):
// it must count what loadInputs would read (manifest files, node_modules and .git skipped,
// symlinked directories not followed) and agree with the bytes a load reports on the real corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inputSizeReaches, loadInputs } from '../src/input/files.js';

const CORPUS = '../shared/corpus/real-world';

test('inputSizeReaches counts manifest files the way a load walks them', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-size-'));
  try {
    writeFileSync(path.join(dir, 'a.yaml'), 'x'.repeat(100));
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'b.json'), 'y'.repeat(50));
    writeFileSync(path.join(dir, 'notes.txt'), 'z'.repeat(1000));
    mkdirSync(path.join(dir, 'node_modules'));
    writeFileSync(path.join(dir, 'node_modules', 'c.yaml'), 'z'.repeat(1000));
    symlinkSync(path.join(dir, 'sub'), path.join(dir, 'loop'));
    symlinkSync(dir, path.join(dir, 'sub', 'up'));
    assert.equal(inputSizeReaches([dir], 150), true);
    assert.equal(inputSizeReaches([dir], 151), false, 'only a.yaml and sub/b.json count');
    assert.equal(inputSizeReaches([path.join(dir, 'a.yaml'), path.join(dir, 'sub')], 150), true);
    assert.equal(inputSizeReaches([path.join(dir, 'notes.txt')], 1000), true, 'a file named on the command line counts whatever its name');
    assert.equal(inputSizeReaches(['-', path.join(dir, 'missing.yaml')], 1), false, 'stdin and missing paths count as nothing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inputSizeReaches agrees with the bytes a load of the real-world corpus reads', { skip: !existsSync(CORPUS) && `corpus ${CORPUS} is absent` }, async () => {
  const load = await loadInputs([CORPUS], undefined, false);
  console.log(`real-world corpus: ${load.files} files, ${load.bytes} bytes read`);
  assert.equal(inputSizeReaches([CORPUS], load.bytes), true);
  assert.equal(inputSizeReaches([CORPUS], load.bytes + 1), false);
});
