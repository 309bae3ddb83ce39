#!/usr/bin/env node
// Instructions, not seconds: `rampart scan` of the real-world corpus at a few sizes and the JSON.parse
// floor of the same documents, each counted by valgrind's callgrind (every instruction of the process,
// V8's compiler and collector included, run on one thread). On a shared machine CPU time moves by
// +-30% between runs; instruction counts move by ~0.5%, so a change of a few percent shows.
//
//   node bench/instructions.mjs [--sizes 1,4] [--against OTHER_CHECKOUT] [--corpus DIR]
//
// Needs valgrind (`apt-get install -y valgrind`) and a built checkout (`npm run build`). The scan runs
// as `node --single-threaded --predictable`, and V8 keys its code cache by its flags: the build's
// cache would be rejected and the count would include compiling the whole bundle from source (~0.5 G
// instructions that no user pays). So each CLI is copied to a temporary folder and its code cache is
// made again under those flags, the way the build makes it (scripts/bundle.mjs).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const SIZES = opt('--sizes', '1,4').split(',').map(Number);
const CORPUS = path.resolve(opt('--corpus', '../shared/corpus/real-world'));
const PERF = path.resolve('../shared/perf');
const AGAINST = opt('--against', undefined);
const FLAGS = ['--single-threaded', '--predictable'];

if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.error('valgrind is not installed (apt-get install -y valgrind): no instruction counts');
  process.exit(2);
}
for (const p of [CORPUS, PERF]) {
  if (!existsSync(p)) {
    console.error(`not found: ${p}`);
    process.exit(2);
  }
}
const checkouts = [path.resolve('.'), ...(AGAINST ? [path.resolve(AGAINST)] : [])];
for (const c of checkouts) {
  if (!existsSync(path.join(c, 'dist/bundle/rampart.cjs'))) {
    console.error(`${c}: dist/bundle is missing: run \`npm run build\` there first`);
    process.exit(2);
  }
}

const work = mkdtempSync(path.join(tmpdir(), 'rampart-bench-instr-'));

/** A copy of a checkout's built CLI whose code cache V8 takes under FLAGS. */
function cliCopy(checkout, name) {
  const dir = path.join(work, name);
  for (const part of ['bin', 'dist', 'package.json', 'data', 'schema', 'plugins', 'examples']) {
    if (existsSync(path.join(checkout, part))) cpSync(path.join(checkout, part), path.join(dir, part), { recursive: true, preserveTimestamps: true }); // bin/rampart.js runs the bundle only while it is newer than dist/cli
  }
  symlinkSync(path.join(checkout, 'node_modules'), path.join(dir, 'node_modules'));
  if (statSync(path.join(dir, 'dist/bundle/rampart.cjs')).mtimeMs < statSync(path.join(dir, 'dist/cli/main.js')).mtimeMs) throw new Error(`${checkout}: dist/bundle is older than dist/cli: run \`npm run build\` there`);
  const pod = path.join(work, 'pod.yaml');
  writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: {name: smoke}\nspec:\n  containers: [{name: c, image: nginx}]\n');
  // As scripts/bundle.mjs: run a scan and the examples, put the flags a scan sets back, save the cache.
  const script = `const { loadBundle } = await import(${JSON.stringify(path.join(dir, 'dist/cli/bundle-loader.js'))});
    const b = loadBundle(${JSON.stringify(path.join(dir, 'dist/bundle/rampart.cjs'))});
    await b.cli.main(['scan', ${JSON.stringify(pod)}, '--no-config', '-o', 'json', '--output', ${JSON.stringify(path.join(work, 'smoke.json'))}, '--fail-on', 'never']);
    ${existsSync(path.join(dir, 'examples')) ? `await b.cli.main(['scan', ${JSON.stringify(path.join(dir, 'examples'))}, '--no-config', '-o', 'json', '--output', ${JSON.stringify(path.join(work, 'smoke.json'))}, '--fail-on', 'never']);` : ''}
    (await import('node:v8')).setFlagsFromString('--no-expose-gc'); (await import(${JSON.stringify(path.join(dir, 'dist/cli/heap.js'))})).heapDefaults();
    (await import(${JSON.stringify(path.join(dir, 'dist/cli/commands/scan.js'))})).compilerDefaults();
    b.makeCache();`;
  const made = spawnSync(process.execPath, [...FLAGS, '--input-type=module', '-e', script], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`code cache for ${checkout}: ${made.stderr.slice(0, 500)}`);
  const check = spawnSync(process.execPath, [...FLAGS, '--input-type=module', '-e', `const { loadBundle } = await import(${JSON.stringify(path.join(dir, 'dist/cli/bundle-loader.js'))}); process.stdout.write(String(loadBundle(${JSON.stringify(path.join(dir, 'dist/bundle/rampart.cjs'))}).cacheRejected));`], { encoding: 'utf8' });
  if (check.stdout !== 'false') throw new Error(`V8 rejects the code cache made for ${checkout} under ${FLAGS.join(' ')}`);
  return dir;
}

