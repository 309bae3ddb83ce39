// Forbidden reasons and details must read as upstream's do, so users recognise the message the API
// server gives them. Expected strings are upstream's wording for equivalent pods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { evaluatePod, aggregateDetail } from './evaluate.js';
import type { Level } from './types.js';
import { LATEST_MINOR } from './types.js';

function run(specYaml: string, level: Level = 'restricted', minor = LATEST_MINOR, metadata: unknown = {}) {
  return evaluatePod({ metadata, spec: parse(specYaml), metadataPath: '/metadata', specPath: '/spec' }, level, minor);
}

const CASES: { name: string; spec: string; check: string; reason: string; detail: string; level?: Level; minor?: number; metadata?: unknown }[] = [
  {
    name: 'seLinuxOptions: pod and containers, types sorted, user and role',
    spec: `securityContext: {seLinuxOptions: {type: foo, user: bar, role: baz}}
containers:
- {name: a, securityContext: {seLinuxOptions: {type: container_t}}}
- {name: b, securityContext: {seLinuxOptions: {type: container_init_t}}}
- {name: c, securityContext: {seLinuxOptions: {type: container_kvm_t}}}
- {name: d, securityContext: {seLinuxOptions: {type: container_engine_t}}}
- {name: e, securityContext: {seLinuxOptions: {type: bar}}}
- {name: f, securityContext: {seLinuxOptions: {user: bar}}}
- {name: g, securityContext: {seLinuxOptions: {role: baz}}}`,
    check: 'seLinuxOptions',
    reason: 'seLinuxOptions',
    detail: 'pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set',
    level: 'baseline',
  },
  {
    name: 'capabilities_restricted: missing drop and forbidden adds, sorted',
    spec: `containers:
- {name: a, securityContext: {capabilities: {add: [FOO, BAR]}}}
- {name: b, securityContext: {capabilities: {add: [BAR, BAZ]}}}
- {name: c, securityContext: {capabilities: {add: [NET_BIND_SERVICE, CHOWN], drop: [ALL, FOO]}}}`,
    check: 'capabilities_restricted',
    reason: 'unrestricted capabilities',
    detail: 'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add',
  },
  {
    name: 'hostPorts: plural verb and sorted ports',
    spec: `containers:
- {name: a}
- {name: b, ports: [{containerPort: 1, hostPort: 10}, {containerPort: 2, hostPort: 20}]}
- {name: c, ports: [{containerPort: 3, hostPort: 30}]}`,
    check: 'hostPorts',
    reason: 'hostPort',
    detail: 'containers "b", "c" use hostPorts 10, 20, 30',
    level: 'baseline',
  },
  { name: 'runAsNonRoot: implicit', spec: 'containers: [{name: a}]', check: 'runAsNonRoot', reason: 'runAsNonRoot != true', detail: 'pod or container "a" must set securityContext.runAsNonRoot=true' },
  {
    name: 'runAsNonRoot: explicit false on containers',
    spec: `securityContext: {runAsNonRoot: true}
containers:
- {name: a}
- {name: c, securityContext: {runAsNonRoot: false}}
- {name: d, securityContext: {runAsNonRoot: false}}`,
    check: 'runAsNonRoot',
    reason: 'runAsNonRoot != true',
    detail: 'containers "c", "d" must not set securityContext.runAsNonRoot=false',
  },
  { name: 'seccomp restricted: pod Unconfined', spec: 'securityContext: {seccompProfile: {type: Unconfined}}\ncontainers: [{name: a}]', check: 'seccompProfile_restricted', reason: 'seccompProfile', detail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"' },
  { name: 'seccomp restricted: implicit', spec: 'containers: [{name: a}]', check: 'seccompProfile_restricted', reason: 'seccompProfile', detail: 'pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"' },
  { name: 'AppArmor: pod field', spec: 'securityContext: {appArmorProfile: {type: Unconfined}}\ncontainers: [{name: a}]', check: 'appArmorProfile', reason: 'forbidden AppArmor profile', detail: 'pod must not set AppArmor profile type to "Unconfined"', level: 'baseline' },
  {
    name: 'probe hosts: sorted, de-duplicated',
    spec: `containers:
- name: a
  livenessProbe: {httpGet: {host: localhost, port: 80}}
  readinessProbe: {tcpSocket: {host: "::1", port: 80}}
  startupProbe: {httpGet: {host: 127.0.0.1, port: 80}}
  lifecycle: {preStop: {httpGet: {host: localhost, port: 80}}}`,
    check: 'hostProbesAndHostLifecycle',
    reason: 'probe or lifecycle host',
    detail: 'container "a" uses probe or lifecycle hosts "127.0.0.1", "::1", "localhost"',
    level: 'baseline',
  },
  { name: 'sysctls: in order', spec: 'securityContext: {sysctls: [{name: a, value: "1"}, {name: b, value: "1"}]}\ncontainers: [{name: x}]', check: 'sysctls', reason: 'forbidden sysctls', detail: 'a, b', level: 'baseline' },
  { name: 'sysctls: v1.26 did not allow ip_local_reserved_ports', spec: 'securityContext: {sysctls: [{name: net.ipv4.ip_local_reserved_ports, value: "1"}]}\ncontainers: [{name: x}]', check: 'sysctls', reason: 'forbidden sysctls', detail: 'net.ipv4.ip_local_reserved_ports', level: 'baseline', minor: 26 },
  { name: 'privileged', spec: 'containers: [{name: foo, securityContext: {privileged: true}}]', check: 'privileged', reason: 'privileged', detail: 'container "foo" must not set securityContext.privileged=true', level: 'baseline' },
  { name: 'host namespaces', spec: 'hostNetwork: true\nhostIPC: true\ncontainers: [{name: a}]', check: 'hostNamespaces', reason: 'host namespaces', detail: 'hostNetwork=true, hostIPC=true', level: 'baseline' },
  {
    name: 'restricted volumes: plural and sorted types',
    spec: 'containers: [{name: a}]\nvolumes:\n- {name: v1, nfs: {server: s, path: /}}\n- {name: v2, hostPath: {path: /}}\n- {name: v3, emptyDir: {}}',
    check: 'restrictedVolumes',
    reason: 'restricted volume types',
    detail: 'volumes "v1", "v2" use restricted volume types "hostPath", "nfs"',
  },
  {
    name: 'seccomp annotations (v1.0)',
    spec: 'containers: [{name: a}]',
    metadata: { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/a': 'unconfined' } },
    check: 'seccompProfile_baseline',
    reason: 'seccompProfile',
    detail: 'forbidden annotations container.seccomp.security.alpha.kubernetes.io/a="unconfined", seccomp.security.alpha.kubernetes.io/pod="unconfined"',
    level: 'baseline',
    minor: 0,
  },
];

for (const c of CASES) {
  test(`reason text: ${c.name}`, () => {
    const ev = run(c.spec, c.level, c.minor, c.metadata);
    const v = ev.violations.find((x) => x.check === c.check);
    assert.ok(v, `expected a ${c.check} violation, got ${ev.violations.map((x) => x.check).join(', ') || 'none'}`);
    assert.equal(v.forbiddenReason, c.reason);
    assert.equal(v.forbiddenDetail, c.detail);
  });
}

test('aggregate detail reads as the API server message', () => {
  const ev = run('hostPID: true\ncontainers: [{name: app, securityContext: {privileged: true}}]', 'baseline');
  assert.equal(aggregateDetail(ev.violations), 'host namespaces (hostPID=true), privileged (container "app" must not set securityContext.privileged=true)');
});

test('checks run in upstream order: baseline ids sorted, then restricted ids sorted', () => {
  const ev = run('hostPID: true\ncontainers: [{name: app, securityContext: {privileged: true}}]');
  assert.deepEqual(ev.violations.map((v) => v.check), ['hostNamespaces', 'privileged', 'allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted']);
});

test('privileged level admits anything; versions past the newest evaluate as the newest', () => {
  assert.equal(run('hostPID: true\ncontainers: [{name: a}]', 'privileged').allowed, true);
  const newest = run('containers: [{name: a}]', 'restricted', LATEST_MINOR);
  const future = run('containers: [{name: a}]', 'restricted', 99);
  assert.deepEqual(future.violations.map((v) => v.check), newest.violations.map((v) => v.check));
});

test('annotation keys that look like object internals are plain data', () => {
  const ev = evaluatePod({ metadata: JSON.parse('{"annotations":{"__proto__":"x","constructor":"y","container.seccomp.security.alpha.kubernetes.io/toString":"unconfined"}}'), spec: parse('containers: [{name: toString}]'), metadataPath: '/metadata', specPath: '/spec' }, 'baseline', 0);
  assert.deepEqual(ev.violations.map((v) => v.forbiddenDetail), ['forbidden annotation container.seccomp.security.alpha.kubernetes.io/toString="unconfined"']);
  const clean = evaluatePod({ metadata: {}, spec: parse('containers: [{name: constructor}]'), metadataPath: '/metadata', specPath: '/spec' }, 'baseline', 0);
  assert.equal(clean.allowed, true);
});

test('wrong field types never throw and make the pod not evaluated', () => {
  for (const spec of ['containers: "x"', 'securityContext: []\ncontainers: [{name: a}]', 'containers: [{name: a, securityContext: {runAsUser: "0"}}]', 'containers: [1, null]', 'volumes: {a: b}\ncontainers: []']) {
    const ev = run(spec);
    assert.equal(ev.evaluated, false, spec);
    assert.equal(ev.allowed, false, spec);
  }
  const notObject = evaluatePod({ metadata: [], spec: 'x', metadataPath: '/metadata', specPath: '/spec' }, 'baseline', LATEST_MINOR);
  assert.deepEqual(notObject.malformed.map((m) => m.path), ['/spec', '/metadata']);
});
