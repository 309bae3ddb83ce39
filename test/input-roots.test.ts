// Unrelated input roots are separate installs: a folder of projects is not one cluster. Prints, on
// the real-world corpus scanned as one folder, the critical escalation paths that go through
// another project's objects and the largest "workloads in namespace default" count, joined
// (`--one-cluster`, the old behaviour) and per project (the default).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { displayPath, loadInputs, projectRoots } from '../src/input/files.js';
import { runEngine } from '../src/engine/run.js';
import { builtinRules } from '../src/rules/index.js';
import { rbacScanSettings } from '../src/input/rbac-defaults.js';
import type { Finding } from '../src/engine/finding.js';
import type { Resource } from '../src/model/types.js';

const CORPUS = '../shared/corpus/real-world';

// Project "ops" binds cluster-admin to the service account "deployer" of namespace default, as a
// chart does with {{ .Release.Namespace }} rendered to "default". Project "shop" lets its CI user
// create pods in its own namespace-less RoleBinding, and ships a namespace-less ServiceAccount
// named "deployer" too. Joined, the CI user reaches cluster-admin through ops' binding.
const OPS = `apiVersion: v1
kind: ServiceAccount
metadata: {name: deployer}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-deployer}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: deployer, namespace: default}]
`;
const SHOP = `apiVersion: v1
kind: ServiceAccount
metadata: {name: deployer}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-runner}
rules: [{apiGroups: [""], resources: [pods], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci-pods}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-runner}
subjects: [{kind: User, name: ci}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
`;

async function scan(inputs: string[], oneCluster: boolean) {
  const load = await loadInputs(inputs, undefined, false);
  const rbac = await rbacScanSettings(undefined, false, load.resources);
  return { load, report: runEngine(load, { rules: builtinRules, settings: { rbac: rbac.settings, ...(oneCluster ? { oneCluster: true } : {}) } }) };
}

const escalations = (fs: Finding[]) => fs.filter((f) => f.ruleId === 'rbac/escalation-path' && !f.suppressed);
/** Paths that reach cluster-admin through ops' binding (shop's pods also reach a node on their own). */
const throughOps = (fs: Finding[]) => escalations(fs).filter((f) => JSON.stringify(f.details?.steps).includes('ClusterRoleBinding ops-deployer'));

test('two roots: namespace-less objects of different roots share no namespace and no RBAC world', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-roots-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [p, text] of [['ops', OPS], ['shop', SHOP]] as const) {
    mkdirSync(path.join(dir, p));
    writeFileSync(path.join(dir, p, 'all.yaml'), text);
  }
  // Two directories given: two roots.
  const separate = await scan([path.join(dir, 'ops'), path.join(dir, 'shop')], false);
  assert.deepEqual(new Set(separate.load.resources.map((r) => r.root)).size, 2);
  assert.deepEqual(throughOps(separate.report.findings), [], 'the CI user of shop does not reach ops’ cluster-admin');
  const joined = await scan([path.join(dir, 'ops'), path.join(dir, 'shop')], true);
  const paths = throughOps(joined.report.findings);
  assert.equal(paths.length, 1, '--one-cluster keeps the joined view');
  assert.match(paths[0]!.message, /^User ci reaches cluster-admin/);

  // One folder of projects (each with a LICENSE): each project is a root; the same answers.
  for (const p of ['ops', 'shop']) writeFileSync(path.join(dir, p, 'LICENSE'), 'Apache-2.0\n');
  assert.deepEqual([...projectRoots(dir)].sort(), ['ops', 'shop']);
  const folder = await scan([dir], false);
  assert.deepEqual(throughOps(folder.report.findings), []);

  // One project laid out in folders without markers is one root: its RBAC and workloads join.
  rmSync(path.join(dir, 'ops', 'LICENSE'));
  assert.deepEqual([...projectRoots(dir)], []);
  assert.equal(throughOps((await scan([dir], false)).report.findings).length, 1);
});

test('scan --one-cluster (CLI) and scanFiles({ oneCluster }) (library) join the roots', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-roots-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [p, text] of [['ops', OPS], ['shop', SHOP]] as const) {
    mkdirSync(path.join(dir, p));
    writeFileSync(path.join(dir, p, 'all.yaml'), text);
  }
  const roots = [path.join(dir, 'ops'), path.join(dir, 'shop')];
  const cli = (...extra: string[]) => {
    const r = spawnSync(process.execPath, ['bin/rampart.js', 'scan', ...roots, '--no-config', '-o', 'json', '--fail-on', 'never', '--rule', 'rbac/escalation-path', ...extra], { encoding: 'utf8' });
    return throughOps((JSON.parse(r.stdout) as { findings: Finding[] }).findings).length;
  };
  assert.equal(cli(), 0);
  assert.equal(cli('--one-cluster'), 1);
  const { scanFiles } = await import('../src/index.js');
  assert.equal(throughOps((await scanFiles(roots, { render: false, rules: ['rbac/escalation-path'] })).findings).length, 0);
  assert.equal(throughOps((await scanFiles(roots, { render: false, rules: ['rbac/escalation-path'], oneCluster: true })).findings).length, 1);
});

test('files given one by one are one install', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-roots-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'ops.yaml'), OPS);
  writeFileSync(path.join(dir, 'shop.yaml'), SHOP);
  const { load, report } = await scan([path.join(dir, 'ops.yaml'), path.join(dir, 'shop.yaml')], false);
  assert.equal(new Set(load.resources.map((r) => r.root)).size, 1);
  assert.equal(throughOps(report.findings).length, 1);
});

