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

test('--vulns takes a Trivy Kubernetes report; an image report no workload runs is noted, not silent', { skip: !built }, () => {
  const args = ['bin/rampart.js', 'scan', '-', '--no-config', '-o', 'json', '--rule', 'image/known-vulnerability', '--fail-on', 'never', '--vulns', 'test/fixtures/vulns/trivy-k8s.json', '--vulns', 'test/fixtures/vulns/grype-web.json'];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', input: MANIFEST });
  const report = JSON.parse(r.stdout) as { summary: { notEvaluated: number; skipped: number }; findings: { message: string }[]; skipped: { file: string; reason: string; failsClosed: boolean }[] };
  assert.equal(r.status, 0, 'notes do not fail the run: every input was evaluated');
  assert.match(report.findings[0]!.message, /^critical CVE-2023-45853 in Pod web; image nginx:1\.25\.3 has 2 known CVEs .*\[trivy-k8s test\/fixtures\/vulns\/trivy-k8s\.json\]$/);
  assert.deepEqual(
    report.skipped.map((s) => [s.file, s.reason.replace(/ with .*/, ''), s.failsClosed]),
    [
      ['test/fixtures/vulns/trivy-k8s.json', 'Trivy could not scan CronJob shop/report: unable to inspect the image (registry.example.com/acme/report:7): GET https://registry.example.com/v2/acme/report/manifests/7: UNAUTHORIZED', false],
      ['test/fixtures/vulns/trivy-k8s.json', 'image ghcr.io/acme/api:3.1.0', false],
      ['test/fixtures/vulns/trivy-k8s.json', 'image registry.k8s.io/kube-proxy:v1.29.2', false],
      ['test/fixtures/vulns/grype-web.json', 'image ghcr.io/acme/web:2.4.1', false],
    ],
  );
  assert.equal(report.summary.notEvaluated, 0);
  // The text report shows the notes too.
  const text = spawnSync(process.execPath, [...args.filter((a) => a !== 'json' && a !== '-o'), '-o', 'text'], { encoding: 'utf8', input: MANIFEST }).stdout;
  assert.match(text, /skipped {2}test\/fixtures\/vulns\/grype-web\.json {2}image ghcr\.io\/acme\/web:2\.4\.1 with 3 known CVEs matches no workload/);
});
