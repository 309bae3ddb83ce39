// Node's child_process and zlib modules are required on first use, not imported: every command starts
// from one bundle that initialises the modules it imports, and loading these two cost each start ~3 and
// ~2 ms (a pre-commit hook or editor pays that per file), while most runs spawn nothing and unpack nothing.
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);
let zlibModule: typeof import('node:zlib') | undefined;
let childProcessModule: typeof import('node:child_process') | undefined;

export const zlib = (): typeof import('node:zlib') => (zlibModule ??= requireHere('node:zlib') as typeof import('node:zlib'));

export const childProcess = (): typeof import('node:child_process') =>
  (childProcessModule ??= requireHere('node:child_process') as typeof import('node:child_process'));
