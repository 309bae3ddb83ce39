// The NetworkPolicy semantics, one table row per rule of the API (SEMANTICS.md in the corpus).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineFrom, ns, pod, wrongProbes, type Probe } from './testing/fixtures.js';
import { parsePolicy } from './policy.js';
import { loadText } from '../../input/files.js';
import { clusterFromResources } from './cluster.js';

const base = [
  ns('a', { team: 'x' }),
  ns('b', { team: 'y' }),
  pod('a', 'web', { app: 'web' }, [{ name: 'http', port: 8080 }, { name: 'dns', port: 53, protocol: 'UDP' }]),
  pod('a', 'db', { app: 'db' }, [{ name: 'http', port: 5432 }]),
  pod('a', 'client', { app: 'client', role: 'client' }),
  pod('b', 'client', { app: 'client', role: 'client' }),
  pod('b', 'other', { app: 'other' }),
];

function np(name: string, namespace: string, spec: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;
}

interface Case {
  name: string;
  policies: string[];
  probes: Probe[];
}

const cases: Case[] = [
  {
    name: 'no policy: everything is open in both directions',
    policies: [],
    probes: [
      { from: 'b/other', to: 'a/db', port: '1/TCP', allowed: true },
      { from: 'a/db', to: '8.8.8.8', allowed: true },
      { from: '8.8.8.8', to: 'a/db', port: '9/UDP', allowed: true },
    ],
  },
  {
    name: 'policyTypes absent, no egress section: Ingress only, deny all ingress (ingress absent)',
    policies: [np('deny', 'a', 'podSelector: {matchLabels: {app: db}}')],
    probes: [
      { from: 'a/web', to: 'a/db', allowed: false },
      { from: 'a/db', to: 'a/web', allowed: true },
      { from: 'a/db', to: '1.2.3.4', allowed: true },
    ],
  },
  {
    name: 'policyTypes absent with egress: [] counts as Ingress only',
    policies: [np('p', 'a', 'podSelector: {matchLabels: {app: db}}\negress: []')],
    probes: [
      { from: 'a/db', to: 'a/web', allowed: true },
      { from: 'a/web', to: 'a/db', allowed: false },
    ],
  },
  {
    name: 'policyTypes absent with egress rules: Egress is added',
    policies: [np('p', 'a', 'podSelector: {matchLabels: {app: db}}\ningress: [{}]\negress:\n- to: [{podSelector: {matchLabels: {app: web}}}]')],
    probes: [
      { from: 'a/db', to: 'a/web', allowed: true },
      { from: 'a/db', to: 'a/client', allowed: false },
      { from: 'b/other', to: 'a/db', allowed: true },
    ],
  },
  {
    name: 'policyTypes [Egress] only: ingress stays open',
    policies: [np('p', 'a', 'podSelector: {}\npolicyTypes: [Egress]')],
    probes: [
      { from: 'b/other', to: 'a/db', allowed: true },
      { from: 'a/db', to: 'b/other', allowed: false },
      { from: 'a/db', to: 'a/web', allowed: false },
    ],
  },
  {
    name: 'empty podSelector selects every pod of the namespace only',
    policies: [np('deny', 'a', 'podSelector: {}\npolicyTypes: [Ingress]')],
    probes: [
      { from: 'b/client', to: 'a/web', allowed: false },
      { from: 'a/web', to: 'b/client', allowed: true },
    ],
  },
  {
    name: 'rule {} allows all sources on all ports, including outside the cluster',
    policies: [np('all', 'a', 'podSelector: {matchLabels: {app: db}}\ningress: [{}]')],
    probes: [
      { from: 'b/other', to: 'a/db', port: '7/SCTP', allowed: true },
      { from: '203.0.113.9', to: 'a/db', allowed: true },
    ],
  },
  {
    name: 'empty from list with ports: all sources on those ports',
    policies: [np('p', 'a', 'podSelector: {matchLabels: {app: db}}\ningress:\n- from: []\n  ports: [{port: 5432}]')],
    probes: [
      { from: 'b/other', to: 'a/db', port: '5432/TCP', allowed: true },
      { from: 'b/other', to: 'a/db', port: '5432/UDP', allowed: false },
      { from: '10.1.1.1', to: 'a/db', port: '5432', allowed: true },
    ],
  },
  {
    name: 'podSelector peer only matches pods in the policy namespace',
    policies: [np('p', 'a', 'podSelector: {matchLabels: {app: db}}\ningress:\n- from: [{podSelector: {matchLabels: {role: client}}}]')],
    probes: [
      { from: 'a/client', to: 'a/db', allowed: true },
      { from: 'b/client', to: 'a/db', allowed: false },
    ],
  },
  {
    name: 'namespaceSelector {} alone: every pod in every namespace, but not outside the cluster',
    policies: [np('p', 'a', 'podSelector: {matchLabels: {app: db}}\ningress:\n- from: [{namespaceSelector: {}}]')],
    probes: [
      { from: 'b/other', to: 'a/db', allowed: true },
      { from: '1.1.1.1', to: 'a/db', allowed: false },
    ],
  },
  {
    name: 'namespaceSelector AND podSelector in one peer',
    policies: [np('p', 'a', 'podSelector: {matchLabels: {app: db}}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {team: "y"}}\n    podSelector: {matchLabels: {role: client}}')],
    probes: [
      { from: 'b/client', to: 'a/db', allowed: true },
      { from: 'b/other', to: 'a/db', allowed: false },
      { from: 'a/client', to: 'a/db', allowed: false },
    ],
  },
  {
    name: 'namespaceSelector OR podSelector as two peers',
    policies: [np('p', 'a', 'podSelector: {matchLabels: {app: db}}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {team: "y"}}\n  - podSelector: {matchLabels: {role: client}}')],
    probes: [
      { from: 'b/client', to: 'a/db', allowed: true },
      { from: 'b/other', to: 'a/db', allowed: true },
      { from: 'a/client', to: 'a/db', allowed: true },
      { from: 'a/web', to: 'a/db', allowed: false },
    ],
  },
  {
    name: 'namespace name label is added automatically; matchExpressions work',
    policies: [
      np('p', 'a', 'podSelector: {matchLabels: {app: db}}\ningress:\n- from:\n  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: b}}\n    podSelector: {matchExpressions: [{key: app, operator: NotIn, values: [client]}]}'),
    ],
    probes: [
      { from: 'b/other', to: 'a/db', allowed: true },
      { from: 'b/client', to: 'a/db', allowed: false },
    ],
  },
  {
    name: 'ipBlock with except (ingress)',
    policies: [np('p', 'a', 'podSelector: {matchLabels: {app: db}}\ningress:\n- from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}}]')],
    probes: [
      { from: '172.17.0.5', to: 'a/db', allowed: true },
      { from: '172.17.1.5', to: 'a/db', allowed: false },
      { from: '172.18.0.1', to: 'a/db', allowed: false },
      { from: 'a/web', to: 'a/db', allowed: false },
    ],
  },
  {
    name: 'egress ipBlock 0.0.0.0/0 except metadata',
    policies: [np('p', 'a', 'podSelector: {matchLabels: {app: web}}\npolicyTypes: [Egress]\negress:\n- to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}]')],
    probes: [
      { from: 'a/web', to: '93.184.216.34', port: '443/TCP', allowed: true },
      { from: 'a/web', to: '169.254.169.254', port: '80/TCP', allowed: false },
      { from: 'a/web', to: 'a/db', allowed: false },
    ],
  },
  {
    name: 'ports: protocol defaults to TCP; port without number means all ports of the protocol',
    policies: [np('p', 'a', 'podSelector: {matchLabels: {app: web}}\ningress:\n- ports: [{port: 8080}, {protocol: UDP}]')],
    probes: [
      { from: 'a/db', to: 'a/web', port: '8080/TCP', allowed: true },
      { from: 'a/db', to: 'a/web', port: '8080/UDP', allowed: true },
      { from: 'a/db', to: 'a/web', port: '9999/UDP', allowed: true },
      { from: 'a/db', to: 'a/web', port: '8081/TCP', allowed: false },
      { from: 'a/db', to: 'a/web', port: '8080/SCTP', allowed: false },
    ],
  },
  {
    name: 'endPort makes a range',
    policies: [np('p', 'a', 'podSelector: {matchLabels: {app: web}}\ningress:\n- ports: [{port: 32000, endPort: 32768, protocol: TCP}]')],
    probes: [
      { from: 'a/db', to: 'a/web', port: '32000/TCP', allowed: true },
      { from: 'a/db', to: 'a/web', port: '32768/TCP', allowed: true },
      { from: 'a/db', to: 'a/web', port: '32769/TCP', allowed: false },
      { from: 'a/db', to: 'a/web', port: '31999/TCP', allowed: false },
    ],
  },
  {
    name: 'named ports resolve against the destination pod (ingress): one rule, different numbers',
    policies: [np('p', 'a', 'podSelector: {}\ningress:\n- ports: [{port: http}]')],
    probes: [
      { from: 'a/client', to: 'a/web', port: '8080/TCP', allowed: true },
      { from: 'a/client', to: 'a/db', port: '5432/TCP', allowed: true },
      { from: 'a/client', to: 'a/db', port: '8080/TCP', allowed: false },
      { from: 'a/client', to: 'a/web', port: 'http/TCP', allowed: true },
      { from: 'a/db', to: 'a/client', allowed: false },
    ],
  },
  {
    name: 'named port with the wrong protocol matches nothing',
    policies: [np('p', 'a', 'podSelector: {matchLabels: {app: web}}\ningress:\n- ports: [{port: dns, protocol: TCP}]')],
    probes: [
      { from: 'a/db', to: 'a/web', port: '53/TCP', allowed: false },
      { from: 'a/db', to: 'a/web', port: '53/UDP', allowed: false },
    ],
  },
  {
    name: 'named ports in egress resolve against the destination pod',
    policies: [np('p', 'a', 'podSelector: {matchLabels: {app: client}}\npolicyTypes: [Egress]\negress:\n- ports: [{port: http}]')],
    probes: [
      { from: 'a/client', to: 'a/web', port: '8080/TCP', allowed: true },
      { from: 'a/client', to: 'a/db', port: '5432/TCP', allowed: true },
      { from: 'a/client', to: 'a/db', port: '8080/TCP', allowed: false },
      { from: 'a/client', to: '8.8.8.8', port: '8080/TCP', allowed: false },
    ],
  },
  {
    name: 'union of all policies selecting a pod; order does not matter',
    policies: [
      np('deny', 'a', 'podSelector: {}\npolicyTypes: [Ingress]'),
      np('web-8080', 'a', 'podSelector: {matchLabels: {app: web}}\ningress:\n- from: [{podSelector: {matchLabels: {app: client}}}]\n  ports: [{port: 8080}]'),
      np('web-from-b', 'a', 'podSelector: {matchLabels: {app: web}}\ningress:\n- from: [{namespaceSelector: {matchLabels: {team: "y"}}}]'),
    ],
    probes: [
      { from: 'a/client', to: 'a/web', port: '8080/TCP', allowed: true },
      { from: 'a/client', to: 'a/web', port: '9090/TCP', allowed: false },
      { from: 'b/other', to: 'a/web', port: '9090/TCP', allowed: true },
      { from: 'a/client', to: 'a/db', allowed: false },
    ],
  },
  {
    name: 'both ends must allow: egress of the source and ingress of the destination',
    policies: [
      np('client-egress', 'b', 'podSelector: {matchLabels: {app: client}}\npolicyTypes: [Egress]\negress:\n- to: [{namespaceSelector: {matchLabels: {team: x}}}]\n  ports: [{port: 5432}]'),
      np('db-ingress', 'a', 'podSelector: {matchLabels: {app: db}}\ningress:\n- from: [{namespaceSelector: {}}]\n  ports: [{port: 5432}, {port: 6000}]'),
    ],
    probes: [
      { from: 'b/client', to: 'a/db', port: '5432/TCP', allowed: true },
      { from: 'b/client', to: 'a/db', port: '6000/TCP', allowed: false },
      { from: 'b/client', to: 'a/web', port: '5432/TCP', allowed: true },
      { from: 'b/client', to: 'a/web', port: '80/TCP', allowed: false },
      { from: 'b/other', to: 'a/db', port: '6000/TCP', allowed: true },
    ],
  },
  {
    name: 'default deny all (both types) isolates in both directions',
    policies: [np('deny-all', 'a', 'podSelector: {}\npolicyTypes: [Ingress, Egress]')],
    probes: [
      { from: 'a/web', to: 'a/db', allowed: false },
      { from: 'b/other', to: 'a/db', allowed: false },
      { from: 'a/db', to: '8.8.8.8', allowed: false },
      { from: 'b/other', to: 'b/client', allowed: true },
    ],
  },
  {
    name: 'a policy in another namespace does not select pods here',
    policies: [np('deny', 'b', 'podSelector: {}\npolicyTypes: [Ingress, Egress]')],
    probes: [{ from: 'a/web', to: 'a/db', allowed: true }, { from: 'a/web', to: 'b/other', allowed: false }],
  },
];

