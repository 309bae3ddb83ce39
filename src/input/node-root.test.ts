// `rampart node` end to end on kubeadm-style trees written to a temp dir: one hardened, one weak.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink, writeFile, readFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadNodeRoot } from './node-root.js';
import { writeNodeTree } from './testing/node-tree.js';
import { runEngine, exitCodeFor } from '../engine/run.js';
import { cisRules } from '../rules/cis/index.js';
import type { Finding } from '../engine/finding.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tree(profile: 'hardened' | 'weak'): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), `rampart-node-${profile}-`));
  dirs.push(d);
  await writeNodeTree(d, profile);
  return d;
}

async function audit(root: string) {
  const load = await loadNodeRoot(root);
  const report = runEngine(load, { rules: cisRules });
  return { load, report, exit: exitCodeFor(report.summary, report.findings, 'high') };
}

const cisIds = (fs: Finding[]) => [...new Set(fs.flatMap((f) => f.references.cis))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

test('hardened kubeadm control-plane node: every check passes', async () => {
  const { load, report, exit } = await audit(await tree('hardened'));
  assert.deepEqual(report.errors, []);
  // Without root the fixture cannot chown, so files belong to the test user: ownership is not asserted then.
  const relevant = report.findings.filter((f) => isRoot || !f.ruleId.startsWith('cis/file-ownership-'));
  assert.deepEqual(relevant.map((f) => `${f.ruleId} ${f.location.file}: ${f.message}`), []);
  assert.deepEqual([...load.found.components].sort(), ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']);
  assert.equal(load.found.kubelet, true);
  const kinds = new Set(load.resources.map((r) => r.kind));
  for (const k of ['Pod', 'KubeletConfiguration', 'KubeletFlags', 'EncryptionConfiguration', 'Policy', 'AdmissionConfiguration', 'NodeFile']) assert.ok(kinds.has(k), `expected a ${k}`);
  const roles = new Set(load.resources.filter((r) => r.kind === 'NodeFile').map((r) => (r.object.spec as { role: string }).role));
  assert.deepEqual([...roles].sort(), ['admin-kubeconfig', 'apiserver-manifest', 'client-ca', 'cni-config', 'controller-manager-kubeconfig', 'controller-manager-manifest', 'etcd-data-dir', 'etcd-manifest', 'kubelet-config', 'kubelet-kubeconfig', 'kubelet-service', 'pki-cert', 'pki-directory', 'pki-key', 'scheduler-kubeconfig', 'scheduler-manifest']);
  if (isRoot) assert.equal(exit, 0);
});

test('weak node: the expected CIS items fail, and only those', async () => {
  const { report, exit } = await audit(await tree('weak'));
  assert.deepEqual(report.errors, []);
  const expected = [
    // 1.1 file permissions and ownership (ownership ones need root to chown the fixture)
    '1.1.1', '1.1.3', ...(isRoot ? ['1.1.6'] : []), '1.1.7', '1.1.9', '1.1.11', ...(isRoot ? ['1.1.12'] : []), '1.1.13', '1.1.15', ...(isRoot ? ['1.1.18', '1.1.19'] : []), '1.1.20', '1.1.21',
    // 1.2 API server
    '1.2.1', '1.2.2', '1.2.5', '1.2.6', '1.2.7', '1.2.8', '1.2.10', '1.2.14', '1.2.15', '1.2.16', '1.2.17', '1.2.18', '1.2.19', '1.2.21', '1.2.28', '1.2.29', '1.2.30',
    // 1.3 controller manager, 1.4 scheduler
    '1.3.2', '1.3.3', '1.3.6', '1.3.7', '1.4.1', '1.4.2',
    // 2 etcd
    '2.2', '2.3', '2.4', '2.5', '2.6',
    // 3.2 audit policy quality
    '3.2.2',
    // 4.1 kubelet files, 4.2 kubelet
    '4.1.1', '4.1.5', '4.1.9', '4.2.1', '4.2.2', '4.2.3', '4.2.4', '4.2.5', '4.2.6', '4.2.10', '4.2.11', '4.2.12',
    // 5.2.1 policy control: PodSecurity admission disabled
    '5.2.1',
  ];
  assert.deepEqual(cisIds(report.findings.filter((f) => isRoot || !f.ruleId.startsWith('cis/file-ownership-'))), expected);
  // controls without a CIS v1.12 id still report
  assert.ok(report.findings.some((f) => f.ruleId === 'cis/apiserver-insecure-port'));
  assert.ok(report.findings.some((f) => f.ruleId === 'cis/kubelet-protect-kernel-defaults'));
  assert.equal(exit, 1);
});

test('weak node: findings point at the flag, field or file that causes them', async () => {
  const root = await tree('weak');
  const { report } = await audit(root);
  const at = (id: string) => report.findings.filter((f) => f.ruleId === id).map((f) => `${f.location.file}:${f.location.line}:${f.location.column} ${f.location.path}`);
  // --read-only-port=10255 comes from KUBELET_KUBEADM_ARGS in kubeadm-flags.env (column of the token)
  const env = await readFile(path.join(root, 'var/lib/kubelet/kubeadm-flags.env'), 'utf8');
  assert.deepEqual(at('cis/kubelet-read-only-port'), [`/var/lib/kubelet/kubeadm-flags.env:1:${env.indexOf('--read-only-port') + 1} /args/6`]);
  assert.deepEqual(at('cis/kubelet-anonymous-auth'), ['/var/lib/kubelet/config.yaml:5:5 /authentication/anonymous/enabled']);
  assert.deepEqual(at('cis/etcd-client-cert-auth'), ['/etc/kubernetes/manifests/etcd.yaml:26:7 /spec/containers/0/env/0/value']);
  assert.deepEqual(at('cis/encryption-identity-first'), ['/etc/kubernetes/enc/encryption.yaml:8:5 /resources/0/providers/0']);
  assert.deepEqual(at('cis/file-permissions-pki-key'), ['/etc/kubernetes/pki/ca.key:1:1 /spec/mode', '/etc/kubernetes/pki/etcd/server.key:1:1 /spec/mode']);
  const authz = report.findings.find((f) => f.ruleId === 'cis/apiserver-authorization-always-allow')!;
  assert.equal(authz.location.file, '/etc/kubernetes/manifests/kube-apiserver.yaml');
  assert.match(authz.location.path, /^\/spec\/containers\/0\/command\/\d+$/);
  assert.deepEqual(authz.fix, [{ op: 'set', path: authz.location.path, value: '--authorization-mode=Node,RBAC' }]);
  // nothing secret leaks: neither the aescbc key nor the token file's content
  const out = JSON.stringify(report);
  assert.ok(!out.includes('dGhpcyBpcyBub3QgYSByZWFsIGtleSAxMjM0NTY='), 'encryption key leaked');
  assert.ok(!out.includes('REDACTED-FIXTURE-TOKEN'), 'token file content leaked');
});

test('fails closed: a referenced file that is missing is an error (exit 2)', async () => {
  const root = await tree('hardened');
  await unlink(path.join(root, 'etc/kubernetes/audit/policy.yaml'));
  const { report, exit } = await audit(root);
  assert.equal(report.errors.length, 1);
  assert.match(report.errors[0]!.message, /kube-apiserver --audit-policy-file names this file, but it cannot be read: no such file/);
  assert.equal(report.errors[0]!.file, '/etc/kubernetes/audit/policy.yaml');
  assert.equal(exit, 2);
});

test('fails closed: a flag path that is not on a hostPath mount cannot be read from the node', async () => {
  const root = await tree('hardened');
  const p = path.join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml');
  await writeFile(p, (await readFile(p, 'utf8')).replace('--encryption-provider-config=/etc/kubernetes/enc/encryption.yaml', '--encryption-provider-config=/opt/enc.yaml'));
  await chmod(p, 0o600);
  const { report, exit } = await audit(root);
  assert.deepEqual(report.errors.map((e) => e.message), ['--encryption-provider-config=/opt/enc.yaml is not on a hostPath volume of kube-apiserver, so the file cannot be read from the node; not evaluated']);
  assert.equal(report.errors[0]!.file, '/etc/kubernetes/manifests/kube-apiserver.yaml');
  assert.ok(report.errors[0]!.line! > 10);
  assert.equal(exit, 2);
});

test('an empty root is an error, not a clean pass', async () => {
  const d = await mkdtemp(path.join(tmpdir(), 'rampart-node-empty-'));
  dirs.push(d);
  const { report, exit } = await audit(d);
  assert.match(report.errors[0]?.message ?? '', /no Kubernetes node configuration found/);
  assert.equal(exit, 2);
});

test('worker node without --config: kubelet flag defaults apply', async () => {
  const root = await tree('hardened');
  await rm(path.join(root, 'etc/kubernetes/manifests'), { recursive: true });
  const dropin = path.join(root, 'usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf');
  await writeFile(dropin, (await readFile(dropin, 'utf8')).replace('Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"\n', ''));
  const { load, report } = await audit(root);
  assert.deepEqual(load.found.components, []);
  assert.deepEqual(report.errors, []);
  assert.deepEqual(
    report.findings.filter((f) => isRoot || !f.ruleId.startsWith('cis/file-ownership-')).map((f) => f.ruleId).sort(),
    ['cis/kubelet-anonymous-auth', 'cis/kubelet-authorization-mode', 'cis/kubelet-client-ca', 'cis/kubelet-protect-kernel-defaults', 'cis/kubelet-read-only-port', 'cis/kubelet-tls-cipher-suites'],
  );
  // all point at the ExecStart line of the drop-in (where the flags would go)
  for (const f of report.findings) if (isRoot || !f.ruleId.startsWith('cis/file-ownership-')) assert.equal(f.location.file, '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf');
});

test('--authorization-config: the AuthorizationConfiguration file is read and judged instead of --authorization-mode', async () => {
  const root = await tree('hardened');
  const p = path.join(root, 'etc/kubernetes/manifests/kube-apiserver.yaml');
  await writeFile(p, (await readFile(p, 'utf8')).replace('--authorization-mode=Node,RBAC', '--authorization-config=/etc/kubernetes/enc/authz.yaml'));
  await chmod(p, 0o600);
  await writeFile(path.join(root, 'etc/kubernetes/enc/authz.yaml'), 'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers:\n- type: RBAC\n  name: rbac\n- type: AlwaysAllow\n  name: allow\n');
  const { report, exit } = await audit(root);
  assert.deepEqual(report.errors, []);
  assert.deepEqual(
    report.findings.filter((f) => isRoot || !f.ruleId.startsWith('cis/file-ownership-')).map((f) => `${f.ruleId} ${f.location.file}:${f.location.line} ${f.message}`),
    [
      'cis/authorization-config /etc/kubernetes/enc/authz.yaml:3 no authorizer of type Node, so kubelets are not limited to their own node\'s objects (CIS 1.2.7)',
      'cis/authorization-config /etc/kubernetes/enc/authz.yaml:6 authorizer 1 is AlwaysAllow, so every request is authorized (CIS 1.2.6)',
    ],
  );
  assert.equal(exit, 1);
  await unlink(path.join(root, 'etc/kubernetes/enc/authz.yaml'));
  const missing = await audit(root);
  assert.match(missing.report.errors[0]?.message ?? '', /--authorization-config names this file/);
  assert.equal(missing.exit, 2);
});

test('kubelet --config-dir drop-ins override the config file field by field', async () => {
  const root = await tree('hardened');
  const env = path.join(root, 'var/lib/kubelet/kubeadm-flags.env');
  await writeFile(env, (await readFile(env, 'utf8')).replace('KUBELET_KUBEADM_ARGS="', 'KUBELET_KUBEADM_ARGS="--config-dir=/etc/kubernetes/kubelet.conf.d '));
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.join(root, 'etc/kubernetes/kubelet.conf.d'));
  const dropin = path.join(root, 'etc/kubernetes/kubelet.conf.d/20-debug.conf');
  await writeFile(dropin, 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\nreadOnlyPort: 10255\n');
  await chmod(dropin, 0o600);
  await writeFile(path.join(root, 'etc/kubernetes/kubelet.conf.d/README'), 'not a drop-in\n');
  const { report } = await audit(root);
  assert.deepEqual(report.errors, []);
  assert.deepEqual(
    report.findings.filter((f) => isRoot || !f.ruleId.startsWith('cis/file-ownership-')).map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`),
    ['cis/kubelet-anonymous-auth /etc/kubernetes/kubelet.conf.d/20-debug.conf:5', 'cis/kubelet-read-only-port /etc/kubernetes/kubelet.conf.d/20-debug.conf:6'],
  );
});
