// The index answers as the RBAC authorizer: binding scopes, aggregation, defaults, broken input.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { indexOf } from './testing.js';
import { ruleAllows, serviceAccountUser, userInfo, type Request } from './match.js';
import { loadRbacDefaults, DEFAULT_FILES, RBAC_DEFAULTS_DIR } from '../../input/rbac-defaults.js';
import type { Resource } from '../../model/types.js';

const R = (verb: string, resource: string, namespace = '', apiGroup = '', name = ''): Request => {
  const [r, sub] = resource.split('/');
  return { kind: 'resource', verb, namespace, apiGroup, resource: r!, subresource: sub ?? '', name };
};
const U = (verb: string, p: string): Request => ({ kind: 'nonResource', verb, path: p });

const POLICY = `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: dev}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: alice-reads, namespace: dev}
subjects: [{kind: User, name: alice}]
roleRef: {kind: Role, name: reader, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules:
- {apiGroups: [""], resources: [secrets], verbs: [get]}
- {nonResourceURLs: ["/metrics"], verbs: [get]}
- {apiGroups: [""], resources: [nodes], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: bob-secrets, namespace: dev}
subjects: [{kind: User, name: bob}, {kind: ServiceAccount, name: app}]
roleRef: {kind: ClusterRole, name: secret-reader, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: carol-secrets}
subjects: [{kind: User, name: carol}, {kind: ServiceAccount, name: nons}]
roleRef: {kind: ClusterRole, name: secret-reader, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: all-sas-read, namespace: prod}
subjects: [{kind: Group, name: "system:serviceaccounts:dev"}]
roleRef: {kind: Role, name: reader, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: prod}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: agg-top}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {example.com/aggregate-to-top: "true"}
rules:
- {apiGroups: [""], resources: [services], verbs: [delete]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: agg-middle, labels: {example.com/aggregate-to-top: "true"}}
aggregationRule:
  clusterRoleSelectors:
  - matchExpressions: [{key: example.com/aggregate-to-middle, operator: Exists}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: part-a, labels: {example.com/aggregate-to-middle: "yes"}}
rules:
- {apiGroups: [apps], resources: [deployments], verbs: [create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: part-b, labels: {example.com/aggregate-to-top: "true"}}
rules:
- {apiGroups: [batch], resources: [jobs], verbs: [create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: dave-top}
subjects: [{kind: User, name: dave}]
roleRef: {kind: ClusterRole, name: agg-top, apiGroup: rbac.authorization.k8s.io}
`;

const { index } = indexOf(POLICY);
const alice = userInfo('alice');
const bob = userInfo('bob');
const carol = userInfo('carol');
const dave = userInfo('dave');
const devApp = serviceAccountUser('dev', 'app');
const devOther = serviceAccountUser('dev', 'other');

const cases: [string, ReturnType<typeof userInfo>, Request, boolean][] = [
  ['RoleBinding grants in its namespace', alice, R('get', 'pods', 'dev'), true],
  ['RoleBinding grants nothing in other namespaces', alice, R('get', 'pods', 'prod'), false],
  ['RoleBinding grants nothing cluster-wide (all namespaces)', alice, R('list', 'pods'), false],
  ['RoleBinding to a ClusterRole grants only in the binding namespace', bob, R('get', 'secrets', 'dev'), true],
  ['... and not elsewhere', bob, R('get', 'secrets', 'prod'), false],
  ['RoleBinding to a ClusterRole does not grant cluster-scoped resources', bob, R('list', 'nodes'), false],
  ['RoleBinding never grants non-resource URLs', bob, U('get', '/metrics'), false],
  ['ClusterRoleBinding grants in every namespace', carol, R('get', 'secrets', 'anywhere'), true],
  ['ClusterRoleBinding grants across all namespaces', carol, R('get', 'secrets'), true],
  ['ClusterRoleBinding grants cluster-scoped resources', carol, R('list', 'nodes'), true],
  ['ClusterRoleBinding grants non-resource URLs', carol, U('get', '/metrics'), true],
  ['SA subject without namespace takes the RoleBinding namespace', devApp, R('get', 'secrets', 'dev'), true],
  ['SA subject without namespace in a ClusterRoleBinding matches nobody', serviceAccountUser('', 'nons'), R('get', 'secrets', 'dev'), false],
  ['system:serviceaccounts:<ns> group binds every SA of the namespace', devOther, R('get', 'configmaps', 'prod'), true],
  ['... with the role of the binding namespace', devOther, R('get', 'pods', 'prod'), false],
  ['aggregation: rules of a selected role', dave, R('create', 'jobs', 'x', 'batch'), true],
  ['aggregation: nested aggregated roles', dave, R('create', 'deployments', 'x', 'apps'), true],
  ['aggregation: the aggregated role\'s own rules are replaced', dave, R('delete', 'services', 'x'), false],
  ['no binding: denied', userInfo('eve'), R('get', 'pods', 'dev'), false],
];
for (const [name, user, req, expected] of cases) {
  test(`authorizer: ${name}`, () => assert.equal(index.allows(user, req) !== undefined, expected));
}

