// `rampart node` end to end through bin/rampart.js (needs a build: `npm test` builds first), on
// kubeadm-style node trees written to a temp dir; plus `rampart scan` over the same objects.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeNodeTree } from '../../src/input/testing/node-tree.js';

const built = existsSync('dist/cli/main.js');
if (!built) console.error('\n*** test/cli/node-command.test.ts: dist/ is missing; run `npm run build` (npm test does). Skipping. ***\n');

function rampart(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/rampart.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tree(profile: 'hardened' | 'weak') {
  const d = await mkdtemp(path.join(tmpdir(), `rampart-cli-node-${profile}-`));
  dirs.push(d);
  await writeNodeTree(d, profile);
  return d;
}

interface Report {
  summary: { findings: number; notEvaluated: number; bySeverity: Record<string, number> };
  findings: { ruleId: string; references: { cis: string[] }; location: { file: string; line: number } }[];
  errors: { file: string; message: string }[];
}

test('rampart node --root <hardened> -o json: clean, exit 0', { skip: !built }, async () => {
  // Without root the fixture cannot chown (files belong to the test user), so ownership rules are left out.
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const r = rampart('node', '--root', await tree('hardened'), '-o', 'json', '--no-config', ...(isRoot ? [] : ['--rule', 'cis/apiserver-*', '--rule', 'cis/etcd-*', '--rule', 'cis/kubelet-*', '--rule', 'cis/file-permissions-*', '--rule', 'cis/encryption-*', '--rule', 'cis/audit-*']));
  assert.equal(r.code, 0, r.err + r.out.slice(0, 2000));
  const rep = JSON.parse(r.out) as Report;
  assert.equal(rep.summary.findings, 0);
  assert.equal(rep.summary.notEvaluated, 0);
});

test('rampart node --root <weak>: findings with CIS ids, exit 1; --fail-on never exits 0', { skip: !built }, async () => {
  const root = await tree('weak');
  const r = rampart('node', '--root', root, '-o', 'json', '--no-config');
  assert.equal(r.code, 1, r.err);
  const rep = JSON.parse(r.out) as Report;
  assert.ok(rep.summary.bySeverity.critical! >= 5);
  const f = rep.findings.find((x) => x.ruleId === 'cis/kubelet-read-only-port')!;
  assert.equal(f.location.file, '/var/lib/kubelet/kubeadm-flags.env');
  assert.deepEqual(f.references.cis, ['4.2.4']);
  const text = rampart('node', '--root', root, '--no-config', '--fail-on', 'never', '--rule', 'cis/apiserver-*');
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /CRITICAL cis\/apiserver-authorization-always-allow {2}kube-apiserver: --authorization-mode is set to AlwaysAllow/);
  assert.ok(!/cis\/kubelet-/.test(text.out), '--rule limits the rules');
});

test('rampart node: unreadable root or stray arguments exit 2', { skip: !built }, () => {
  const missing = rampart('node', '--root', path.join(tmpdir(), 'rampart-no-such-root'), '-o', 'json', '--no-config');
  assert.equal(missing.code, 2);
  assert.match((JSON.parse(missing.out) as Report).errors[0]!.message, /not a readable directory/);
  const stray = rampart('node', '/etc', '--no-config');
  assert.equal(stray.code, 2);
  assert.match(stray.err, /give the node root with --root DIR/);
});

test('rampart scan runs the same CIS checks on the node\'s manifests and config files', { skip: !built }, async () => {
  const root = await tree('weak');
  const r = rampart('scan', path.join(root, 'etc/kubernetes'), path.join(root, 'var/lib/kubelet/config.yaml'), '-o', 'json', '--no-config', '--rule', 'cis/*');
  const rep = JSON.parse(r.out) as Report;
  const ids = new Set(rep.findings.map((x) => x.ruleId));
  for (const id of ['cis/apiserver-authorization-always-allow', 'cis/etcd-client-cert-auth', 'cis/encryption-identity-first', 'cis/audit-policy-sensitive-bodies', 'cis/kubelet-anonymous-auth']) assert.ok(ids.has(id), id);
  // file modes are node-only: scan sees no NodeFile objects
  assert.ok(![...ids].some((id) => id.startsWith('cis/file-')));
});

test('rampart rules list --framework cis -o json: benchmark coverage', { skip: !built }, () => {
  const r = rampart('rules', 'list', '--framework', 'cis', '-o', 'json', '--no-config');
  assert.equal(r.code, 0, r.err);
  const data = JSON.parse(r.out) as { coverage: { benchmark: string; summary: { automatable: number; implemented: number }; items: { id: string; covered: boolean; rules: string[] }[] } };
  assert.equal(data.coverage.benchmark, 'cis-1.12');
  assert.equal(data.coverage.summary.automatable, 65);
  assert.equal(data.coverage.summary.implemented, 65);
  assert.deepEqual(data.coverage.items.find((i) => i.id === '2.2')?.rules, ['cis/etcd-client-cert-auth']);
  assert.equal(data.coverage.items.find((i) => i.id === '3.1.1')?.covered, false);
});

test('.rampart.yaml node section: root and etcdDataDirOwner; typos are rejected', { skip: !built }, async () => {
  const { writeFile } = await import('node:fs/promises');
  const root = await tree('weak');
  const cfg = path.join(root, 'rampart.yaml');
  await writeFile(cfg, `node:\n  root: ${JSON.stringify(root)}\n  etcdDataDirOwner: root:root\nfailOn: never\n`);
  const r = rampart('node', '--config', cfg, '-o', 'json');
  assert.equal(r.code, 0, r.err);
  const rep = JSON.parse(r.out) as Report;
  assert.ok(rep.findings.some((f) => f.ruleId === 'cis/file-permissions-etcd-data-dir'));
  if (typeof process.getuid === 'function' && process.getuid() === 0) assert.ok(!rep.findings.some((f) => f.ruleId === 'cis/file-ownership-etcd-data-dir'), 'root:root accepted for the etcd data dir');
  await writeFile(cfg, 'node:\n  rooot: /\n');
  const bad = rampart('node', '--config', cfg);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /additional properties "rooot"/);
});
