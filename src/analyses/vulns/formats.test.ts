// Import of Trivy and Grype JSON reports (fixtures written from the documented schemas).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseVulnReport, parseVulnReports, VulnReportError } from './formats.js';
import { summariseVulns, unmatchedReportNotes } from './join.js';
import { loadText } from '../../input/files.js';

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

test('Trivy Kubernetes report (trivy k8s --format json): one image report per image, workloads listed, misconfig-only entries ignored', () => {
  const { images, notes } = parseVulnReports(fixture('trivy-k8s.json'), 'trivy-k8s.json');
  assert.deepEqual(
    images.map((i) => [i.format, i.names, i.workloads, i.vulns.map((v) => v.id)]),
    [
      ['trivy-k8s', ['nginx:1.25.3'], ['Deployment shop/web', 'StatefulSet shop/cache'], ['CVE-2023-45853', 'CVE-2024-2961']],
      ['trivy-k8s', ['ghcr.io/acme/api:3.1.0'], ['Deployment shop/api'], ['CVE-2024-24790', 'GHSA-m425-mq94-257g']],
      ['trivy-k8s', ['registry.k8s.io/kube-proxy:v1.29.2'], ['DaemonSet kube-system/kube-proxy'], ['CVE-2024-2961']],
    ],
  );
  assert.deepEqual(images[1]!.digests, ['ghcr.io/acme/api@sha256:9b2f3c1de8a07c4a5e1f2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a'], 'no RepoTags: the name comes from the os-pkgs target');
  assert.equal(images[1]!.vulns[0]!.fixedIn, '1.21.11, 1.22.4');
  assert.deepEqual(notes.map((n) => n.resource), ['CronJob shop/report'], 'a resource Trivy could not scan is named');
  // Image reports keep their single-report shape through the same entry point.
  assert.equal(parseVulnReports(fixture('trivy-nginx.json'), 'n.json').images[0]!.format, 'trivy');
});

test('Trivy Kubernetes report before 0.37 (top-level Vulnerabilities) and the consolidated form (Findings)', () => {
  const entry = { Namespace: 'shop', Kind: 'Pod', Name: 'p', Results: [{ Target: 'redis:7.2.4 (debian 12.5)', Class: 'os-pkgs', Type: 'debian', Vulnerabilities: [{ VulnerabilityID: 'CVE-2024-1', PkgName: 'a', InstalledVersion: '1', Severity: 'LOW' }] }] };
  for (const key of ['Vulnerabilities', 'Findings']) {
    const { images } = parseVulnReports(JSON.stringify({ ClusterName: 'c', [key]: [entry], Misconfigurations: [] }), 'k.json');
    assert.deepEqual(images.map((i) => [i.names, i.workloads]), [[['redis:7.2.4'], ['Pod shop/p']]], key);
  }
  const nameless = { ClusterName: 'c', Resources: [{ Kind: 'Pod', Name: 'p', Results: [{ Target: 'app', Class: 'lang-pkgs', Vulnerabilities: [{ VulnerabilityID: 'CVE-1' }] }] }] };
  assert.throws(() => parseVulnReports(JSON.stringify(nameless), 'k.json'), (e: unknown) => e instanceof VulnReportError && /no image name/.test(e.message));
});

test('image reports that match no workload are named (not silent); a pinned workload matches by digest', () => {
  const { images } = parseVulnReports(fixture('trivy-k8s.json'), 'trivy-k8s.json');
  const grype = parseVulnReport(fixture('grype-web.json'), 'grype-web.json');
  const load = loadText(
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      containers: [{name: web, image: docker.io/library/nginx:1.25.3}]\n      initContainers: [{name: api, image: "ghcr.io/acme/api@sha256:9b2f3c1de8a07c4a5e1f2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a"}]\n',
    'w.yaml',
  );
  const notes = unmatchedReportNotes([...images, grype], load.resources);
  assert.deepEqual(
    notes.map((n) => [n.file, n.reason, n.failsClosed]),
    [
      ['trivy-k8s.json', 'image registry.k8s.io/kube-proxy:v1.29.2 with 1 known CVE matches no workload in the scanned input (Trivy saw it in DaemonSet kube-system/kube-proxy)', false],
      ['grype-web.json', 'image ghcr.io/acme/web:2.4.1 with 3 known CVEs matches no workload in the scanned input', false],
    ],
  );
});
