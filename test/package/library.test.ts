// The library API (src/index.ts, the package's `exports`): each function against the CLI command it
// stands for, on the same inputs. CLI runs use dist/, so build first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// Through the package's own name: resolves `exports` in package.json to the built dist/index.js.
const lib = await import('rampart');

function cli(args: string[]): { code: number; json: any } {
  const r = spawnSync(process.execPath, ['bin/rampart.js', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, json: JSON.parse(r.stdout) };
}

const key = (f: { ruleId: string; location: { file: string; line: number; path: string }; resource: { kind: string; name: string } }) =>
  `${f.ruleId} ${f.location.file}:${f.location.line} ${f.resource.kind}/${f.resource.name} ${f.location.path}`;

test('scanFiles: the same report as `rampart scan --no-config -o json`, and the same exit code', async () => {
  const report = await lib.scanFiles(['examples']);
  const { code, json } = cli(['scan', 'examples', '--no-config', '-o', 'json']);
  assert.ok(report.findings.length > 0);
  assert.deepEqual(report.findings.map(key), json.findings.map(key));
  // formatReport(..., 'json') is byte-for-byte what the CLI prints (groups and summary.groups included).
  assert.deepEqual(JSON.parse(lib.formatReport(report, 'json')), json);
  assert.equal(lib.exitCode(report), code);
  console.log(`library vs CLI on examples/: ${report.findings.length} findings, ${json.findings.length} from the CLI, summaries equal`);
});

test('scanFiles: rule and severity filters match --rule/--skip-rule/--severity; unknown rule ids throw', async () => {
  const lib1 = await lib.scanFiles(['examples'], { skipRules: ['workload/*'], severities: ['high', 'critical'] });
  const { json } = cli(['scan', 'examples', '--no-config', '-o', 'json', '--skip-rule', 'workload/*', '--severity', 'high,critical']);
  assert.deepEqual(lib1.findings.map(key), json.findings.map(key));
  await assert.rejects(lib.scanFiles(['examples'], { rules: ['workload/no-such-rule'] }), /matches no rule/);
});

test('scanObjects: objects in memory give the findings of the same YAML on disk', async () => {
  const text = readFileSync(`examples/insecure/${readdirSync('examples/insecure').sort()[0]}`, 'utf8');
  const fromText = await lib.scanObjects(text, { source: 'x.yaml' });
  const { parseAllDocuments } = await import('yaml');
  const objects = parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);
  const fromObjects = await lib.scanObjects(objects, { source: 'x.yaml' });
  const ids = (r: { findings: { ruleId: string; resource: { name: string } }[] }) => r.findings.map((f) => `${f.ruleId} ${f.resource.name}`).sort();
  assert.ok(fromText.findings.length > 0);
  assert.deepEqual(ids(fromObjects), ids(fromText));
  assert.equal(fromText.findings[0]!.location.file, 'x.yaml');
  const sarif = JSON.parse(lib.formatReport(fromObjects, 'sarif'));
  assert.equal(sarif.runs[0].results.length, fromObjects.findings.length);
});

test('evaluatePodSecurity: as `rampart pss` judges a privileged pod', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged: true } }] } };
  const base = lib.evaluatePodSecurity(pod, 'baseline');
  assert.equal(base.allowed, false);
  assert.ok(base.violations.some((v) => v.check === 'privileged'), base.violations.map((v) => v.check).join());
  const ok = lib.evaluatePodSecurity({ ...pod, spec: { containers: [{ name: 'c', image: 'x' }] } }, 'baseline', 'v1.30');
  assert.equal(ok.allowed, true);
  assert.throws(() => lib.evaluatePodSecurity({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }), /no pod template/);
  assert.throws(() => lib.evaluatePodSecurity(pod, 'baseline', '1.30'), /invalid PSS version/);
});

test('whoCan: the subjects of `rampart rbac who-can -o json`', async () => {
  const file = 'test/fixtures/rbac/argocd-apps.yaml';
  const req = { kind: 'resource' as const, verb: 'get', namespace: 'argocd', apiGroup: '', resource: 'secrets', subresource: '', name: '' };
  const got = await lib.whoCan([file], req);
  const { json } = cli(['rbac', 'who-can', 'get', 'secrets', '-n', 'argocd', '-f', file, '-o', 'json']);
  assert.ok(got.subjects.length > 1);
  assert.deepEqual(got.subjects, json.subjects);
});

test('reach: the answer of `rampart netpol reach -o json`', async () => {
  const file = 'examples/hardened/web.yaml';
  const got = await lib.reach([file], 'shop/web', 'shop/web', '8080/TCP');
  const { json } = cli(['netpol', 'reach', '-f', file, '--from', 'shop/web', '--to', 'shop/web', '--port', '8080/TCP', '-o', 'json']);
  assert.deepEqual(JSON.parse(JSON.stringify(got)), json);
  assert.equal(typeof got.allowed, 'boolean');
  assert.ok(got.pairs.length > 0, 'the workload was found');
});
