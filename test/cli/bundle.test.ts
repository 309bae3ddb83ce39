// The bundled CLI (dist/bundle/rampart.cjs and its V8 code cache, made by `npm run build`, used by
// bin/rampart.js for a fast start) must exist, take its cache, and behave exactly like the compiled
// files it is made from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
// @ts-expect-error: a build script (plain JavaScript, no declarations)
import { asciiSource } from '../../scripts/ascii-js.mjs';

const built = existsSync('dist/cli/main.js');
if (!built) console.error('\n*** test/cli/bundle.test.ts: dist/ is missing; run `npm run build`. Skipping. ***\n');

const BUNDLE = 'dist/bundle/rampart.cjs';

/** Runs main() of the compiled files, or of the bundle as bin/rampart.js loads it, in a fresh process. */
function runEntry(entry: 'bundle' | 'compiled', args: string[]) {
  const load =
    entry === 'bundle'
      ? `const { loadBundle } = await import(${JSON.stringify(path.resolve('dist/cli/bundle-loader.js'))}); const b = loadBundle(${JSON.stringify(path.resolve(BUNDLE))}); const main = b.cli.main; process.stderr.write(b.cacheRejected === false ? '' : 'code cache not used\\n');`
      : `const { main } = await import(${JSON.stringify(path.resolve('dist/cli/main.js'))});`;
  const code = `${load} process.exitCode = await main(${JSON.stringify(args)});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('npm run build made the bundle, and bin/rampart.js starts from it while it is current', { skip: !built }, () => {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: see the warning of scripts/bundle.mjs in the build output`);
  assert.ok(statSync(BUNDLE).mtimeMs >= statSync('dist/cli/main.js').mtimeMs, 'the bundle is older than the compiled files: run `npm run build`');
  assert.ok(existsSync(`${BUNDLE}.cache`), 'the code cache of the bundle is missing: see the warning of scripts/bundle.mjs in the build output');
});

test('the bundle and the compiled files give the same reports, errors and exit codes', { skip: !built || !existsSync(BUNDLE) }, () => {
  const cases: string[][] = [
    ['scan', 'examples', '--no-config', '-o', 'json'],
    ['scan', 'examples', '--no-config', '-o', 'sarif'],
    ['pss', 'examples', '--no-config', '--level', 'baseline'],
    ['rules', 'list', '--no-config', '--framework', 'cis'],
    ['scan', 'examples', '--rule', 'workload/probs'],
    ['rbac', 'paths', '-f', 'examples', '-o', 'json', '--no-config'],
    ['netpol', 'matrix', '-f', 'examples'],
    ['fix', 'examples/insecure', '--dry-run', '--no-config'],
    ['--version'],
  ];
  for (const args of cases) {
    const bundled = runEntry('bundle', args);
    const compiled = runEntry('compiled', args);
    assert.equal(bundled.code, compiled.code, args.join(' '));
    assert.equal(bundled.err, compiled.err, args.join(' '));
    // Timestamps and durations aside, byte for byte.
    const norm = (s: string) => s.replace(/"(startTimeUtc|endTimeUtc|timestamp|generatedAt)": "[^"]*"/g, '"$1": ""');
    assert.equal(norm(bundled.out), norm(compiled.out), args.join(' '));
    assert.ok(bundled.out.length > 0 || bundled.err.length > 0, args.join(' '));
  }
});

test('the bundle is pure ASCII, so a start reads it as one-byte text', { skip: !built || !existsSync(BUNDLE) }, () => {
  const bytes = readFileSync(BUNDLE);
  const at = bytes.findIndex((b) => b >= 0x80);
  assert.equal(at, -1, `non-ASCII byte at offset ${at}: see the warning of scripts/bundle.mjs in the build output`);
});

test('asciiSource escapes non-ASCII text only where \\uXXXX means the same', () => {
  const escaped = [
    ['const r = /(ns|µs)/g; // “x” → y', 'const r = /(ns|\\u00B5s)/g; // \\u201Cx\\u201D \\u2192 y'],
    ['a = b / c; /* é */ d = /[µ/]x/u', 'a = b / c; /* \\u00E9 */ d = /[\\u00B5/]x/u'],
    // An identity escape of the character is the character itself.
    ['r = /\\µ/', 'r = /\\u00B5/'],
    ['x = a++ / 2 / b; y = `${z}` / 2; if (x) return /é/.test(y)', 'x = a++ / 2 / b; y = `${z}` / 2; if (x) return /\\u00E9/.test(y)'],
    ['f({ a: `t${ { b: 1 }.b }` }) // ü', 'f({ a: `t${ { b: 1 }.b }` }) // \\u00FC'],
  ];
  for (const [input, output] of escaped) assert.equal(asciiSource(input).text, output, input);
  // The escaped regular expressions match what the originals match.
  const probe = 'ns µs é x / ü \\µ';
  for (const literal of ['/(ns|µs)/g', '/[µ/]x/u', '/\\µ/', '/é/', '/[à-ÿ]+/g']) {
    const escapedLiteral = asciiSource(`r = ${literal}`).text.slice(4);
    assert.match(escapedLiteral, /^[\x20-\x7e]+$/);
    const run = (l: string) => String(probe.match(new Function(`return ${l}`)()));
    assert.equal(run(escapedLiteral), run(literal), literal);
  }
  // A tagged template's raw text would change, and esbuild escapes strings itself: left alone, loudly.
  for (const input of ['f(String.raw`µ`)', 'x = `a${ { a: 1 }.a }µ`', 's = "µ"', 'o = { a: 1 } / 2 // µ', 'const µ = 1']) {
    assert.throws(() => asciiSource(input), /non-ASCII|unterminated|past its line/, input);
  }
});
