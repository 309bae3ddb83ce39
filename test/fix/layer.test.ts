// The pure fix layer on its own: planning (merges, conflicts, classes), JSONPatch, byte-range edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { applyOps, editSource, planFixes, redactSecrets, toJsonPatch, unifiedDiff, type FixClass, type FixRequest } from '../../src/fix/index.js';
import type { JsonObject } from '../../src/model/types.js';

const classes: Record<string, FixClass> = { 'pss/capabilities_restricted': 'may-break', 'workload/drop-net-raw': 'may-break', 'pss/runAsNonRoot': 'may-break', 'workload/read-only-root-fs': 'may-break', 'cis/audit-policy-sensitive-bodies': 'safe' };
const opts = (include: FixClass[] = ['safe', 'may-break']) => ({ include, classOf: (id: string) => classes[id] });
const C = '/spec/containers/0';
const pod = (sc: JsonObject = {}, podSc: JsonObject = {}, image = 'shop/app:1'): JsonObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { securityContext: podSc, containers: [{ name: 'c', image, securityContext: sc }] } });

test('plan: drop ALL subsumes NET_RAW (one op, both findings addressed, whatever the order)', () => {
  const reqs: FixRequest[] = [
    { ruleId: 'workload/drop-net-raw', fix: [{ op: 'set', path: `${C}/securityContext/capabilities/drop`, value: ['NET_RAW'] }] },
    { ruleId: 'pss/capabilities_restricted', fix: [{ op: 'set', path: `${C}/securityContext/capabilities/drop`, value: ['ALL'] }] },
  ];
  for (const order of [reqs, [...reqs].reverse()]) {
    const plan = planFixes(pod(), order, opts());
    assert.deepEqual(plan.ops.map((o) => [o.path, o.value, o.rules.sort()]), [[`${C}/securityContext/capabilities/drop`, ['ALL'], ['pss/capabilities_restricted', 'workload/drop-net-raw']]]);
    assert.equal(plan.addressed.length, 2);
  }
  // Existing entries are kept: ALL is appended, not a rewrite of the list.
  const kept = planFixes(pod({ capabilities: { drop: ['NET_ADMIN'] } }), reqs, opts());
  assert.deepEqual(kept.ops[0]!.value, ['NET_ADMIN', 'ALL']);
  // PSA reads ALL case-sensitively: a lower-case `all` does not satisfy it, so ALL is still added.
  assert.deepEqual(planFixes(pod({ capabilities: { drop: ['all'] } }), reqs, opts()).ops[0]!.value, ['all', 'ALL']);
});

test('plan: never runAsNonRoot next to runAsUser 0 or on an image known to run as root; safe when a non-zero uid is set', () => {
  const req: FixRequest = { ruleId: 'pss/runAsNonRoot', fix: [{ op: 'set', path: `${C}/securityContext/runAsNonRoot`, value: true }] };
  const root = planFixes(pod({ runAsUser: 0 }), [req], opts());
  assert.equal(root.ops.length, 0);
  assert.match(root.skipped[0]!.detail, /runAsUser 0 stays/);
  const podRoot = planFixes(pod({}, { runAsUser: 0 }), [req], opts());
  assert.equal(podRoot.skipped[0]!.reason, 'unsafe');
  const nginx = planFixes(pod({}, {}, 'nginx:1.27'), [req], opts());
  assert.match(nginx.skipped[0]!.detail, /image nginx:1\.27 runs as root/);
  const unknown = planFixes(pod(), [req], opts(['safe']));
  assert.deepEqual([unknown.ops.length, unknown.skipped[0]!.reason], [0, 'may-break']);
  const uid = planFixes(pod({}, { runAsUser: 1000 }), [req], opts(['safe']));
  assert.deepEqual(uid.ops.map((o) => [o.fixClass, o.path]), [['safe', `${C}/securityContext/runAsNonRoot`]]);
});

test('plan: no read-only root where the image writes and no volume is mounted there', () => {
  const req: FixRequest = { ruleId: 'workload/read-only-root-fs', fix: [{ op: 'set', path: `${C}/securityContext/readOnlyRootFilesystem`, value: true }] };
  assert.equal(planFixes(pod({}, {}, 'nginx'), [req], opts()).skipped[0]!.reason, 'unsafe');
  const withVolumes = pod({}, {}, 'nginx');
  ((withVolumes.spec as JsonObject).containers as JsonObject[])[0]!.volumeMounts = [{ name: 'a', mountPath: '/var/cache/nginx' }, { name: 'b', mountPath: '/var/run' }];
  assert.equal(planFixes(withVolumes, [req], opts()).ops.length, 1);
});

test('plan: different values for one field, a rule without a fix class, and a mistyped parent are skipped with reasons', () => {
  const a: FixRequest = { ruleId: 'workload/read-only-root-fs', fix: [{ op: 'set', path: `${C}/securityContext/readOnlyRootFilesystem`, value: true }] };
  const b: FixRequest = { ruleId: 'cis/audit-policy-sensitive-bodies', fix: [{ op: 'set', path: `${C}/securityContext/readOnlyRootFilesystem`, value: false }] };
  const plan = planFixes(pod(), [a, b], opts());
  assert.deepEqual([plan.ops.length, plan.skipped.map((s) => s.reason)], [0, ['conflict', 'conflict']]);
  assert.equal(planFixes(pod(), [{ ruleId: 'x/unknown', fix: a.fix! }], opts()).skipped[0]!.reason, 'not-advertised');
  const mistyped = planFixes(pod(['bad'] as unknown as JsonObject), [a], opts());
  assert.match(mistyped.skipped[0]!.detail, /securityContext is not a mapping/);
});

