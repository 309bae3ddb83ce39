#!/usr/bin/env node
// Enforces the arrows that must not exist (see the README's architecture section):
//  - rules and analyses do no I/O and never import cli, reports or input; the fix layer does no I/O;
//  - the model knows nothing of rules or the engine;
//  - reporters never reach into rule modules;
//  - one rule never imports another rule module, and analyses never import rules (shared code goes to model/ or analyses/).
// Also flags committed machine paths. Exits 1 with one line per violation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const IO_MODULES = /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|tls|dgram|os|process|readline|worker_threads)$/;
const files = [];
(function walk(dir) {
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts')) files.push(p.split(path.sep).join('/'));
  }
})('src');

const problems = [];
for (const file of files) {
  if (file.endsWith('.test.ts') || file.includes('/testing/') || file.endsWith('/testing.ts')) continue; // test helpers
  const text = readFileSync(file, 'utf8');
  const imports = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  imports.push(...[...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]));
  const layer = file.split('/')[1];
  for (const spec of imports) {
    const target = spec.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)) : spec;
    const tLayer = target.startsWith('src/') ? target.split('/')[1] : undefined;
    const say = (why) => problems.push(`${file}: imports ${spec}: ${why}`);
    if (layer === 'rules' || layer === 'analyses') {
      if (IO_MODULES.test(spec)) say(`${layer} must be pure (no I/O)`);
      if (['cli', 'reports', 'input'].includes(tLayer)) say(`${layer} must not depend on ${tLayer}`);
      if (/\bprocess\.(env|stdout|stderr|exit|argv)|console\./.test(text) && !problems.some((p) => p.startsWith(`${file}: uses`)))
        problems.push(`${file}: uses process/console: ${layer} must be pure`);
    }
    if (layer === 'analyses' && tLayer === 'rules') say('analyses must not depend on rules (move shared helpers to model/ or analyses/)');
    // The fix layer plans and edits text; reading and writing files is the CLI's job (ARCHITECTURE.md).
    if (layer === 'fix') {
      if (IO_MODULES.test(spec)) say('the fix layer must be pure (no I/O)');
      if (['cli', 'reports'].includes(tLayer)) say(`the fix layer must not depend on ${tLayer}`);
    }
    if (layer === 'rules' && tLayer === 'rules' && !/(^|\/)index\.ts$/.test(file)) {
      // A module that defines a rule may not be imported by another rule module.
      const targetFile = target.replace(/\.js$/, '.ts');
      let targetText = '';
      try {
        targetText = readFileSync(targetFile, 'utf8');
      } catch {}
      if (/define(Global)?Rule\(/.test(targetText) && /define(Global)?Rule\(/.test(text)) say('one rule must not import another rule (share through model/ or analyses/)');
    }
    if (layer === 'model' && ['rules', 'engine', 'analyses', 'cli', 'reports'].includes(tLayer)) say('the model must not depend on checks or the engine');
    if (layer === 'reports' && tLayer === 'rules') say('reporters read findings and rule metadata only, not rule modules');
  }
}
// Benches and build scripts are plain JavaScript that no typecheck reads: at least they must parse
// (a bench broken by a stray quote went unnoticed until it was run).
const scripts = ['bench', 'scripts'].flatMap((d) => readdirSync(d).filter((n) => n.endsWith('.mjs')).map((n) => `${d}/${n}`));
for (const file of scripts) {
  const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
  if (r.status !== 0) problems.push(`${file}: does not parse: ${(r.stderr.split('\n').find((l) => /Error/.test(l)) ?? r.stderr).trim()}`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`\n${problems.length} architecture violation(s).`);
  process.exit(1);
}
console.log(`architecture lint: ${files.length} files, no forbidden arrows; ${scripts.length} bench and build scripts parse`);
