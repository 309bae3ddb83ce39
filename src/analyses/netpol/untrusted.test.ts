// Untrusted input: policies and workloads with every field replaced by values of the wrong type
// never throw; the parser reports problems instead, and the rules and matrix still run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonValue } from '../../model/types.js';
import { loadText } from '../../input/files.js';
import { runEngine } from '../../engine/run.js';
import { netpolRules } from '../../rules/netpol/index.js';
import { parsePolicy } from './policy.js';
import { clusterFromResources } from './cluster.js';
import { NetpolEngine } from './engine.js';
import { computeMatrix, connectionList } from './matrix.js';

const WEIRD: JsonValue[] = [null, 0, -1, 1.5, 70000, '', 'x', '80', 'TCP', '0.0.0.0/0', '::/0', '10.0.0.0/33', true, [], [null], [{}], {}, { a: 1 }, { matchLabels: [] }, { matchExpressions: {} }];

const TEMPLATE = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'p', namespace: 'a' },
  spec: {
    podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['x'] }] },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [{ from: [{ podSelector: { matchLabels: { a: 'b' } }, namespaceSelector: {} }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 80, endPort: 90, protocol: 'TCP' }, { port: 'http' }] }],
    egress: [{ to: [{ namespaceSelector: { matchLabels: { t: 'y' } } }], ports: [{ port: 53, protocol: 'UDP' }] }],
  },
} as const;

/** Every JSON Pointer-like path into the template, so each position gets each weird value. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function replaced(path: (string | number)[], value: JsonValue): JsonValue {
  const copy = JSON.parse(JSON.stringify(TEMPLATE));
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k];
  cur[path[path.length - 1]!] = value;
  return copy;
}

test('parsePolicy never throws on wrong field types, and reports problems for invalid values', () => {
  let variants = 0;
  let withProblems = 0;
  for (const p of paths(TEMPLATE)) {
    if (p[0] !== 'spec') continue;
    for (const w of WEIRD) {
      const policy = parsePolicy(replaced(p, w));
      variants++;
      if (policy.problems.length) withProblems++;
      for (const pr of policy.problems) assert.ok(pr.path.startsWith('/spec'), `problem path ${pr.path}`);
    }
  }
  assert.ok(variants > 500, `${variants} variants`);
  assert.ok(withProblems > variants / 3, `${withProblems} of ${variants} variants report problems`);
});

test('scan rules and the matrix run over mistyped policies and workloads without errors', () => {
  const docs: string[] = [];
  let i = 0;
  for (const p of paths(TEMPLATE)) {
    if (p[0] !== 'spec') continue;
    for (const w of WEIRD.slice(0, 8)) {
      const obj = replaced(p, w) as { metadata: { name: string } };
      obj.metadata.name = `p${i++}`;
      docs.push(JSON.stringify(obj));
    }
  }
  docs.push(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w', namespace: 'a', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 'x', name: 3 }, { containerPort: 8080, name: 'http', protocol: 'ICMP' }] }] } }));
  docs.push(JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'a', ownerReferences: 'x' }, spec: { template: { metadata: { labels: [] }, spec: { containers: {} } } } }));
  const load = loadText(docs.join('\n---\n'), 'fuzz.yaml');
  assert.deepEqual(load.errors, []);
  const report = runEngine(load, { rules: netpolRules });
  assert.deepEqual(report.errors, []);
  assert.ok(report.findings.some((f) => f.ruleId === 'netpol/invalid-policy'));
  const engine = new NetpolEngine(clusterFromResources(load.resources));
  assert.ok(connectionList(computeMatrix(engine)).length > 0);
});
