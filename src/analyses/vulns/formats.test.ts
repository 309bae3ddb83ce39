// Import of Trivy and Grype JSON reports (fixtures written from the documented schemas).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseVulnReport, VulnReportError } from './formats.js';
import { summariseVulns } from './join.js';

const fixture = (name: string) => readFileSync(`test/fixtures/vulns/${name}`, 'utf8');

test('Trivy image report: names, repo digests, every vulnerability with package, version, fix and severity', () => {
  const r = parseVulnReport(fixture('trivy-nginx.json'), 'trivy-nginx.json');
  assert.equal(r.format, 'trivy');
  assert.deepEqual(r.names, ['nginx:1.25.3']);
  assert.deepEqual(r.digests, ['nginx@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac']);
  assert.equal(r.vulns.length, 6, 'a Result without Vulnerabilities (no findings) adds none');
  assert.deepEqual(r.vulns[0], { id: 'CVE-2024-2961', pkg: 'libc6', installed: '2.36-9+deb12u3', fixedIn: '2.36-9+deb12u7', severity: 'high' });
  assert.equal(r.vulns[2]!.fixedIn, undefined, 'will_not_fix has no FixedVersion');
  assert.equal(r.vulns[5]!.severity, 'info', 'UNKNOWN is unrated');
  const s = summariseVulns(r.vulns);
  assert.equal(s.total, 5, 'CVE-2024-2961 in libc6 and libc-bin counts once');
  assert.deepEqual(s.counts, { critical: 1, high: 1, medium: 1, low: 1, info: 1 });
  assert.equal(s.fixable, 2);
  assert.deepEqual(s.cves[1]!.packages, ['libc6', 'libc-bin']);
  assert.equal(s.worstSeverity, 'critical');
});

test('Grype image report: userInput, tags, repoDigests and manifestDigest; fix versions only when state is fixed', () => {
  const r = parseVulnReport(fixture('grype-web.json'), 'grype-web.json');
  assert.equal(r.format, 'grype');
  assert.deepEqual(r.names, ['ghcr.io/acme/web:2.4.1']);
  assert.equal(r.digests.length, 2);
  assert.deepEqual(
    r.vulns.map((v) => [v.id, v.pkg, v.installed, v.fixedIn ?? '-', v.severity]),
    [
      ['GHSA-m425-mq94-257g', 'google.golang.org/grpc', 'v1.56.2', '1.56.3', 'high'],
      ['CVE-2024-24790', 'stdlib', 'go1.21.5', '1.21.11, 1.22.4', 'critical'],
      ['CVE-2023-4039', 'libgcc-s1', '12.2.0-14', '-', 'info'],
    ],
  );
});

test('anything else is refused with a reason, never read as "no vulnerabilities"', () => {
  const refused: [string, RegExp][] = [
    [fixture('trivy-filesystem.json'), /Trivy report of a filesystem/],
    [fixture('cyclonedx.json'), /not a Trivy .* or Grype/],
    ['{"matches": [], "source": {"type": "directory", "target": "."}}', /Grype report of a directory/],
    ['[]', /top level is not an object/],
    ['{"SchemaVersion": 2, "ArtifactName": "x", "Results": [{"Vulnerabilities": [{"PkgName": "a"}]}]}', /no VulnerabilityID/],
    ['not json at all', /not JSON/],
  ];
  for (const [text, why] of refused) assert.throws(() => parseVulnReport(text, 'f.json'), (e: unknown) => e instanceof VulnReportError && why.test(e.message));
});
