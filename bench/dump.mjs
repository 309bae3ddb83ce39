#!/usr/bin/env node
// `rampart scan` of a cluster dump: the real-world corpus's objects (shared `to-json.mjs`) dealt
// round-robin into N `kind: List` files of `JSON.stringify(…, null, 4)` (kubectl's layout), for
// each N given. Few large files are the hard case for memory: each file's text, and each document's
// position data when its findings are located, is tens of MB of transient heap. Prints CPU, peak RSS
// and RSS ÷ input against issue 18's bound (3× input + 100 MB), this checkout against another built
// checkout alternated in one run, and whether the two JSON reports are byte-identical.
// Run after `npm run build` (and in the other checkout too).
//
//   node bench/dump.mjs [--corpus DIR] [--files 4,24] [--repeat N] [--against CHECKOUT] [--rule GLOB]
//
// --rule passes one `--rule` to both scans (e.g. 'dockerfile/*': nothing found, so reading alone).
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measure, fmt, takeOption } from './measure.mjs';

const args = process.argv.slice(2);
const CORPUS = takeOption(args, '--corpus', '../shared/corpus/real-world');
const FILES = takeOption(args, '--files', '4,24').split(',').map(Number);
const REPEAT = Math.max(1, Number(takeOption(args, '--repeat', '3')));
const AGAINST = takeOption(args, '--against', undefined);
const RULE = takeOption(args, '--rule', undefined);
const PERF = '../shared/perf';
for (const p of [CORPUS, PERF]) {
  if (!existsSync(p)) {
    console.error(`not found: ${p}`);
    process.exit(2);
  }
}
const checkouts = [['after', '.'], ...(AGAINST ? [['before', AGAINST]] : [])];
for (const [, c] of checkouts) {
  if (!existsSync(path.join(c, 'dist/cli/main.js'))) {
    console.error(`${c}: dist/ is missing: run \`npm run build\` there first`);
    process.exit(2);
  }
}

/** Every object of the converted corpus, in path order (to-json writes an array of documents per file). */
function objectsOf(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) objectsOf(p, out);
    else for (const v of JSON.parse(readFileSync(p, 'utf8'))) if (v && typeof v === 'object' && !Array.isArray(v) && v.kind) out.push(v);
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const work = mkdtempSync(path.join(tmpdir(), 'rampart-bench-dump-'));
try {
  const conv = spawnSync(process.execPath, [path.join(PERF, 'to-json.mjs'), CORPUS, path.join(work, 'json')], { encoding: 'utf8' });
  if (conv.status !== 0) throw new Error(`to-json failed: ${conv.stderr}`);
  const objects = objectsOf(path.join(work, 'json'));
  console.log(`dump of ${CORPUS}: ${objects.length} objects; CPU s (user+sys) and peak RSS per scan, ${REPEAT} alternated repeats${RULE ? `; --rule '${RULE}'` : ''}`);
  console.log('| files | input MB | checkout | CPU s median (runs) | peak RSS MB (runs) | RSS ÷ input | bound 3× + 100 MB | reports |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const n of FILES) {
    const dir = path.join(work, `lists-${n}`);
    mkdirSync(dir);
    const lists = Array.from({ length: n }, () => []);
    objects.forEach((o, i) => lists[i % n].push(o));
    lists.forEach((items, i) => writeFileSync(path.join(dir, `list-${i}.json`), JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } }, null, 4)));
    const inputMB = readdirSync(dir).reduce((s, f) => s + statSync(path.join(dir, f)).size, 0) / 1e6;
    const runs = Object.fromEntries(checkouts.map(([name]) => [name, []]));
    for (let i = 0; i < REPEAT; i++) {
      for (const [name, c] of checkouts) {
        const scan = ['scan', dir, '--no-render', '--no-config', '-o', 'json', '--output', path.join(work, `${name}-${n}.json`), '--fail-on', 'never', ...(RULE ? ['--rule', RULE] : [])];
        const m = measure(path.join(c, 'bin/rampart.js'), scan);
        if (m.status !== 0) throw new Error(`${c}: scan exited ${m.status}`);
        runs[name].push(m);
      }
    }
    const identical = AGAINST ? readFileSync(path.join(work, `after-${n}.json`)).equals(readFileSync(path.join(work, `before-${n}.json`))) : undefined;
    const bound = 3 * inputMB + 100;
    for (const [name] of checkouts) {
      const cpu = runs[name].map((m) => m.cpuS);
      // maxRssMB is the kernel's maximum resident set in MiB: shown in MB (10^6 bytes) like the input.
      const rss = runs[name].map((m) => (m.maxRssMB * 1048576) / 1e6);
      const peak = Math.max(...rss);
      console.log(`| ${n} | ${fmt(inputMB, 1)} | ${name} | ${fmt(median(cpu))} (${cpu.map((x) => fmt(x)).join(' / ')}) | ${rss.map((x) => fmt(x, 0)).join(' / ')} | ${fmt(peak / inputMB)}× | ${fmt(bound, 0)}: ${peak <= bound ? 'met' : 'over'} | ${identical === undefined ? '' : identical ? 'identical' : 'DIFFER'} |`);
    }
    if (AGAINST) console.log(`| ${n} | | after ÷ before | ${fmt(median(runs.after.map((m) => m.cpuS)) / median(runs.before.map((m) => m.cpuS)))}× | | | | |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
