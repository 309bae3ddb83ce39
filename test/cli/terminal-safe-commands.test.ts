// `rampart rbac` and `rampart netpol` text output: every string from a manifest (object names, label
// values, binding and role names) passes through terminalSafe, so escape sequences, carriage
// returns, bidi overrides and newlines in names neither drive the terminal nor forge report lines.
// Spawns the built CLI (run `npm run build` first; `npm test` does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = mkdtempSync(path.join(tmpdir(), 'rampart-tsafe-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

// ESC (colour, cursor up + erase line), CR, BEL, a bidi override and a newline that would start a
// line of its own reading "FORGED".
const EVIL = '\\u001b[31mred\\u001b[1A\\u001b[2K\\r\\u0007\\u202eevil\\nFORGED';
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const rbacFile = path.join(dir, 'rbac.yaml');
writeFileSync(
  rbacFile,
  `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: "r${EVIL}", namespace: apps}
rules: [{apiGroups: [""], resources: [pods], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: "b${EVIL}", namespace: apps}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: "r${EVIL}"}
subjects: [{kind: User, name: "u${EVIL}"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "admin${EVIL}"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: "sa${EVIL}", namespace: apps}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: "missing${EVIL}", namespace: apps}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: "nowhere${EVIL}"}
subjects: [{kind: User, name: x}]
`,
);

const netpolFile = path.join(dir, 'netpol.yaml');
writeFileSync(
  netpolFile,
  `apiVersion: apps/v1
kind: Deployment
metadata: {name: "web${EVIL}", namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: c, image: postgres, ports: [{containerPort: 5432}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: "db-from-web${EVIL}", namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: "cnp${EVIL}", namespace: shop}
spec: {endpointSelector: {}}
`,
);

function rampart(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/rampart.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function assertSafe(what: string, text: string): void {
  assert.ok(text.length > 0, `${what}: printed something`);
  const m = RAW.exec(text);
  assert.equal(m, null, `${what}: raw control character U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} in the output`);
  for (const line of text.split('\n')) assert.ok(!line.startsWith('FORGED'), `${what}: a name forged a line: ${line}`);
  assert.ok(text.includes('\\x1b[31mred') || text.includes('\\x1b\\[31mred'), `${what}: the name is shown, escaped`);
}

const cases: [string, string[]][] = [
  ['rbac who-can', ['rbac', 'who-can', 'create', 'pods', '-n', 'apps', '-f', rbacFile, '--no-defaults']],
  ['rbac can', ['rbac', 'can', `User:u${JSON.parse(`"${EVIL}"`)}`, '-f', rbacFile, '--no-defaults']],
  ['rbac paths', ['rbac', 'paths', '-f', rbacFile, '--no-defaults']],
  ['netpol reach', ['netpol', 'reach', '-f', netpolFile, '--from', 'shop/app=web', '--to', 'shop/app=db']],
  ['netpol who-can-reach', ['netpol', 'who-can-reach', 'shop/app=db', '--port', '5432/TCP', '-f', netpolFile]],
  ['netpol matrix', ['netpol', 'matrix', '-f', netpolFile]],
  ['netpol matrix --group class', ['netpol', 'matrix', '-f', netpolFile, '--group', 'class']],
  // The scan reports of the same objects (rbac and netpol findings, not-evaluated entries).
  ['scan -o text', ['scan', rbacFile, netpolFile, '--fail-on', 'never']],
  ['scan -o markdown', ['scan', rbacFile, netpolFile, '--fail-on', 'never', '-o', 'markdown']],
];

for (const [what, args] of cases) {
  test(`${what}: names with escape sequences are printed escaped`, () => {
    const r = rampart(...args);
    assert.ok(r.code !== null && r.code <= 2, `${what}: ran (exit ${r.code}): ${r.err}`);
    assertSafe(what, r.out);
    if (r.err) assert.equal(RAW.exec(r.err), null, `${what}: raw control character on stderr`);
  });
}
