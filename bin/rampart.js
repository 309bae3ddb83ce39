#!/usr/bin/env node
// Starts the CLI. `npm ci` builds dist/ through the prepare script: tsc's compiled files, and one
// CommonJS bundle of them (dist/bundle/rampart.cjs) with V8's code cache of it, made by the build
// (see src/cli/bundle-loader.ts). A command starts from the bundle while it is at least as new as
// the compiled entry point, so running tsc alone never starts stale code. `--version` and `--help`
// load nothing but the compiled entry point (a few small files): cheaper than the whole bundle.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const COMMANDS = new Set(['scan', 'fix', 'pss', 'rbac', 'netpol', 'paths', 'node', 'audit', 'webhook', 'rules']);

async function cli() {
  if (COMMANDS.has(process.argv[2])) {
    const bundle = fileURLToPath(new URL('../dist/bundle/rampart.cjs', import.meta.url));
    let current = false;
    try {
      current = statSync(bundle).mtimeMs >= statSync(new URL('../dist/cli/main.js', import.meta.url)).mtimeMs;
    } catch {
      // No bundle (or no build): the compiled files.
    }
    if (current) {
      const { loadBundle } = await import('../dist/cli/bundle-loader.js');
      return loadBundle(bundle).cli;
    }
  }
  return import('../dist/cli/main.js');
}

const { main } = await cli();

// A closed pipe (`rampart scan . | head`) is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`rampart: internal error: ${err && err.stack ? err.stack : err}\nPlease report this with the command you ran.\n`);
    process.exitCode = 3;
  },
);