test('toJsonPatch: replace what exists, add the missing subtree once, and it applies to the same object', () => {
  const obj = pod({ privileged: true });
  const plan = { ops: [
    { op: 'set' as const, path: `${C}/securityContext/privileged`, value: false, fixClass: 'may-break' as const, rules: [] },
    { op: 'set' as const, path: `${C}/securityContext/capabilities/drop`, value: ['ALL'], fixClass: 'may-break' as const, rules: [] },
    { op: 'set' as const, path: '/spec/securityContext/seccompProfile/type', value: 'RuntimeDefault', fixClass: 'may-break' as const, rules: [] },
  ] };
  const patch = toJsonPatch(plan, obj);
  assert.deepEqual(patch, [
    { op: 'replace', path: `${C}/securityContext/privileged`, value: false },
    { op: 'add', path: `${C}/securityContext/capabilities`, value: { drop: ['ALL'] } },
    { op: 'add', path: '/spec/securityContext/seccompProfile', value: { type: 'RuntimeDefault' } },
  ]);
  assert.deepEqual(applyOps(obj, plan.ops), { ...obj, spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'c', image: 'shop/app:1', securityContext: { privileged: false, capabilities: { drop: ['ALL'] } } }] } });
});

test('editSource: block, flow and JSON insertions keep every other byte; a shared anchor is refused', () => {
  const cases: { text: string; json?: boolean; path: string; value: unknown; expect: string }[] = [
    { text: 'a:\n  b: 1   # keep\nc: 0o7\n', path: '/a/x/k', value: true, expect: 'a:\n  b: 1   # keep\n  x:\n    k: true\nc: 0o7\n' },
    { text: 'a: {b: 1}\n', path: '/a/c', value: 'on', expect: 'a: {b: 1, c: "on"}\n' },
    { text: '{\n  "a": {\n    "b": 1\n  }\n}\n', json: true, path: '/a/c', value: ['X'], expect: '{\n  "a": {\n    "b": 1,\n    "c": ["X"]\n  }\n}\n' },
    { text: 'a:\r\n  b: 1\r\n', path: '/a/b', value: 2, expect: 'a:\r\n  b: 2\r\n' },
    { text: 'a:\n  d:\n  - X\nz: 1', path: '/a/d', value: ['X', 'ALL'], expect: 'a:\n  d:\n  - X\n  - ALL\nz: 1' },
    { text: 'a:\n  s:\nb: 1\n', path: '/a/s/k', value: false, expect: 'a:\n  s: {k: false}\nb: 1\n' },
    { text: 'a:\n  b: 1\n  e: [1]\n  c: 2\n', path: '/a/e', value: null, expect: 'a:\n  b: 1\n  c: 2\n' },
  ];
  for (const c of cases) {
    const op = c.value === null ? { docIndex: 0, op: 'remove' as const, path: c.path } : { docIndex: 0, op: 'set' as const, path: c.path, value: c.value as never };
    const out = editSource(c.text, [op], { json: c.json === true });
    assert.deepEqual(out.failed, [], c.text);
    assert.equal(out.text, c.expect);
    if (c.json) assert.doesNotThrow(() => JSON.parse(out.text));
    else assert.ok(parse(out.text, { version: '1.1' }));
  }
  const shared = editSource('a: &x {p: true}\nb: *x\n', [{ docIndex: 0, op: 'set', path: '/a/p', value: false }]);
  assert.equal(shared.text, 'a: &x {p: true}\nb: *x\n');
  assert.match(shared.failed[0]!.reason, /shared through aliases/);
});

test('diffs mask secret values in context lines: Secret data, env values, last-applied, credential keys, template lines', () => {
  const yaml = `apiVersion: v1
kind: Secret
metadata:
  name: s
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"password":"annot-Token-0c0c"}}'
stringData:
  password: stringData-Value-77aa
data:
  key: |
    ZGF0YS1wbGFpbi1WYWx1ZS01NWJi
    bW9yZQ==
---
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data:
  GITHUB_TOKEN: ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789
  mode: fast
`;
  const masked = redactSecrets(yaml);
  for (const s of ['annot-Token-0c0c', 'stringData-Value-77aa', 'ZGF0YS1wbGFpbi1WYWx1ZS01NWJi', 'bW9yZQ==', 'ghp_AbCd']) assert.ok(!masked.includes(s), s);
  assert.equal(masked.split('\n').length, yaml.split('\n').length, 'line count kept, so diffs align');
  assert.match(masked, /mode: fast/);
  const template = '        - name: DB_PASSWORD\n          value: {{ .Values.x }}\n        password: hunter2-literal\n';
  assert.ok(!redactSecrets(template).includes('hunter2-literal'));
  const diff = unifiedDiff('s.yaml', yaml, yaml.replace('mode: fast', 'mode: slow'));
  assert.match(diff, /^-  mode: fast\n\+  mode: slow$/m);
  assert.ok(!diff.includes('ghp_AbCd'));
});