/** Instructions of `node FLAGS args...` run in `cwd`, counted by callgrind. */
function instructions(cwd, nodeArgs) {
  const r = spawnSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${path.join(work, 'callgrind.out')}`, process.execPath, ...FLAGS, ...nodeArgs], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`callgrind: ${r.stderr.slice(-500)}`);
  return Number(m[1]);
}

const G = (n) => (n / 1e9).toFixed(3);
try {
  const clis = checkouts.map((c, i) => cliCopy(c, i === 0 ? 'this' : 'against'));
  console.log(`corpus ${path.relative('.', CORPUS)}; instructions of the whole process (callgrind, node ${FLAGS.join(' ')}), G = 10^9`);
  console.log(['copies', 'input MB', 'JSON.parse floor', ...(AGAINST ? ['scan (against)', 'scan ÷ floor (against)'] : []), 'scan', 'scan ÷ floor (<= 4x)', ...(AGAINST ? ['this ÷ against', 'reports identical'] : [])].join(' | '));
  for (const k of SIZES) {
    const dir = path.join(work, `x${k}`);
    const gen = spawnSync(process.execPath, [path.join(PERF, 'replicate-corpus.mjs'), CORPUS, dir, String(k)], { encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(`generator failed: ${gen.stderr}`);
    const { bytes } = JSON.parse(gen.stdout);
    const jsonDir = path.join(work, `x${k}-json`);
    const conv = spawnSync(process.execPath, [path.join(PERF, 'to-json.mjs'), dir, jsonDir], { cwd: path.resolve('.'), encoding: 'utf8' });
    if (conv.status !== 0) throw new Error(`to-json failed: ${conv.stderr}`);
    const floor = instructions(path.resolve('.'), [path.join(PERF, 'json-parse.mjs'), jsonDir]);
    // The report goes to a file (--output), as in bench/scan.mjs: 26 MB through a pipe would add the
    // stream's back-pressure handling to the count.
    const reports = clis.map((_, i) => path.join(work, `report-${i}.json`));
    const counts = clis.map((cli, i) => instructions(cli, ['bin/rampart.js', 'scan', dir, '--no-render', '--no-config', '-o', 'json', '--output', reports[i], '--fail-on', 'never']));
    const cells = [`${k}x`, (bytes / 1e6).toFixed(1), G(floor)];
    if (AGAINST) cells.push(G(counts[1]), `${(counts[1] / floor).toFixed(2)}x`);
    cells.push(G(counts[0]), `${(counts[0] / floor).toFixed(2)}x`);
    if (AGAINST) cells.push(`${(counts[0] / counts[1]).toFixed(3)}x`, String(readFileSync(reports[0]).equals(readFileSync(reports[1]))));
    console.log(cells.join(' | '));
    rmSync(dir, { recursive: true, force: true });
    rmSync(jsonDir, { recursive: true, force: true });
  }
  console.log('\nThe same build runs within ~0.5% of itself (garbage collection timing); read smaller differences as none.');
} finally {
  rmSync(work, { recursive: true, force: true });
}
