// Shared by bench/rbac.mjs and bench/rbac-scan.mjs: generate the shared RBAC world at each size
// (../shared/perf/gen-rbac.mjs; one namespace per 20 roles) and measure it in a child process of the
// calling bench (`SCRIPT --child WORLD ...`), so each size's peak RSS is its own. Returns one row per size.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const GEN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'perf', 'gen-rbac.mjs');

/** sizes: "roles/bindings,..."; script: the calling bench's file; childArgs: passed after the world's path. */
export function measureWorlds(sizes, broad, script, childArgs = []) {
  if (!existsSync(GEN)) {
    console.error(`the shared generator ${path.relative(process.cwd(), GEN)} is missing; nothing measured`);
    process.exit(2);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-rbac-bench-'));
  const rows = [];
  try {
    for (const [roles, bindings] of sizes.split(',').map((s) => s.split('/').map(Number))) {
      const file = path.join(dir, `world-${roles}.yaml`);
      execFileSync(process.execPath, [GEN, file, '--roles', String(roles), '--bindings', String(bindings), '--namespaces', String(Math.max(10, Math.round(roles / 20))), '--broad', broad]);
      const out = execFileSync(process.execPath, [script, '--child', file, ...childArgs], { encoding: 'utf8', maxBuffer: 1 << 24 });
      rows.push({ roles, bindings, label: `${roles}/${bindings}`, bytes: statSync(file).size, ...JSON.parse(out) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
