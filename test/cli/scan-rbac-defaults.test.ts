// `rampart scan` end to end with and without the bootstrap RBAC policy (needs a build: `npm test` builds first).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const built = existsSync('dist/cli/main.js');
if (!built) console.error('\n*** test/cli/scan-rbac-defaults.test.ts: dist/ is missing; run `npm run build` (npm test does). Skipping. ***\n');

const FIXTURE = 'test/fixtures/rbac/edit-binding.yaml';
const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

interface Report {
  summary: { resources: number; findings: number };
  findings: { ruleId: string; location: { file: string; line: number; column: number; path: string } }[];
  errors: unknown[];
}

function scan(...args: string[]): { code: number | null; report: Report } {
  const r = spawnSync(process.execPath, ['bin/rampart.js', 'scan', FIXTURE, '-o', 'json', '--rule', 'rbac/*', ...args], { encoding: 'utf8' });
  return { code: r.status, report: JSON.parse(r.stdout) as Report };
}

const cases: { name: string; args: () => Promise<string[]>; expect: string[] }[] = [
  {
    name: 'defaults on (the default)',
    args: async () => ['--no-config'],
    expect: ['rbac/create-pods', 'rbac/escalate-bind-impersonate', 'rbac/escalation-path', 'rbac/pod-exec', 'rbac/secrets-read', 'rbac/serviceaccount-create', 'rbac/serviceaccount-token-create'],
  },
  { name: '--no-rbac-defaults', args: async () => ['--no-config', '--no-rbac-defaults'], expect: [] },
  {
    name: 'rbac.defaults: false in the config',
    args: async () => {
      const d = await mkdtemp(path.join(tmpdir(), 'rampart-rbac-defaults-'));
      dirs.push(d);
      await writeFile(path.join(d, 'rampart.yaml'), 'rbac:\n  defaults: false\n');
      return ['--config', path.join(d, 'rampart.yaml')];
    },
    expect: [],
  },
];

for (const c of cases) {
  test(`rampart scan ${FIXTURE}: ${c.name}`, { skip: !built }, async () => {
    const { code, report } = scan(...(await c.args()));
    assert.deepEqual(report.errors, []);
    assert.equal(report.summary.resources, 1, 'bootstrap objects are not scanned resources');
    assert.deepEqual([...new Set(report.findings.map((f) => f.ruleId))].sort(), c.expect);
    assert.equal(code, c.expect.length ? 1 : 0);
    for (const f of report.findings) {
      assert.equal(f.location.file, FIXTURE);
      if (f.ruleId !== 'rbac/escalation-path') assert.deepEqual([f.location.path, f.location.line, f.location.column], ['/roleRef/name', 12, 3]);
    }
  });
}