test('authorizer: who-can lists subjects with their bindings, SA namespaces defaulted', () => {
  const subjects = index.whoCan(R('get', 'secrets', 'dev'));
  assert.deepEqual(
    subjects.map((s) => [s.kind, s.namespace ?? '', s.name, s.via.map((v) => `${v.bindingKind}/${v.binding}->${v.role}`).join(',')]),
    [
      ['ServiceAccount', 'dev', 'app', 'RoleBinding/bob-secrets->secret-reader'],
      ['User', '', 'bob', 'RoleBinding/bob-secrets->secret-reader'],
      ['User', '', 'carol', 'ClusterRoleBinding/carol-secrets->secret-reader'],
    ],
  );
  assert.deepEqual(index.whoCan(U('get', '/metrics')).map((s) => s.name), ['carol']);
});

test('authorizer: dangling and invalid role references are issues, not silent passes', () => {
  const { index: i } = indexOf(`
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dangling, namespace: dev}
subjects: [{kind: User, name: x}]
roleRef: {kind: Role, name: missing, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: to-role}
subjects: [{kind: User, name: x}]
roleRef: {kind: Role, name: missing, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: broken, namespace: dev}
rules:
- {apiGroups: [""], resources: [pods], verbs: get}
- "not a rule"
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: no-subjects, namespace: dev}
subjects: "x"
roleRef: {kind: Role, name: broken}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: no-ref, namespace: dev}
roleRef: []
`);
  const messages = i.issues.map((x) => x.message);
  assert.equal(messages.length, 6, messages.join('\n'));
  assert.ok(messages.some((m) => m.includes('Role "missing" is not in the input')));
  assert.ok(messages.some((m) => m.includes('can only reference a ClusterRole')));
  assert.ok(messages.some((m) => m.includes('verbs is not a list')));
  assert.ok(messages.some((m) => m.includes('rule 1 is not an object')));
  assert.ok(messages.some((m) => m.includes('subjects is not a list')));
  assert.ok(messages.some((m) => m.includes('no valid roleRef')));
  assert.equal(i.allows(userInfo('x'), R('get', 'pods', 'dev')), undefined);
});

let defaults: Resource[] = [];
before(async () => {
  defaults = (await loadRbacDefaults()).resources;
});

test('bootstrap defaults: bundled files load (76 roles, 44 bindings) and all references resolve', () => {
  const { index: i, policy } = indexOf('', defaults);
  assert.equal(policy.roles.length, 76);
  assert.equal(policy.bindings.length, 44);
  assert.deepEqual(i.issues, []);
});

test('bootstrap defaults: bundled data equals the shared corpus copy', (t) => {
  const corpus = path.join('..', 'shared', 'corpus', 'rbac');
  if (!existsSync(corpus)) {
    console.error(`!!! SKIPPING corpus comparison: ${corpus} not found (run from the repo root next to ../shared)`);
    t.skip('corpus absent');
    return;
  }
  for (const f of DEFAULT_FILES) assert.equal(readFileSync(path.join(RBAC_DEFAULTS_DIR, f), 'utf8'), readFileSync(path.join(corpus, f), 'utf8'), f);
});

const bind = (role: string, user = 'u', ns = 'team') => `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: ${ns}}
subjects: [{kind: User, name: ${user}}]
roleRef: {kind: ClusterRole, name: ${role}, apiGroup: rbac.authorization.k8s.io}
`;