for (const c of cases) {
  test(`semantics: ${c.name}`, () => {
    const engine = engineFrom(...base, ...c.policies);
    assert.deepEqual(wrongProbes(engine, c.probes), []);
  });
}

test('semantics: workloads stand for their pod template; no namespace means "default"', () => {
  const engine = engineFrom(
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: c, image: x, ports: [{name: web, containerPort: 9000}]}]\n`,
    pod('default', 'caller', { app: 'caller' }),
    np('api', 'default', 'podSelector: {matchLabels: {app: api}}\ningress:\n- from: [{podSelector: {matchLabels: {app: caller}}}]\n  ports: [{port: web}]'),
  );
  assert.deepEqual(
    wrongProbes(engine, [
      { from: 'default/caller', to: 'api', port: '9000/TCP', allowed: true },
      { from: 'caller', to: 'default/app=api', port: '9001/TCP', allowed: false },
    ]),
    [],
  );
});

interface BadCase {
  name: string;
  spec: string;
  problem: RegExp;
  path: string;
}

const malformed: BadCase[] = [
  { name: 'spec is a list', spec: 'spec: []', problem: /spec is missing/, path: '/spec' },
  { name: 'ingress is a string', spec: 'spec: {podSelector: {}, ingress: "x"}', problem: /not a list/, path: '/spec/ingress' },
  { name: 'from is an object', spec: 'spec: {podSelector: {}, ingress: [{from: {podSelector: {}}}]}', problem: /from is not a list/, path: '/spec/ingress/0/from' },
  { name: 'quoted port number', spec: 'spec: {podSelector: {}, ingress: [{ports: [{port: "80"}]}]}', problem: /must contain a letter/, path: '/spec/ingress/0/ports/0/port' },
  { name: 'unknown protocol', spec: 'spec: {podSelector: {}, ingress: [{ports: [{port: 80, protocol: ICMP}]}]}', problem: /not TCP, UDP or SCTP/, path: '/spec/ingress/0/ports/0/protocol' },
  { name: 'endPort with named port', spec: 'spec: {podSelector: {}, ingress: [{ports: [{port: http, endPort: 90}]}]}', problem: /endPort requires a numeric port/, path: '/spec/ingress/0/ports/0/endPort' },
  { name: 'endPort below port', spec: 'spec: {podSelector: {}, ingress: [{ports: [{port: 90, endPort: 80}]}]}', problem: /endPort 80/, path: '/spec/ingress/0/ports/0/endPort' },
  { name: 'bad CIDR', spec: 'spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.300/8}}]}]}', problem: /not a valid CIDR/, path: '/spec/ingress/0/from/0/ipBlock/cidr' },
  { name: 'except outside cidr', spec: 'spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/8]}}]}]}', problem: /strictly inside/, path: '/spec/ingress/0/from/0/ipBlock/except/0' },
  { name: 'ipBlock with selector', spec: 'spec: {podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]}', problem: /may not combine/, path: '/spec/egress/0/to/0' },
  { name: 'empty peer', spec: 'spec: {podSelector: {}, ingress: [{from: [{}]}]}', problem: /must set podSelector/, path: '/spec/ingress/0/from/0' },
  { name: 'matchLabels value is a number', spec: 'spec: {podSelector: {matchLabels: {app: 1}}}', problem: /not a string/, path: '/spec/podSelector/matchLabels/app' },
  { name: 'bad operator', spec: 'spec: {podSelector: {matchExpressions: [{key: a, operator: Has}]}}', problem: /operator In, NotIn/, path: '/spec/podSelector/matchExpressions/0' },
  { name: 'bad policyTypes', spec: 'spec: {podSelector: {}, policyTypes: [ingress]}', problem: /policyTypes/, path: '/spec/policyTypes' },
];

for (const c of malformed) {
  test(`malformed policy is not evaluated (fail closed): ${c.name}`, () => {
    const load = loadText(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: a}\n${c.spec}\n`, 't.yaml');
    const p = parsePolicy(load.resources[0]!.object);
    assert.equal(p.problems.length, 1, JSON.stringify(p.problems));
    assert.match(p.problems[0]!.message, c.problem);
    assert.equal(p.problems[0]!.path, c.path);
    // An engine leaves it out rather than guessing; callers turn problems into errors (exit 2).
    const cluster = clusterFromResources(load.resources);
    assert.equal(cluster.policies[0]!.problems.length, 1);
  });
}