test('display paths and roots, worked out once per folder, are what path.relative gives for each file', async (t) => {
  const dir = mkdtempSync(path.join(process.cwd(), '.rampart-roots-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = ['ops/all.yaml', 'ops/rbac/deep/x.yaml', 'shop/all.yaml', 'shop/..odd.yaml', 'loose.yaml'];
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${path.basename(f, '.yaml').replace(/\W/g, '')}}\n`);
  }
  for (const p of ['ops', 'shop']) writeFileSync(path.join(dir, p, 'LICENSE'), 'Apache-2.0\n');
  // The formula the per-folder shortcut stands in for.
  const shown = (p: string) => {
    const rel = path.relative(process.cwd(), p);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : p;
  };
  const rel = path.relative(process.cwd(), dir);
  const outside = path.relative(path.join(process.cwd(), '..'), dir);
  for (const input of [dir, rel, `./${rel}`, `${rel}${path.sep}`, path.join('..', path.basename(process.cwd()), rel)]) {
    const load = await loadInputs([input], undefined, false);
    assert.equal(load.resources.length, files.length, input);
    for (const r of load.resources) {
      const file = files.find((f) => shown(path.join(dir, f)) === r.file || path.join(input, f) === r.file);
      assert.ok(file, `${input}: ${r.file} is one of the files, shown as path.relative shows it`);
      assert.equal(r.file, shown(path.join(input, file)));
      const project = file.split('/')[0]!;
      assert.equal(r.root, shown(['ops', 'shop'].includes(project) ? path.join(input, project) : input), `${input}: root of ${file}`);
    }
  }
  const odd = ['a.yaml', './a.yaml', 'x/../a.yaml', '../a.yaml', '/tmp/a.yaml', path.join(process.cwd(), 'b', 'c.yaml'), process.cwd(), '.', '..', 'a/', 'a//b.yaml', 'a/./b.yaml', '..a.yaml', 'a/..b.yaml', '/', outside];
  for (const p of [...odd, ...odd]) assert.equal(displayPath(p), shown(p), JSON.stringify(p));
});

/** Project of a display path inside the corpus. */
function projectOf(file: string): string {
  return path.relative(CORPUS, file).split(path.sep)[0]!;
}

/**
 * Whether a path's steps go through a binding that its own project does not have (each step names
 * its bindings as "Kind ns/name -> ..."): such a chain joins two unrelated installs.
 */
function crossesProjects(f: Finding, bindings: Map<string, Set<string>>): boolean {
  const own = projectOf(f.location.file);
  const steps = (f.details?.steps ?? []) as { via: string[] }[];
  for (const s of steps)
    for (const v of s.via) {
      const key = v.split(' -> ')[0]!;
      const projects = bindings.get(key);
      // Bindings of the bootstrap policy belong to every cluster.
      if (projects && !projects.has(own)) return true;
    }
  return false;
}

test('real-world corpus as one folder: no escalation path and no namespace count across projects', { timeout: 900_000 }, async (t) => {
  if (!existsSync(CORPUS)) {
    t.skip(`SKIPPED: ${CORPUS} is missing; cross-project figures NOT printed`);
    return;
  }
  const figures: Record<string, { critical: number; crossing: number; maxDefault: number; where: string }> = {};
  for (const oneCluster of [true, false]) {
    const { load, report } = await scan([CORPUS], oneCluster);
    const bindings = new Map<string, Set<string>>();
    for (const r of load.resources as Resource[])
      if (r.kind === 'RoleBinding' || r.kind === 'ClusterRoleBinding') {
        const key = `${r.kind} ${r.namespace ? r.namespace + '/' : ''}${r.name}`;
        if (!bindings.has(key)) bindings.set(key, new Set());
        bindings.get(key)!.add(projectOf(r.file));
      }
    const critical = escalations(report.findings).filter((f) => f.severity === 'critical');
    const crossing = escalations(report.findings).filter((f) => crossesProjects(f, bindings));
    let maxDefault = 0;
    let where = '';
    for (const f of report.findings) {
      const m = f.ruleId.startsWith('netpol/namespace-default-deny') ? /^namespace "default" .*?; (\d+) workload\(s\)/.exec(f.message) : null;
      if (m && Number(m[1]) > maxDefault) [maxDefault, where] = [Number(m[1]), projectOf(f.location.file)];
    }
    figures[oneCluster ? 'joined (--one-cluster)' : 'per project (default)'] = { critical: critical.length, crossing: crossing.length, maxDefault, where };
  }
  console.log('\nreal-world corpus scanned as one folder: escalation paths and namespace "default"');
  for (const [mode, v] of Object.entries(figures)) console.log(`  ${mode.padEnd(24)} critical paths ${String(v.critical).padStart(3)}, crossing projects ${String(v.crossing).padStart(3)}, most workloads in one "default" ${v.maxDefault} (finding on ${v.where})`);
  const perProject = figures['per project (default)']!;
  assert.equal(perProject.crossing, 0, 'no escalation path goes through another project');
  assert.ok(figures['joined (--one-cluster)']!.crossing > 0, 'the joined view did cross projects (the measure works)');
  assert.ok(perProject.maxDefault < figures['joined (--one-cluster)']!.maxDefault, 'per project, "default" holds one project’s workloads');
});
