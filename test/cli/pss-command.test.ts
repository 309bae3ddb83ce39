// `rampart pss` and pss/* in `rampart scan`, end to end through bin/rampart.js (needs a build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const built = existsSync('dist/cli/main.js');
if (!built) console.error('\n*** test/cli/pss-command.test.ts: dist/ is missing; run `npm run build` (npm test does). Skipping. ***\n');

function rampart(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['bin/rampart.js', ...args], { encoding: 'utf8', input });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(path.join(tmpdir(), 'rampart-pss-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const PRIVILEGED = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx
        securityContext:
          privileged: true
`;
const BASELINE_OK = `apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: shop}
spec:
  containers: [{name: app, image: nginx}]
`;
const RESTRICTED_OK = `apiVersion: v1
kind: Pod
metadata: {name: locked, namespace: batch}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: app
    image: nginx
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;
const NAMESPACES = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {pod-security.kubernetes.io/enforce: restricted}
---
apiVersion: v1
kind: Namespace
metadata: {name: batch}
`;

test('pss -o json: CONTRACT shape, upstream reason text, exit 1 on a denial', { skip: !built }, () => {
  const r = rampart(['pss', file('priv.yaml', PRIVILEGED), '--level', 'baseline', '-o', 'json', '--no-config']);
  assert.equal(r.code, 1, r.err);
  const data = JSON.parse(r.out);
  assert.equal(data.level, 'baseline');
  assert.equal(data.version, 'latest');
  assert.equal(data.results.length, 1);
  const res = data.results[0];
  assert.deepEqual(res.resource, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
  assert.equal(res.location.line, 1);
  assert.equal(res.allowed, false);
  assert.deepEqual(res.violations.map((v: { check: string }) => v.check), ['privileged']);
  assert.equal(res.violations[0].reason, 'privileged (container "app" must not set securityContext.privileged=true)');
  assert.equal(res.violations[0].fields[0].path, '/spec/template/spec/containers/0/securityContext/privileged');
  assert.equal(res.violations[0].fields[0].line, 11);
  assert.equal(res.message, 'would violate PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)');
});

test('pss: --fail-on never and a pod that is admitted exit 0; version pins change the answer', { skip: !built }, () => {
  assert.equal(rampart(['pss', file('priv2.yaml', PRIVILEGED), '--level', 'baseline', '--fail-on', 'never', '--no-config']).code, 0);
  assert.equal(rampart(['pss', file('ok.yaml', RESTRICTED_OK), '--level', 'restricted', '--no-config']).code, 0);
  const win = file('win.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  os: {name: windows}\n  securityContext: {runAsNonRoot: true}\n  containers: [{name: a}]\n');
  assert.equal(rampart(['pss', win, '--level', 'restricted', '--version', 'v1.25', '--no-config']).code, 0);
  const old = rampart(['pss', win, '--level', 'restricted', '--version', 'v1.24', '-o', 'json', '--no-config']);
  assert.equal(old.code, 1);
  assert.deepEqual(JSON.parse(old.out).results[0].violations.map((v: { check: string }) => v.check), ['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
});

test('pss: --fail-on high ignores restricted-only (medium) denials', { skip: !built }, () => {
  assert.equal(rampart(['pss', file('plain.yaml', BASELINE_OK), '--fail-on', 'high', '--no-config']).code, 0);
  assert.equal(rampart(['pss', file('plain2.yaml', BASELINE_OK), '--fail-on', 'medium', '--no-config']).code, 1);
});

test('pss: malformed fields fail closed (exit 2), stdin works', { skip: !built }, () => {
  const r = rampart(['pss', '-', '-o', 'json', '--no-config'], 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext: {privileged: "true"}\n');
  assert.equal(r.code, 2, r.err);
  const data = JSON.parse(r.out);
  assert.equal(data.summary.notEvaluated, 1);
  assert.equal(data.results[0].notEvaluated[0].path, '/spec/containers/0/securityContext/privileged');
});

test('pss: usage errors exit 2', { skip: !built }, () => {
  for (const args of [['pss'], ['pss', 'x.yaml', '--level', 'strict'], ['pss', 'x.yaml', '--version', '1.30'], ['pss', 'x.yaml', '-o', 'sarif']]) {
    const r = rampart([...args, '--no-config']);
    assert.equal(r.code, 2, args.join(' '));
    // A short message and a pointer to --help; the full usage only on --help.
    assert.match(r.err, /^rampart pss: .*\nRun 'rampart pss --help' for usage\.\n$/);
    assert.doesNotMatch(r.err, /Usage:/);
  }
});

test('pss: exemptions from the config file are reported as exempt', { skip: !built }, () => {
  const cfg = file('rampart.yaml', 'pss:\n  level: baseline\n  exemptions:\n    namespaces: [shop]\n');
  const r = rampart(['pss', file('priv3.yaml', PRIVILEGED), '--config', cfg, '-o', 'json']);
  assert.equal(r.code, 0, r.err);
  const data = JSON.parse(r.out);
  assert.equal(data.level, 'baseline');
  assert.equal(data.results[0].exempt, 'namespace "shop" is exempt');
  assert.equal(data.summary.exempt, 1);
});

test('pss: an invalid pss section in the config is a usage error naming the field', { skip: !built }, () => {
  for (const [text, re] of [
    ['pss:\n  level: strict\n', /\/pss\/level/],
    ['pss:\n  version: "1.30"\n', /\/pss\/version/],
    ['pss:\n  exemptions:\n    users: [a]\n', /users/],
  ] as const) {
    const r = rampart(['pss', file('cfg-ok.yaml', BASELINE_OK), '--config', file('bad-config.yaml', text)]);
    assert.equal(r.code, 2, text);
    assert.match(r.err, re);
  }
});

test('pss --from-namespaces: each pod at its Namespace enforce label, others at --level', { skip: !built }, () => {
  const other = file('other.yaml', BASELINE_OK.replace('namespace: shop', 'namespace: elsewhere'));
  const r = rampart(['pss', file('ns2.yaml', NAMESPACES), file('p3.yaml', BASELINE_OK), other, '--from-namespaces', '--level', 'baseline', '-o', 'json', '--no-config']);
  assert.equal(r.code, 1, r.err);
  const data = JSON.parse(r.out);
  const shop = data.results.find((x: { resource: { namespace: string } }) => x.resource.namespace === 'shop');
  assert.deepEqual(shop.policy, { level: 'restricted', version: 'latest', source: 'namespace shop labels' });
  assert.equal(shop.allowed, false);
  const elsewhere = data.results.find((x: { resource: { namespace: string } }) => x.resource.namespace === 'elsewhere');
  assert.equal(elsewhere.policy, undefined);
  assert.equal(elsewhere.allowed, true);
});

test('pss evaluates a directory file by file: a Namespace in a later file still sets --from-namespaces levels; a bad file in between is named', { skip: !built }, () => {
  // Files are evaluated as they are read; --from-namespaces reads the Namespaces first.
  const tree = path.join(dir, 'by-file');
  mkdirSync(tree, { recursive: true });
  writeFileSync(path.join(tree, 'a-pods.yaml'), `${BASELINE_OK}---\n${RESTRICTED_OK}`);
  writeFileSync(path.join(tree, 'm-bad.yaml'), 'kind: Pod\nmetadata: {name: [unclosed\n');
  writeFileSync(path.join(tree, 'z-ns.yaml'), NAMESPACES);
  const json = rampart(['pss', tree, '--from-namespaces', '--level', 'baseline', '-o', 'json', '--no-config']);
  assert.equal(json.code, 2, json.err);
  const data = JSON.parse(json.out);
  assert.deepEqual(
    data.results.map((x: { resource: { name: string }; allowed: boolean; policy?: { level: string } }) => `${x.resource.name}:${x.allowed}:${x.policy?.level ?? '-'}`),
    ['plain:false:restricted', 'locked:true:privileged'],
  );
  assert.deepEqual(data.summary, { pods: 2, allowed: 1, denied: 1, exempt: 0, notEvaluated: 0 });
  assert.ok(data.errors.some((e: { file: string }) => e.file.endsWith('m-bad.yaml')), JSON.stringify(data.errors));
  const text = rampart(['pss', tree, '--from-namespaces', '--level', 'baseline', '--no-config']);
  assert.equal(text.code, 2, text.err);
  assert.match(text.out, /^DENIED {3}Pod shop\/plain .*\[restricted:latest from namespace shop labels\]$/m);
  assert.match(text.out, /^2 pods evaluated at baseline:latest \(v1\.37\): 1 allowed, 1 denied, 0 exempt, 0 not evaluated$/m);
  assert.match(text.out, /^error: .*m-bad\.yaml/m);
  const suggest = rampart(['pss', tree, '--suggest', '-o', 'json', '--no-config']);
  assert.equal(suggest.code, 2, suggest.err);
  const shop = JSON.parse(suggest.out).namespaces.find((n: { namespace: string }) => n.namespace === 'shop');
  assert.deepEqual([shop.enforce, shop.current, shop.currentDenies], ['baseline', { enforce: 'restricted' }, true]);
});

test('pss --suggest: strictest level per workload and strongest enforce label per namespace', { skip: !built }, () => {
  const r = rampart(['pss', file('ns.yaml', NAMESPACES), file('p1.yaml', BASELINE_OK), file('p2.yaml', RESTRICTED_OK), '--suggest', '-o', 'json', '--no-config']);
  assert.equal(r.code, 0, r.err);
  const data = JSON.parse(r.out);
  assert.deepEqual(
    data.workloads.map((w: { resource: { name: string }; strictest: string }) => `${w.resource.name}=${w.strictest}`),
    ['plain=baseline', 'locked=restricted'],
  );
  const shop = data.namespaces.find((n: { namespace: string }) => n.namespace === 'shop');
  assert.equal(shop.enforce, 'baseline');
  assert.equal(shop.labels['pod-security.kubernetes.io/enforce'], 'baseline');
  assert.equal(shop.labels['pod-security.kubernetes.io/enforce-version'], 'v1.37');
  assert.equal(shop.current.enforce, 'restricted');
  assert.equal(shop.currentDenies, true);
  const batch = data.namespaces.find((n: { namespace: string }) => n.namespace === 'batch');
  assert.equal(batch.enforce, 'restricted');
});

test('scan reports pss/<check> findings at the configured level, pointing at the field', { skip: !built }, () => {
  const f = file('scan.yaml', PRIVILEGED);
  const r = rampart(['scan', f, '--rule', 'pss/*', '--pss-level', 'baseline', '-o', 'json', '--no-config']);
  assert.equal(r.code, 1, r.err);
  const data = JSON.parse(r.out);
  const ids = data.findings.map((x: { ruleId: string }) => x.ruleId);
  assert.deepEqual(ids, ['pss/privileged']);
  const p = data.findings[0];
  assert.equal(p.severity, 'critical');
  assert.equal(p.location.line, 11);
  assert.equal(p.location.column, 11);
  assert.equal(p.references.pss, 'baseline');
  const restricted = JSON.parse(rampart(['scan', f, '--rule', 'pss/*', '-o', 'json', '--no-config']).out);
  const rids = new Set(restricted.findings.map((x: { ruleId: string }) => x.ruleId));
  for (const id of ['pss/privileged', 'pss/runAsNonRoot', 'pss/allowPrivilegeEscalation', 'pss/seccompProfile_restricted', 'pss/capabilities_restricted']) assert.ok(rids.has(id), id);
  const bad = rampart(['scan', f, '--rule', 'pss/*', '--pss-level', 'strict', '--no-config']);
  assert.equal(bad.code, 2, 'an invalid --pss-level fails closed');
});
