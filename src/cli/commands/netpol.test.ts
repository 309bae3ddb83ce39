// `rampart netpol` end to end (spawns the built CLI: run `npm run build` first; `npm test` does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = mkdtempSync(path.join(tmpdir(), 'rampart-netpol-'));
const good = path.join(dir, 'shop.yaml');
writeFileSync(
  good,
  `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: c, image: postgres, ports: [{name: pg, containerPort: 5432}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: pg}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-public, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]
    ports: [{port: 8080}]
`,
);
const bad = path.join(dir, 'bad.yaml');
writeFileSync(bad, `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: broken, namespace: shop}\nspec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: "80"\n`);

function rampart(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/rampart.js', 'netpol', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('netpol reach -o json has the CONTRACT shape and names the deciding policies', () => {
  const r = rampart('reach', '-f', good, '--from', 'shop/web', '--to', 'shop/db', '--port', '5432/TCP', '-o', 'json');
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.allowed, true);
  assert.deepEqual(j.ingress.policies, ['shop/db-from-web']);
  assert.equal(j.ingress.allowed, true);
  assert.deepEqual(j.egress, { ...j.egress, allowed: true, isolated: false, policies: [] });
  assert.deepEqual(j.errors, []);
});

test('netpol reach: denied port, label selectors, --expect', () => {
  const denied = rampart('reach', '-f', good, '--from', 'shop/app=web', '--to', 'shop/app=db', '--port', '8080/TCP', '-o', 'json');
  assert.equal(JSON.parse(denied.out).allowed, false);
  assert.equal(rampart('reach', '-f', good, '--from', 'shop/web', '--to', 'shop/db', '--port', '8080', '--expect', 'denied').code, 0);
  const miss = rampart('reach', '-f', good, '--from', 'shop/web', '--to', 'shop/db', '--port', '8080', '--expect', 'allowed');
  assert.equal(miss.code, 1);
  assert.match(miss.out, /^DENIED: shop\/web -> shop\/db on 8080\/TCP/);
});

test('netpol reach from outside the cluster uses ipBlock semantics', () => {
  const inside = JSON.parse(rampart('reach', '-f', good, '--from', '10.1.2.3', '--to', 'shop/web', '--port', '8080', '-o', 'json').out);
  const outside = JSON.parse(rampart('reach', '-f', good, '--from', '203.0.113.5', '--to', 'shop/web', '--port', '8080', '-o', 'json').out);
  assert.equal(inside.allowed, false);
  assert.equal(outside.allowed, true);
  assert.ok(outside.notes.some((n: string) => n.includes('ipBlock')));
});

test('netpol: a malformed policy fails closed (exit 2) with file and line', () => {
  const r = rampart('reach', '-f', good, '-f', bad, '--from', 'shop/web', '--to', 'shop/db', '-o', 'json');
  assert.equal(r.code, 2);
  const j = JSON.parse(r.out);
  assert.equal(j.errors.length, 1);
  assert.match(j.errors[0].message, /shop\/broken not evaluated/);
  assert.equal(j.errors[0].line, 8);
});

test('netpol: usage errors exit 2', () => {
  assert.equal(rampart('reach', '-f', good, '--from', 'shop/nope', '--to', 'shop/db').code, 2);
  assert.equal(rampart('who-can-reach', 'shop/db', '-f', good).code, 2);
  assert.equal(rampart('matrix', '-f', good, '-o', 'pdf').code, 2);
  assert.equal(rampart('frobnicate').code, 2);
  assert.equal(rampart('reach', '--from', 'a', '--to', 'b').code, 2);
});

test('netpol matrix: text lines, json, html', () => {
  const text = rampart('matrix', '-f', good);
  assert.equal(text.code, 0);
  assert.ok(text.out.includes('shop/web[Deployment] => shop/db[Deployment] : TCP 5432'));
  assert.ok(text.out.includes('11.0.0.0-255.255.255.255[External] => shop/web[Deployment] : TCP 8080'));
  assert.ok(!text.out.includes('shop/db[Deployment] => shop/web[Deployment]'));
  const j = JSON.parse(rampart('matrix', '-f', good, '-o', 'json').out);
  assert.deepEqual(j.summary, { workloads: 2, pairs: 2, allowedAllPorts: 0, allowedSomePorts: 1, denied: 1 });
  const html = rampart('matrix', '-f', good, '-o', 'html').out;
  assert.match(html, /^<!doctype html>/);
  assert.ok(html.includes('shop/web[Deployment]') && html.includes('TCP 5432'));
});

test('netpol who-can-reach lists workloads and external ranges with policies', () => {
  const j = JSON.parse(rampart('who-can-reach', 'shop/web', '--port', '8080/TCP', '-f', good, '-o', 'json').out);
  assert.deepEqual(
    j.sources.map((s: { peer: string }) => s.peer),
    ['0.0.0.0-9.255.255.255[External]', '11.0.0.0-255.255.255.255[External]'],
  );
  const db = JSON.parse(rampart('who-can-reach', 'shop/db', '--port', 'pg/TCP', '-f', good, '-o', 'json').out);
  assert.deepEqual(db.sources, [{ peer: 'shop/web[Deployment]', kind: 'workload', reaches: ['shop/db[Deployment]'], ingressPolicies: ['shop/db-from-web'], egressPolicies: [] }]);
});

