// Runs a command in a child Node process and returns what it cost (see rusage-at-exit.mjs).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rusage-at-exit.mjs');

/** `node [nodeArgs] script args` → { status, cpuS, wallS, maxRssMB, stdout }. */
export function measure(script, args, nodeArgs = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, '--import', PRELOAD, script, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const m = /RAMPART_RUSAGE (\{.*\})/.exec(r.stderr ?? '');
  if (!m) throw new Error(`${script} ${args.join(' ')}: no usage line (status ${r.status}, signal ${r.signal}): ${(r.stderr ?? '').slice(-800)}`);
  return { status: r.status, stdout: r.stdout, ...JSON.parse(m[1]) };
}

export const fmt = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : String(n));

/** The value after option `name` in `args`, both removed (what is left are the positionals), else `dflt`. */
export function takeOption(args, name, dflt) {
  const i = args.indexOf(name);
  return i < 0 ? dflt : args.splice(i, 2)[1];
}
