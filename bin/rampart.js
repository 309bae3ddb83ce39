#!/usr/bin/env node
// Starts the CLI. `npm ci` builds dist/ through the prepare script: tsc's compiled files, and the
// bundle of them (dist/bundle, fewer files to load, a faster start) used while it is at least as
// new as the compiled entry point — so running tsc alone never starts stale code.
import { statSync } from 'node:fs';

function entry() {
  try {
    const bundled = statSync(new URL('../dist/bundle/main.js', import.meta.url)).mtimeMs;
    if (bundled >= statSync(new URL('../dist/cli/main.js', import.meta.url)).mtimeMs) return '../dist/bundle/main.js';
  } catch {
    // No bundle (or no build): the compiled files.
  }
  return '../dist/cli/main.js';
}

const { main } = await import(entry());

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
