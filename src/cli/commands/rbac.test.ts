// `rampart rbac` end to end (spawns the built CLI: run `npm run build` first; `npm test` does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CHAIN = 'test/fixtures/rbac/chain.yaml';
const rampart = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/rampart.js', 'rbac', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const json = (...args: string[]) => {
  const r = rampart(...args, '-o', 'json');
  return { code: r.code, body: JSON.parse(r.out), err: r.err };
};

test('rbac who-can: CONTRACT shape, namespaced request includes RoleBindings of that namespace', () => {
  const { code, body } = json('who-can', 'create', 'pods/exec', '-n', 'ops', '-f', CHAIN);
  assert.equal(code, 0);
  assert.deepEqual(
    body.subjects.map((s: { kind: string; name: string; namespace?: string; via: { binding: string; role: string }[] }) => [s.kind, s.namespace ?? '', s.name, s.via.map((v) => `${v.binding}->${v.role}`).join()]),
    [
      ['Group', '', 'system:masters', 'cluster-admin->cluster-admin'],
      ['ServiceAccount', 'apps', 'runner', 'runner-debugs-ops->debugger'],
      ['ServiceAccount', 'ops', 'admin-sa', 'ops-admin->cluster-admin'],
    ],
  );
  assert.deepEqual(body.errors, []);
});

test('rbac who-can: --subresource and --api-group flags, non-resource URLs, --no-defaults', () => {
  const a = json('who-can', 'create', 'pods', '--subresource', 'exec', '-n', 'ops', '-f', CHAIN);
  assert.equal(a.body.subjects.length, 3);
  const b = json('who-can', 'create', 'deployments', '--api-group', 'apps', '-n', 'apps', '-f', CHAIN, '--no-defaults');
  // Without the defaults, cluster-admin is not in the input: its binding cannot be evaluated (exit 2).
  assert.deepEqual(b.body.subjects.map((s: { name: string }) => s.name), ['alice']);
  assert.equal(b.code, 2);
  assert.match(b.body.errors[0].message, /ClusterRole "cluster-admin" is not in the input/);
  const c = json('who-can', 'get', '/healthz', '-f', CHAIN);
  assert.ok(c.body.subjects.some((s: { name: string }) => s.name === 'system:unauthenticated'), 'public-info-viewer is bound to system:unauthenticated');
});

test('rbac who-can -A: anyone allowed in some namespace, via names the namespace', () => {
  const { body } = json('who-can', 'create', 'pods/exec', '-A', '-f', CHAIN);
  const runner = body.subjects.find((s: { name: string }) => s.name === 'runner');
  assert.deepEqual(runner.via, [{ binding: 'runner-debugs-ops', bindingKind: 'RoleBinding', role: 'debugger', roleKind: 'Role', namespace: 'ops' }]);
  const cluster = json('who-can', 'create', 'pods/exec', '-f', CHAIN);
  assert.ok(!cluster.body.subjects.some((s: { name: string }) => s.name === 'runner'), 'without -A only ClusterRoleBindings answer a cluster-wide request');
});

test('rbac can: everything a subject holds, by scope', () => {
  const { code, body } = json('can', 'ServiceAccount:apps/runner', '-f', CHAIN);
  assert.equal(code, 0);
  assert.deepEqual(Object.keys(body.namespaces), ['ops']);
  assert.deepEqual(body.namespaces.ops.map((p: { verbs: string[]; resources: string[] }) => `${p.verbs.join(',')} ${p.resources.join(',')}`), ['get,list pods', 'create pods/exec']);
  assert.ok(body.user.groups.includes('system:serviceaccounts:apps'));
});

test('rbac paths: the 3-step chain, step by step with binding and role; exit 1 when a path exists', () => {
  const { code, body } = json('paths', 'User:alice', '--to', 'cluster-admin', '-f', CHAIN);
  assert.equal(code, 1);
  assert.equal(body.paths.length, 1);
  const p = body.paths[0];
  assert.deepEqual(
    p.steps.map((s: { fact: number; via: { binding: string; role: string }[] }) => `${s.fact}:${s.via.map((v) => `${v.binding}->${v.role}`).join()}`),
    ['5:alice-deploys->deployer', '11:runner-debugs-ops->debugger', '0:ops-admin->cluster-admin'],
  );
  const text = rampart('paths', 'User:alice', '-f', CHAIN);
  assert.match(text.out, /User alice -> cluster-admin in 3 steps:/);
  assert.match(text.out, /via RoleBinding apps\/alice-deploys -> Role deployer rule 0/);
});

test('rbac paths: no path exits 0', () => {
  const r = rampart('paths', 'User:nobody', '-f', CHAIN);
  assert.equal(r.code, 0);
  assert.match(r.out, /No escalation path/);
});

test('rbac: fail closed on unresolvable roles and broken input (exit 2, errors listed)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-rbac-'));
  const f = path.join(dir, 'broken.yaml');
  writeFileSync(f, 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: dev}\nroleRef: {kind: Role, name: missing}\nsubjects: [{kind: User, name: x}]\n---\nkind: [\n');
  const r = json('who-can', 'get', 'pods', '-n', 'dev', '-f', f);
  assert.equal(r.code, 2);
  assert.ok(r.body.errors.some((e: { message: string }) => e.message.includes('Role "missing" is not in the input')));
  assert.ok(r.body.errors.length >= 2, 'the YAML error is listed too');
});

test('rbac --default-namespace places objects without a namespace, as kubectl apply -n would', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-rbac-'));
  const f = path.join(dir, 'app.yaml');
  writeFileSync(f, 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\nroleRef: {kind: Role, name: r}\nsubjects: [{kind: ServiceAccount, name: app}]\n');
  const placed = json('who-can', 'get', 'secrets', '-n', 'shop', '--default-namespace', 'shop', '-f', f);
  assert.ok(placed.body.subjects.some((s: { kind: string; namespace?: string; name: string }) => s.kind === 'ServiceAccount' && s.namespace === 'shop' && s.name === 'app'));
  const unplaced = json('who-can', 'get', 'secrets', '-n', 'shop', '-f', f);
  assert.ok(!unplaced.body.subjects.some((s: { name: string }) => s.name === 'app'), 'without the flag they are in "default"');
});

test('rbac: usage errors exit 2', () => {
  assert.equal(rampart('who-can', 'get').code, 2);
  assert.equal(rampart('who-can', 'get', 'pods').code, 2, 'no -f');
  assert.equal(rampart('paths', '-f', CHAIN, '--to', 'everything').code, 2);
  assert.equal(rampart('frobnicate').code, 2);
  assert.equal(rampart('can', 'sa:broken', '-f', CHAIN).code, 2);
});
