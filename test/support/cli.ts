// Runs the built CLI (dist/) the way a user does. `npm test` builds first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const BIN = path.resolve('bin/rampart.js');

/** Runs `rampart ARGS` (from the repository root unless `cwd` is given). */
export function runCli(args: string[], stdin?: string, env: Record<string, string> = {}, cwd?: string) {
  if (!existsSync('dist/cli/main.js')) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: cwd ?? process.cwd(),
    input: stdin ?? '',
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