test('wrong field types in workloads never throw', () => {
  const engine = engineFrom(
    'apiVersion: v1\nkind: Pod\nmetadata: {name: weird, namespace: a, labels: {app: web}}\nspec: {containers: "x"}\n',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: a}\nspec: {template: []}\n',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p2, namespace: a}\nspec: {containers: [{name: c, ports: [{containerPort: "80", name: 5}]}]}\n',
    np('p', 'a', 'podSelector: {}\ningress:\n- ports: [{port: http}]'),
  );
  assert.deepEqual(wrongProbes(engine, [{ from: 'a/weird', to: 'a/d', port: '80/TCP', allowed: false }, { from: 'a/d', to: 'a/p2', allowed: false }]), []);
});

test('matrix restricted to a namespace keeps the answers of the full matrix', async () => {
  const { computeMatrix, restrictMatrix, connectionList, lineOf } = await import('./matrix.js');
  const engine = engineFrom(...base, np('p', 'a', 'podSelector: {matchLabels: {app: db}}\ningress:\n- from: [{namespaceSelector: {matchLabels: {team: "y"}}}]\n  ports: [{port: http}]'));
  const full = computeMatrix(engine);
  const onlyA = restrictMatrix(full, (w) => w.namespace === 'a');
  const fullLines = connectionList(full).map(lineOf);
  const aLines = connectionList(onlyA).map(lineOf);
  assert.deepEqual(aLines, fullLines.filter((l) => !l.includes('b/')));
  assert.ok(fullLines.includes('b/other[Pod] => a/db[Pod] : TCP 5432'));
  assert.ok(!fullLines.some((l) => l.startsWith('a/web[Pod] => a/db[Pod]')));
});

