#!/usr/bin/env node
// Starts the compiled CLI. `npm ci` builds dist/ through the prepare script.
import { main } from '../dist/cli/main.js';

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
