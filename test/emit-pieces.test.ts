// emit() writing pieces to --output FILE: encoded one by one into a reused buffer, the file holds
// exactly their UTF-8 text, whatever their sizes (pieces larger than the buffer, many small ones) and characters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { emit, emitAsync, OutputError } from '../src/cli/common.js';

test('emit: pieces written to a file are byte for byte their joined UTF-8 text', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-emit-'));
  try {
    const wide = 'é€😀\u2028'; // 2, 3, 4 (a surrogate pair) and 3 bytes
    const shapes: [string, string[]][] = [
      ['many small pieces across buffer ends', Array.from({ length: 200_000 }, (_, i) => (i % 7 === 0 ? wide : `p${i},`))],
      ['a piece larger than the buffer between small ones', ['a', 'x'.repeat(3 << 20), wide, 'b']],
      ['a multi-byte piece just under the buffer', ['y'.repeat(1000), wide.repeat(80_000), 'z']],
      ['no pieces', []],
      ['empty pieces', ['', '', 'c', '']],
      ['a surrogate pair split between pieces, and a lone one at the end', ['a\ud83d', '\ude00b', '\ud83d', '', '\ude00', 'c\ud83d']],
      ['pairs split between small and large pieces', ['x\ud83d', '\ude00' + 'y'.repeat(10_000), 'z'.repeat(9000) + '\ud83d', '\ude00' + 'w'.repeat(9000) + '\ud83d', '\ude00tail\ud83d']],
      ['small and large pieces alternating (JSON writer shape)', Array.from({ length: 300 }, (_, i) => ['    ', `{"n": ${i}, "s": "${wide}"}`.repeat(400 + i), i < 299 ? ',\n' : '\n']).flat()],
    ];
    for (const [name, pieces] of shapes) {
      const file = path.join(dir, 'out.json');
      emit(pieces, file);
      const got = readFileSync(file);
      assert.ok(got.equals(Buffer.from(pieces.join(''), 'utf8')), name);
    }
    console.log(`emit pieces: ${shapes.length} shapes written byte-identical to their joined text`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('emit: pieces written to standard output (a pipe) are byte for byte their joined UTF-8 text', () => {
  // A child writes the pieces to its stdout, a pipe read here; buffers it hands to the stream are not reused.
  const script = `import { emit } from ${JSON.stringify(new URL('../src/cli/common.ts', import.meta.url).href)};
const wide = 'é€😀';
emit(Array.from({ length: 40_000 }, (_, i) => (i % 5 === 0 ? wide + 'x'.repeat(i % 3000) : 'p' + i + ',')), undefined);`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { maxBuffer: 1 << 30 });
  assert.equal(child.status, 0, child.stderr.toString());
  const wide = 'é€😀';
  const want = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i % 5 === 0 ? wide + 'x'.repeat(i % 3000) : 'p' + i + ',')).join(''), 'utf8');
  assert.ok(child.stdout.equals(want), `stdout: ${child.stdout.length} bytes, want ${want.length}`);
  console.log(`emit pieces to a pipe: ${want.length} bytes identical`);
});

test('emitAsync: pieces made while inputs are read land in the file byte for byte; an empty run still makes the file; a bad path is an OutputError', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-emit-async-'));
  try {
    const pieces = Array.from({ length: 50_000 }, (_, i) => (i % 11 === 0 ? `é😀${'z'.repeat(i % 10_000)}` : `q${i}\n`));
    async function* gen(list: string[]) {
      for (const p of list) yield p;
    }
    const file = path.join(dir, 'out.json');
    await emitAsync(gen(pieces), file);
    assert.ok(readFileSync(file).equals(Buffer.from(pieces.join(''), 'utf8')));
    const empty = path.join(dir, 'empty.json');
    await emitAsync(gen([]), empty);
    assert.equal(readFileSync(empty).length, 0);
    writeFileSync(path.join(dir, 'a-file'), 'x');
    await assert.rejects(emitAsync(gen(['x']), path.join(dir, 'a-file', 'out.json')), OutputError);
    console.log(`emitAsync pieces: ${pieces.length} pieces identical, empty file made, bad path refused`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
