#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli/main.js and everything it imports, the `yaml` package included)
// into dist/bundle/: one chunk per command and per output format, split where main.ts and the
// commands import lazily. Node then reads a few files instead of ~340 modules, which is most of the
// start-up time of a small scan (issue 18; see bench/startup.mjs). bin/rampart.js uses the bundle
// while it is at least as new as dist/cli/main.js, and the compiled files otherwise, so a plain
// `tsc` never runs stale code.
//
// Run by `npm run build` after tsc. Without esbuild (a production install) it does nothing; when
// the bundle cannot be made or fails its smoke test it warns and leaves none (the build still
// succeeds, the CLI is slower to start, and test/cli/bundle.test.ts fails to say so).
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

const OUT = 'dist/bundle';
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

await esbuild.build({
  entryPoints: { main: 'dist/cli/main.js' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: OUT,
  // ajv is loaded on first use through createRequire, from node_modules; keep it that way.
  external: ['ajv'],
  // `yaml` is CommonJS and requires Node built-ins; an ES module bundle needs a `require` for that.
  banner: { js: "import { createRequire as __rampartCreateRequire } from 'node:module'; const require = __rampartCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'none',
});

// Smoke test: the bundle must start and scan, or it is removed and the compiled files are used.
const dir = mkdtempSync(path.join(tmpdir(), 'rampart-bundle-'));
const pod = path.join(dir, 'pod.yaml');
writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: {name: smoke}\nspec:\n  containers: [{name: c, image: nginx}]\n');
const probe = `const { main } = await import(${JSON.stringify(path.resolve(OUT, 'main.js'))}); process.exitCode = await main(['scan', ${JSON.stringify(pod)}, '--no-config', '-o', 'json', '--fail-on', 'never']);`;
const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
rmSync(dir, { recursive: true, force: true });
let ok = r.status === 0;
try {
  ok &&= JSON.parse(r.stdout).summary.resources === 1;
} catch {
  ok = false;
}
if (!ok) {
  rmSync(OUT, { recursive: true, force: true });
  console.error(`bundle: WARNING, the bundled CLI failed its smoke test and was removed (the compiled files are used):\n${r.stderr.slice(0, 2000)}`);
  process.exit(0);
}
const files = readdirSync(OUT);
const bytes = files.reduce((n, f) => n + statSync(path.join(OUT, f)).size, 0);
console.log(`bundle: ${OUT}/ ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB`);