const defaultCases: [string, string, ReturnType<typeof userInfo>, Request, boolean][] = [
  ['view reads pods', bind('view'), userInfo('u'), R('list', 'pods', 'team'), true],
  ['view does not read secrets', bind('view'), userInfo('u'), R('get', 'secrets', 'team'), false],
  ['view reads deployments (aggregated from system:aggregate-to-view)', bind('view'), userInfo('u'), R('get', 'deployments', 'team', 'apps'), true],
  ['edit creates pods', bind('edit'), userInfo('u'), R('create', 'pods', 'team'), true],
  ['edit reads secrets', bind('edit'), userInfo('u'), R('list', 'secrets', 'team'), true],
  ['edit execs into pods', bind('edit'), userInfo('u'), R('create', 'pods/exec', 'team'), true],
  ['edit cannot create rolebindings', bind('edit'), userInfo('u'), R('create', 'rolebindings', 'team', 'rbac.authorization.k8s.io'), false],
  ['admin creates rolebindings', bind('admin'), userInfo('u'), R('create', 'rolebindings', 'team', 'rbac.authorization.k8s.io'), true],
  ['admin via RoleBinding has no cluster scope', bind('admin'), userInfo('u'), R('list', 'nodes'), false],
  ['cluster-admin via RoleBinding is namespace-wide only', bind('cluster-admin'), userInfo('u'), R('delete', 'namespaces', '', '', 'team'), false],
  ['system:masters holds cluster-admin', '', userInfo('root', ['system:masters']), R('delete', 'nodes'), true],
  ['authenticated users may create selfsubjectaccessreviews', '', userInfo('u'), R('create', 'selfsubjectaccessreviews', '', 'authorization.k8s.io'), true],
  ['authenticated users get discovery', '', userInfo('u'), U('get', '/apis/apps'), true],
  ['anonymous gets /healthz (public-info-viewer)', '', userInfo('system:anonymous'), U('get', '/healthz'), true],
  ['anonymous gets no discovery', '', userInfo('system:anonymous'), U('get', '/apis'), false],
  ['a controller SA holds its controller role', '', serviceAccountUser('kube-system', 'replicaset-controller'), R('create', 'pods', 'any'), true],
];
for (const [name, yaml, user, req, expected] of defaultCases) {
  test(`bootstrap defaults: ${name}`, () => assert.equal(indexOf(yaml, defaults).index.allows(user, req) !== undefined, expected));
}

test('aggregation: roles picked through the label index keep the ClusterRoles order, one copy each, whatever the selectors', () => {
  const cr = (name: string, labels: string, verb: string) => `---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ${name}, labels: {${labels}}}\nrules: [{apiGroups: [""], resources: [pods], verbs: [${verb}]}]\n`;
  const yaml =
    cr('p1', 'a: "1", b: "2"', 'get') +
    cr('p2', 'a: "1"', 'list') +
    cr('p3', 'b: "2", c: "x"', 'watch') +
    cr('p4', 'a: "2"', 'create') +
    `---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: agg, labels: {a: "1"}}\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {c: x}\n  - matchLabels: {a: "1", b: "2"}\n  - matchLabels: {a: "1"}\n  - matchExpressions: [{key: a, operator: In, values: ["2"]}]\n`;
  const { index } = indexOf(yaml);
  const agg = index.roles.get('ClusterRole//agg')!;
  // Every part, in the input's order (p1 p2 p3 p4), not in selector order; agg does not select itself.
  assert.deepEqual(agg.rules.map((r) => `${r.from}:${r.verbs.join()}`), ['p1:get', 'p2:list', 'p3:watch', 'p4:create']);
});