test('netpol text output escapes control characters from manifest names', () => {
  const evil = path.join(dir, 'evil.yaml');
  writeFileSync(evil, 'apiVersion: v1\nkind: Pod\nmetadata: {name: "x\\u001b[31mred", namespace: a}\nspec: {containers: []}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: y, namespace: a}\nspec: {containers: []}\n');
  const r = rampart('matrix', '-f', evil);
  assert.equal(r.code, 0);
  assert.ok(!r.out.includes('\u001b'), 'no raw escape character');
  assert.ok(r.out.includes('x\\x1b[31mred'));
});

test('netpol matrix -n limits the view to a namespace', () => {
  const r = rampart('matrix', '-f', good, '-n', 'other', '-o', 'json');
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out);
  assert.deepEqual(j.workloads, []);
  assert.deepEqual(j.connections, []);
});

test('netpol matrix summarises each namespace (where is it wide open?)', () => {
  const j = JSON.parse(rampart('matrix', '-f', good, '-o', 'json').out);
  assert.deepEqual(j.namespaces, [{ namespace: 'shop', workloads: 2, ingressOpen: 0, egressOpen: 2, reachableFromOtherNamespaces: 0, reachableFromOutside: 1, wideOpen: false }]);
  const open = path.join(dir, 'open.yaml');
  writeFileSync(open, 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: dev}\nspec: {containers: []}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: ops}\nspec: {containers: []}\n');
  const text = rampart('matrix', '-f', open).out;
  assert.match(text, /# namespace dev: 1 workload\(s\), 1 open for ingress, 1 open for egress, 1 reachable from other namespaces, 1 from outside — WIDE OPEN/);
});

test('netpol matrix --group class: classes listed once, one line per class pair, json too', () => {
  const r = rampart('matrix', '-f', good, '--group', 'class');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /# class-\d: 1 workload\(s\), 1 pod\(s\); ingress isolated by shop\/db-from-web, shop\/default-deny; egress open: shop\/db\[Deployment\]/);
  assert.match(r.out, /# note: ipBlock peers are treated as traffic from\/to outside the cluster/);
  const j = JSON.parse(rampart('matrix', '-f', good, '--group', 'class', '-o', 'json').out);
  assert.equal(j.grouping, 'class');
  assert.equal(j.summary.classes, 2);
  const label = (key: string) => j.classes.find((c: { workloads: string[] }) => c.workloads.includes(key)).label;
  assert.ok(j.connections.some((c: { from: string; to: string; connections: string }) => c.from === label('shop/web[Deployment]') && c.to === label('shop/db[Deployment]') && c.connections === 'TCP 5432'));
  assert.equal(rampart('matrix', '-f', good, '--group', 'pod').code, 2);
});

test('netpol: Cilium, Calico and AdminNetworkPolicy objects are not evaluated: named in errors, exit 2', () => {
  const other = path.join(dir, 'cilium.yaml');
  writeFileSync(other, 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: l7, namespace: shop}\nspec: {endpointSelector: {}}\n---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: anp}\nspec: {priority: 1, subject: {namespaces: {}}}\n');
  const r = rampart('reach', '-f', good, '-f', other, '--from', 'shop/web', '--to', 'shop/db', '--port', '5432/TCP', '-o', 'json');
  assert.equal(r.code, 2);
  const j = JSON.parse(r.out);
  assert.equal(j.allowed, true, 'the NetworkPolicy answer is still printed');
  assert.deepEqual(
    j.errors.map((e: { line: number; message: string }) => [e.line, e.message.split(';')[0]]),
    [
      [1, 'CiliumNetworkPolicy shop/l7 (Cilium) is not evaluated by Rampart'],
      [6, 'AdminNetworkPolicy anp (Kubernetes AdminNetworkPolicy) is not evaluated by Rampart'],
    ],
  );
  assert.equal(rampart('matrix', '-f', good, '-f', other).code, 2);
  // A namespaced Cilium policy elsewhere cannot change an answer about shop's pods.
  const elsewhere = path.join(dir, 'cilium-elsewhere.yaml');
  writeFileSync(elsewhere, 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: l7, namespace: blog}\nspec: {endpointSelector: {}}\n');
  const unaffected = rampart('reach', '-f', good, '-f', elsewhere, '--from', 'shop/web', '--to', 'shop/db', '-o', 'json');
  assert.equal(unaffected.code, 0, unaffected.out);
  assert.equal(rampart('who-can-reach', 'shop/db', '--port', '5432/TCP', '-f', good, '-f', elsewhere).code, 2, 'sources span every namespace');
});
