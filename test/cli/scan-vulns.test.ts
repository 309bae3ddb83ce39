// `rampart scan --vulns`: reports joined end to end; a report that cannot be imported fails the run (exit 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const built = existsSync('dist/cli/main.js');
if (!built) console.error('\n*** test/cli/scan-vulns.test.ts: dist/ is missing; run `npm run build`. Skipping. ***\n');

const MANIFEST = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  automountServiceAccountToken: false\n  containers:\n  - {name: web, image: "nginx:1.25.3"}\n';

function scan(...vulns: string[]) {
  const args = ['bin/rampart.js', 'scan', '-', '--no-config', '-o', 'json', '--rule', 'image/known-vulnerability', '--fail-on', 'never', ...vulns.flatMap((v) => ['--vulns', v])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', input: MANIFEST });
  return { code: r.status, report: JSON.parse(r.stdout) as { findings: { ruleId: string; message: string; location: { line: number } }[]; errors: { file: string; message: string }[] }, stderr: r.stderr };
}

test('--vulns FILE (Trivy and Grype, repeatable) joins the CVEs to the pod that runs the image', { skip: !built }, () => {
  const { code, report } = scan('test/fixtures/vulns/trivy-nginx.json', 'test/fixtures/vulns/grype-web.json');
  assert.equal(code, 0);
  assert.deepEqual(report.errors, []);
  assert.deepEqual(report.findings.map((f) => [f.ruleId, f.location.line]), [['image/known-vulnerability', 7]]);
  assert.match(report.findings[0]!.message, /^critical CVE-2023-45853 in Pod web; image nginx:1\.25\.3 has 5 known CVEs/);
});

test('an unreadable or unknown-format --vulns file is an input error naming the file (exit 2), the rest still runs', { skip: !built }, () => {
  const { code, report } = scan('test/fixtures/vulns/trivy-nginx.json', 'test/fixtures/vulns/cyclonedx.json', 'test/fixtures/vulns/missing.json');
  assert.equal(code, 2);
  assert.deepEqual(
    report.errors.map((e) => [e.file, e.message.replace(/:.*/, '')]),
    [
      ['test/fixtures/vulns/cyclonedx.json', 'vulnerability report not imported'],
      ['test/fixtures/vulns/missing.json', 'vulnerability report could not be read'],
    ],
  );
  assert.equal(report.findings.length, 1, 'the readable report is still joined');
});