test('who-can: answers sort like a stable collator sort, ties (canonically equal names) in the order found; long rule lists judged per resource', () => {
  // "é" precomposed and decomposed are distinct names the collator holds equal: they keep the order their bindings are found in.
  const names = ['zoe', 'e\u0301ve', 'adam', '\u00e9ve', 'Bob', 'bob'];
  // A ClusterRole with many rules (more than a short list), only the last naming pods/exec, bound in two namespaces and cluster-wide.
  const many = Array.from({ length: 12 }, (_, i) => `- {apiGroups: [""], resources: [r${i}], verbs: [get]}`).join('\n');
  const yaml = [
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: big}\nrules:\n${many}\n- {apiGroups: [""], resources: ["*/exec"], verbs: [create]}`,
    ...names.map((n, i) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b${i}, namespace: ns${i % 2}}\nsubjects: [{kind: User, name: "${n}"}, {kind: ServiceAccount, name: sa${i % 3}}]\nroleRef: {kind: ClusterRole, name: big, apiGroup: rbac.authorization.k8s.io}`),
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: c}\nsubjects: [{kind: Group, name: ops}]\nroleRef: {kind: ClusterRole, name: big, apiGroup: rbac.authorization.k8s.io}`,
  ].join('\n---\n');
  const { index } = indexOf(yaml);
  const got = index.whoCan(R('create', 'pods/exec'), { allNamespaces: true });
  // Reference: subjects in the order found (cluster scope, then each namespace), stably sorted by kind, namespace, name.
  const found: string[] = ['Group//ops'];
  for (const ns of ['ns0', 'ns1'])
    names.forEach((n, i) => {
      if (`ns${i % 2}` !== ns) return;
      for (const k of [`User//${n}`, `ServiceAccount/${ns}/sa${i % 3}`]) if (!found.includes(k)) found.push(k);
    });
  const c = new Intl.Collator();
  const want = [...found].sort((a, b) => {
    const [x, y] = [a.split('/'), b.split('/')];
    return c.compare(x[0]!, y[0]!) || c.compare(x[1]!, y[1]!) || c.compare(x[2]!, y[2]!);
  });
  assert.deepEqual(
    got.map((s) => `${s.kind}/${s.namespace ?? ''}/${s.name}`),
    want,
  );
  assert.ok(want.indexOf('User//e\u0301ve') < want.indexOf('User//\u00e9ve'), 'the tie keeps the order found');
  assert.equal(index.whoCan(R('create', 'pods/log'), { allNamespaces: true }).length, 0);
  assert.equal(index.whoCan(R('get', 'r3', 'ns1')).length, 7); // ops, and three users and three service accounts of ns1
  // Answers are built fresh each time (the per-query table is cleared).
  assert.deepEqual(index.whoCan(R('create', 'pods/exec'), { allNamespaces: true }), got);
});

