#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js and everything it imports, the `yaml` package included)
// into one CommonJS file, dist/bundle/rampart.cjs, and saves V8's code cache of it
// (rampart.cjs.cache) after running it once. Node then reads one file and deserialises compiled
// code instead of resolving ~340 modules and compiling them, which was most of the start-up time
// of a small scan (issue 18; see bench/startup.mjs and src/cli/bundle-loader.ts). Lazily imported
// commands stay lazy: esbuild turns each import() into an initialiser run on first use.
// bin/rampart.js uses the bundle while it is at least as new as dist/cli/main.js, and the compiled
// files otherwise, so a plain `tsc` never runs stale code.
//
// Run by `npm run build` after tsc. Without esbuild (a production install) it does nothing; when
// the bundle cannot be made or fails its smoke test it warns and leaves none (the build still
// succeeds, the CLI is slower to start, and test/cli/bundle.test.ts fails to say so).
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asciiSource } from './ascii-js.mjs';

const OUT = 'dist/bundle';
const BUNDLE_ENTRY = 'dist/cli/main.js';
rmSync(OUT, { recursive: true, force: true });

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.log('bundle: esbuild is not installed; the CLI runs from the compiled files (slower start)');
  process.exit(0);
}

// Chunks land in dist/bundle/, two levels below the package root like every compiled file that
// finds data by a path relative to its own URL (../../data, ../../schema). A file deeper or
// shallower that does so would look in the wrong place once bundled: refuse rather than ship that.
const misplaced = [];
(function walk(dir, depth) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (p !== path.normalize(OUT)) walk(p, depth + 1);
    } else if (p.endsWith('.js') && depth !== 2) {
      const text = readFileSync(p, 'utf8');
      if (text.includes('import.meta.url') && /[(,]\s*['"]\.\.?\//.test(text.replace(/\b(?:from|import)\s*\(?\s*['"][^'"]+['"]/g, ''))) misplaced.push(p);
    }
  }
})('dist', 1);
if (misplaced.length) {
  console.error(`bundle: WARNING, not bundling: ${misplaced.join(', ')} resolve(s) paths relative to their own URL at a depth other than dist/<dir>/<file>.js`);
  process.exit(0);
}

const BUNDLE = path.join(OUT, 'rampart.cjs');
await esbuild.build({
  entryPoints: [BUNDLE_ENTRY],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: BUNDLE,
  // ajv is loaded on first use through createRequire, from node_modules; keep it that way.
  external: ['ajv'],
  // The compiled files find data next to themselves (`new URL('../../data', import.meta.url)`):
  // in one CommonJS file that is the bundle's own URL, which sits at the same depth.
  define: { 'import.meta.url': '__rampart_url' },
  banner: { js: "const __rampart_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  legalComments: 'none',
});
// Pure ASCII, so that each start reads it as one-byte text instead of decoding 3 MB of UTF-8 into a
// two-byte string (scripts/ascii-js.mjs, src/cli/bundle-loader.ts).
try {
  writeFileSync(BUNDLE, asciiSource(readFileSync(BUNDLE, 'utf8')).text);
} catch (err) {
  console.error(`bundle: WARNING, the bundle keeps non-ASCII text (${err.message}): the CLI starts slower`);
}

// Smoke test, and the code cache: the bundle must start and scan, or it is removed and the compiled
// files are used. V8's cache holds the functions compiled so far, so before it is saved the build also
// scans the repository's own examples (workloads, Services, RBAC, NetworkPolicies, namespaces): a
// scan then starts with the bytecode of most rules and analyses instead of compiling them lazily
// (real-world corpus scan ~0.88x CPU in alternated runs against a cache made after the one Pod).
const dir = mkdtempSync(path.join(tmpdir(), 'rampart-bundle-'));
const pod = path.join(dir, 'pod.yaml');
writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: {name: smoke}\nspec:\n  containers: [{name: c, image: nginx}]\n');
const loader = JSON.stringify(path.resolve('dist/cli/bundle-loader.js'));
const EXAMPLES = path.resolve('examples');
const WARM_UP = existsSync(EXAMPLES)
  ? `await b.cli.main(['scan', ${JSON.stringify(EXAMPLES)}, '--no-config', '-o', 'json', '--output', ${JSON.stringify(path.join(dir, 'examples.json'))}, '--fail-on', 'never']);`
  : '';
// V8 keys its code cache by its flags, and a scan sets some while it runs (the young and old generations'
// growth in src/cli/heap.ts, the optimising compiler's settings in src/cli/commands/scan.ts, --expose-gc in
// src/input/memory-guard.ts): they are put back at V8's defaults before the cache is made, or every
// later start would reject it (the bundle test checks that it is taken).
const RESET_FLAGS = `(await import('node:v8')).setFlagsFromString('--no-expose-gc'); (await import(${JSON.stringify(path.resolve('dist/cli/heap.js'))})).heapDefaults();`;
const COMPILER_DEFAULTS = `(await import(${JSON.stringify(path.resolve('dist/cli/commands/scan.js'))})).compilerDefaults();`;
const run = (makeCache) =>
  spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { loadBundle } = await import(${loader});
       const b = loadBundle(${JSON.stringify(path.resolve(BUNDLE))});
       process.exitCode = await b.cli.main(['scan', ${JSON.stringify(pod)}, '--no-config', '-o', 'json', '--fail-on', 'never']);
       ${makeCache ? `${WARM_UP} ${RESET_FLAGS} ${COMPILER_DEFAULTS} b.makeCache();` : "process.stderr.write('cache rejected: ' + b.cacheRejected);"}`,
    ],
    { encoding: 'utf8' },
  );
const first = run(true);
const second = first.status === 0 ? run(false) : first;
rmSync(dir, { recursive: true, force: true });
let ok = first.status === 0 && second.status === 0;
try {
  ok &&= JSON.parse(first.stdout).summary.resources === 1 && first.stdout === second.stdout;
} catch {
  ok = false;
}
if (!ok) {
  rmSync(OUT, { recursive: true, force: true });
  console.error(`bundle: WARNING, the bundled CLI failed its smoke test and was removed (the compiled files are used):\n${(first.stderr + second.stderr).slice(0, 2000)}`);
  process.exit(0);
}
if (!second.stderr.includes('cache rejected: false')) console.error(`bundle: WARNING, V8 did not take the code cache (${second.stderr.slice(0, 200)}): the CLI starts slower`);
const files = readdirSync(OUT);
const bytes = files.reduce((n, f) => n + statSync(path.join(OUT, f)).size, 0);
console.log(`bundle: ${OUT}/ ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB`);