test('reach from a workload to itself is judged between replicas, with a note', async () => {
  const { reach, SELF_NOTE } = await import('./query.js');
  const engine = engineFrom(...base, np('deny', 'a', 'podSelector: {}\npolicyTypes: [Ingress]'));
  const a = reach(engine, 'a/web', 'a/web');
  assert.equal(a.allowed, false);
  assert.deepEqual(a.notes, [SELF_NOTE]);
});

test('every pod-to-pod answer that the "ipBlock is outside the cluster" reading decides carries the note', async () => {
  const { reach, IPBLOCK_NOTE } = await import('./query.js');
  const engine = engineFrom(
    ...base,
    np('egress-cidr', 'a', 'podSelector: {matchLabels: {app: client}}\npolicyTypes: [Egress]\negress:\n- to: [{ipBlock: {cidr: 10.0.0.0/8}}]'),
    np('db-in', 'a', 'podSelector: {matchLabels: {app: db}}\ningress:\n- from: [{ipBlock: {cidr: 10.0.0.0/8}}]\n  ports: [{port: 5432}]\n- from: [{podSelector: {matchLabels: {app: web}}}]\n  ports: [{port: 5432}]'),
  );
  const noted = (from: string, to: string, port?: string) => {
    const a = reach(engine, from, to, port);
    return { allowed: a.allowed, note: a.notes.includes(IPBLOCK_NOTE) };
  };
  // Egress only to a CIDR: denied to pods because pod IPs are taken to be outside it.
  assert.deepEqual(noted('a/client', 'a/web', '8080/TCP'), { allowed: false, note: true });
  // Ingress from a CIDR on 5432: a pod source is denied by that reading; on 80 the block plays no part.
  assert.deepEqual(noted('b/other', 'a/db', '5432/TCP'), { allowed: false, note: true });
  assert.deepEqual(noted('b/other', 'a/db', '80/TCP'), { allowed: false, note: false });
  // Allowed anyway by a pod rule: the block changes nothing.
  assert.deepEqual(noted('a/web', 'a/db', '5432/TCP'), { allowed: true, note: false });
  // No ipBlock on either side.
  assert.deepEqual(noted('a/web', 'b/other'), { allowed: true, note: false });
});