test('who-can agrees with the authorizer on a generated policy: the subjects listed are exactly those allows() grants, each via a real grant', () => {
  // Seeded policy with the cases who-can's tables number and index: `*` verbs/groups/resources, `*/sub`,
  // subresources, resourceNames, non-resource URLs, roles with more than 8 rules, dangling role references,
  // service accounts with and without a namespace, the same ClusterRole bound in several namespaces.
  let seed = 20;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const VERBS = ['get', 'list', 'create', 'patch', '*', 'impersonate'];
  const GROUPS = ['', 'apps', '*', 'batch'];
  const RESOURCES = ['pods', 'pods/exec', 'pods/log', '*/exec', '*/scale', 'deployments', 'deployments/scale', '*', 'secrets', 'jobs'];
  const NAMES = [[], [], [], ['x'], ['x', 'y']];
  const NS = ['ns0', 'ns1', 'ns2', 'ns3'];
  const list = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
  const rule = () =>
    rand() < 0.1
      ? `- {nonResourceURLs: ${list([pick(['/metrics', '/logs/*', '*'])])}, verbs: ${list([pick(['get', 'post', '*'])])}}`
      : `- {apiGroups: ${list([pick(GROUPS)])}, resources: ${list([pick(RESOURCES), pick(RESOURCES)])}, verbs: ${list([pick(VERBS), pick(VERBS)])}, resourceNames: ${list(pick(NAMES))}}`;
  const rules = () => Array.from({ length: rand() < 0.2 ? 9 + Math.floor(rand() * 6) : 1 + Math.floor(rand() * 3) }, rule).join('\n');
  const docs: string[] = [];
  for (let i = 0; i < 15; i++) docs.push(`kind: ClusterRole\nmetadata: {name: cr${i}}\nrules:\n${rules()}`);
  for (let i = 0; i < 25; i++) docs.push(`kind: Role\nmetadata: {name: r${i}, namespace: ${NS[i % 4]}}\nrules:\n${rules()}`);
  const subject = (ns: string) => {
    const k = pick(['User', 'Group', 'ServiceAccount']);
    if (k === 'User') return `{kind: User, name: u${Math.floor(rand() * 8)}}`;
    if (k === 'Group') return `{kind: Group, name: g${Math.floor(rand() * 4)}}`;
    return rand() < 0.5 || !ns ? `{kind: ServiceAccount, name: sa${Math.floor(rand() * 3)}, namespace: ${pick(NS)}}` : `{kind: ServiceAccount, name: sa${Math.floor(rand() * 3)}}`;
  };
  for (let i = 0; i < 80; i++) {
    const ns = rand() < 0.3 ? '' : pick(NS);
    const ref = ns && rand() < 0.5 ? `{kind: Role, name: r${Math.floor(rand() * 26)}}` : `{kind: ClusterRole, name: cr${Math.floor(rand() * 16)}}`;
    const subjects = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => subject(ns)).join(', ');
    docs.push(`kind: ${ns ? 'RoleBinding' : 'ClusterRoleBinding'}\nmetadata: {name: b${i}${ns ? `, namespace: ${ns}` : ''}}\nsubjects: [${subjects}]\nroleRef: ${ref}`);
  }
  const yaml = docs.map((d) => `apiVersion: rbac.authorization.k8s.io/v1\n${d}`).join('\n---\n');
  const { index, policy } = indexOf(yaml);
  const prepared = indexOf(yaml).index;
  prepared.prepareWhoCan();
  assert.ok(index.issues.length > 0, 'some bindings reference roles that do not exist');
  // Each distinct binding subject as an identity only its own bindings apply to.
  const identities = new Map<string, { name: string; groups: string[] }>();
  for (const b of policy.bindings)
    for (const s of b.subjects) {
      const ns = s.namespace || b.namespace;
      if (s.kind === 'ServiceAccount' && !ns) continue;
      const key = s.kind === 'ServiceAccount' ? `ServiceAccount/${ns}/${s.name}` : `${s.kind}//${s.name}`;
      identities.set(key, s.kind === 'User' ? { name: s.name, groups: [] } : s.kind === 'Group' ? { name: '-', groups: [s.name] } : { name: serviceAccountUser(ns!, s.name).name, groups: [] });
    }
  let nonEmpty = 0;
  let vias = 0;
  for (let q = 0; q < 400; q++) {
    const all = q % 4 === 3;
    const req: Request =
      q % 10 === 0
        ? U(pick(['get', 'post']), pick(['/metrics', '/logs/a', '/healthz']))
        : R(pick([...VERBS.filter((v) => v !== '*'), 'delete']), pick([...RESOURCES.filter((r) => !r.startsWith('*')), 'configmaps', 'pods/status', 'jobs/scale']), pick(['', ...NS, 'ns9']), pick(['', 'apps', 'batch', 'other']), pick(['', 'x', 'z']));
    const got = index.whoCan(req, { allNamespaces: all });
    assert.deepEqual(prepared.whoCan(req, { allNamespaces: all }), got, 'tables built up front answer the same');
    const scopes = req.kind === 'resource' && all ? ['', ...NS] : [req.kind === 'resource' ? req.namespace : ''];
    const want = [...identities].filter(([, user]) => scopes.some((ns) => index.allows(user, req.kind === 'resource' ? { ...req, namespace: ns } : req))).map(([k]) => k);
    assert.deepEqual(got.map((s) => `${s.kind}/${s.namespace ?? ''}/${s.name}`).sort(), want.sort(), JSON.stringify(req));
    if (got.length) nonEmpty++;
    for (const s of got)
      for (const v of s.via) {
        vias++;
        const b = policy.bindings.find((x) => x.kind === v.bindingKind && x.name === v.binding && (x.namespace ?? '') === (v.namespace ?? ''))!;
        const role = index.roleOf(b)!;
        assert.equal(role.name, v.role);
        assert.ok(role.rules.some((r) => ruleAllows(r, req)), `${v.binding} -> ${v.role} allows ${JSON.stringify(req)}`);
        assert.ok(b.kind === 'ClusterRoleBinding' || scopes.includes(b.namespace!), 'the binding applies in the request scope');
      }
  }
  console.log(`who-can vs allows(): 400 requests agree (${nonEmpty} non-empty answers, ${vias} vias checked)`);
  assert.ok(nonEmpty > 100 && vias > 500, `the generated policy grants enough to compare (${nonEmpty}, ${vias})`);
});
