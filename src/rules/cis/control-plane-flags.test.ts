// Tables for every control-plane flag rule: a generated pass/fail pair per check (from each
// expectation, a value that satisfies it and one that breaks it, with the exact token position),
// plus hand-written cases for defaults, pflag syntax, env vars and hostile input.
import { controlPlaneFlagRules } from './control-plane-flags.js';
import { CONTROL_PLANE_CHECKS, type FlagCheck, type FlagTest } from '../../analyses/node/control-plane-checks.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleTable, scanYaml, type InvalidCase, type ValidCase } from '../testing/harness.js';
import { loadText } from '../../input/files.js';
import { runEngine } from '../../engine/run.js';

/** A kubeadm-style static Pod; the command starts at line 12, flags at line 13 + index. */
function staticPod(component: string, flags: string[], extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${component}
  namespace: kube-system
  labels: {component: ${component}, tier: control-plane}
spec:
  containers:
  - name: ${component}
    image: registry.k8s.io/${component}:v1.31.0
    command:
    - ${component}
${flags.map((f) => `    - ${f}`).join('\n')}
${extra}`;
}

const FLAG_LINE = 13;
const COMMAND = '/spec/containers/0/command';

function passingValue(t: FlagTest): string | undefined {
  const e = t.expect;
  switch (e.op) {
    case 'set':
      return `/etc/kubernetes/pki/${t.flag}.pem`;
    case 'unset':
      return undefined;
    case 'bool':
      return String(e.value);
    case 'listHas':
      return `${e.value},RBAC`;
    case 'listLacks':
      return 'Node,RBAC';
    case 'gte':
      return String(e.value);
    case 'equals':
      return e.value;
    case 'subset':
      return `${e.values[0]},${e.values[1]}`;
    case 'gateNot':
      return `${e.gate}=${!e.value}`;
    case 'zero':
      return '0';
    case 'nonZeroDuration':
      return '5m';
  }
}

function failingValue(t: FlagTest): string | undefined {
  const e = t.expect;
  switch (e.op) {
    case 'set':
      return undefined; // failing means absent
    case 'unset':
      return '/etc/kubernetes/tokens.csv';
    case 'bool':
      return String(!e.value);
    case 'listHas':
      return 'AlwaysAllow';
    case 'listLacks':
      return `NodeRestriction,${e.value}`;
    case 'gte':
      return String(e.value - 1);
    case 'equals':
      return '0.0.0.0';
    case 'subset':
      return `${e.values[0]},TLS_RSA_WITH_AES_128_CBC_SHA`;
    case 'gateNot':
      return `${e.gate}=${e.value}`;
    case 'zero':
      return '8080';
    case 'nonZeroDuration':
      return '0';
  }
}

function passingFlags(check: FlagCheck): string[] {
  return check.tests.map((t) => passingValue(t)).flatMap((v, i) => (v === undefined ? [] : [`--${check.tests[i]!.flag}=${v}`]));
}

function generated(check: FlagCheck): { valid: ValidCase[]; invalid: InvalidCase[] } {
  const valid: ValidCase[] = [{ name: 'every test satisfied', yaml: staticPod(check.component, ['--v=2', ...passingFlags(check)]) }];
  const invalid: InvalidCase[] = check.tests.map((t, ti) => {
    const others = check.tests.filter((_, j) => j !== ti).flatMap((o) => {
      const v = passingValue(o);
      return v === undefined ? [] : [`--${o.flag}=${v}`];
    });
    const bad = failingValue(t);
    const flags = ['--v=2', ...others, ...(bad === undefined ? [] : [`--${t.flag}=${bad}`])];
    const idx = flags.length; // command index of the last flag (index 0 is the binary)
    return {
      name: bad === undefined ? `--${t.flag} missing` : `--${t.flag}=${bad}`,
      yaml: staticPod(check.component, flags),
      findings: [
        bad === undefined
          ? { path: COMMAND, line: 11, column: 5, message: `--${t.flag} is not set` }
          : { path: `${COMMAND}/${idx}`, line: FLAG_LINE + idx - 1, column: 7, message: `--${t.flag}` },
      ],
    };
  });
  return { valid, invalid };
}

/** Hand-written cases: component defaults, pflag syntax, other components, hostile input. */
const EXTRA: Record<string, { valid?: ValidCase[]; invalid?: InvalidCase[] }> = {
  'cis/apiserver-anonymous-auth': {
    valid: [
      { name: 'other components are not the API server', yaml: staticPod('kube-scheduler', ['--profiling=false']) },
      { name: 'ordinary pods are ignored', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    command: [nginx, --anonymous-auth=true]\n' },
      { name: 'wrong field types do not crash', yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver, labels: {component: kube-apiserver}}\nspec:\n  containers: "x"\n' },
      { name: 'a number in the command is skipped', yaml: staticPod('kube-apiserver', ['--anonymous-auth=false']).replace('    - kube-apiserver\n', '    - kube-apiserver\n    - 42\n') },
    ],
    invalid: [
      {
        name: 'absent flag is judged by the default (true)',
        yaml: staticPod('kube-apiserver', ['--secure-port=6443']),
        findings: [{ path: COMMAND, line: 11, column: 5, message: 'not set (defaults to true)' }],
      },
      {
        name: 'the last occurrence wins, as with pflag',
        yaml: staticPod('kube-apiserver', ['--anonymous-auth=false', '--anonymous-auth=true']),
        findings: [{ path: `${COMMAND}/2`, line: 14, column: 7, message: 'is set to true' }],
      },
      {
        name: 'a bare boolean flag means true',
        yaml: staticPod('kube-apiserver', ['--anonymous-auth']),
        findings: [{ path: `${COMMAND}/1`, line: 13, column: 7 }],
      },
      {
        name: 'shell-wrapped command: flags are read from the script, the finding points at it, no fix',
        yaml: `apiVersion: v1
kind: Pod
metadata: {name: apiserver}
spec:
  containers:
  - name: api
    image: registry.k8s.io/kube-apiserver:v1.31.0
    command: [/bin/sh, -c, "exec /usr/local/bin/kube-apiserver --authorization-mode=Node,RBAC --anonymous-auth=true"]
`,
        findings: [{ path: '/spec/containers/0/command/2', line: 8, message: 'api: --anonymous-auth is set to true' }],
      },
      {
        name: 'recognised by the binary in the command, without labels, in args',
        yaml: `apiVersion: v1
kind: Pod
metadata: {name: apiserver}
spec:
  containers:
  - name: sidecar
    image: busybox:1.36
  - name: api
    image: registry.k8s.io/kube-apiserver:v1.31.0
    command: [/usr/local/bin/kube-apiserver]
    args:
    - --anonymous-auth=TRUE
`,
        findings: [{ path: '/spec/containers/1/args/0', line: 12, column: 7, message: 'api: --anonymous-auth is set to TRUE' }],
      },
    ],
  },
  'cis/apiserver-authorization-always-allow': {
    valid: [{ name: '--authorization-config replaces --authorization-mode (its file has its own rule)', yaml: staticPod('kube-apiserver', ['--authorization-config=/etc/kubernetes/authz.yaml']) }],
    invalid: [
      { name: 'both given: --authorization-mode is still judged', yaml: staticPod('kube-apiserver', ['--authorization-config=/etc/kubernetes/authz.yaml', '--authorization-mode=AlwaysAllow']), findings: [{ path: `${COMMAND}/2`, line: 14, column: 7 }] },
      { name: 'absent flag defaults to AlwaysAllow', yaml: staticPod('kube-apiserver', ['--v=2']), findings: [{ path: COMMAND, line: 11, column: 5, message: 'defaults to AlwaysAllow' }] },
      { name: 'AlwaysAllow anywhere in the list', yaml: staticPod('kube-apiserver', ['--authorization-mode=Node,RBAC,AlwaysAllow']), findings: [{ path: `${COMMAND}/1`, line: 13, column: 7 }] },
    ],
  },
  'cis/apiserver-audit-log-maxage': {
    invalid: [
      { name: 'value in the next token (pflag form)', yaml: staticPod('kube-apiserver', ['--audit-log-maxage', '"7"']), findings: [{ path: `${COMMAND}/2`, line: 14, column: 7, message: 'is set to 7' }] },
      { name: 'non-numeric value fails closed', yaml: staticPod('kube-apiserver', ['--audit-log-maxage=thirty']), findings: [{ path: `${COMMAND}/1`, message: 'not a valid value' }] },
    ],
  },
  'cis/etcd-client-cert-auth': {
    valid: [{ name: 'flag beats the ETCD_ variable', yaml: staticPod('etcd', ['--client-cert-auth=true'], '    env:\n    - {name: ETCD_CLIENT_CERT_AUTH, value: "false"}\n') }],
    invalid: [
      {
        name: 'etcd reads ETCD_CLIENT_CERT_AUTH when the flag is absent',
        yaml: staticPod('etcd', ['--data-dir=/var/lib/etcd'], '    env:\n    - name: ETCD_CLIENT_CERT_AUTH\n      value: "false"\n'),
        findings: [{ path: '/spec/containers/0/env/0/value', line: 16, column: 7, message: 'etcd: --client-cert-auth is set to false' }],
      },
    ],
  },
  'cis/etcd-tls': {
    invalid: [{ name: 'both files missing: one finding naming both', yaml: staticPod('etcd', ['--data-dir=/var/lib/etcd']), findings: [{ path: COMMAND, message: '--cert-file is not set; --key-file is not set' }] }],
  },
  'cis/controller-manager-rotate-kubelet-server-cert': {
    valid: [{ name: 'other gates do not matter', yaml: staticPod('kube-controller-manager', ['--feature-gates=SomethingElse=false']) }],
    invalid: [{ name: 'malformed gates fail closed', yaml: staticPod('kube-controller-manager', ['--feature-gates=RotateKubeletServerCertificate']), findings: [{ path: `${COMMAND}/1`, message: 'not a valid value' }] }],
  },
};

for (const rule of controlPlaneFlagRules) {
  const check = CONTROL_PLANE_CHECKS.find((c) => `cis/${c.name}` === rule.meta.id)!;
  const g = generated(check);
  const extra = EXTRA[rule.meta.id] ?? {};
  // Site-dependent (CIS "Manual") checks are off by default; their tables run them switched on.
  const on = rule.meta.defaultOff ? { ...rule, meta: { ...rule.meta, defaultOff: false } } : rule;
  ruleTable(on, { valid: [...g.valid, ...(extra.valid ?? [])], invalid: [...g.invalid, ...(extra.invalid ?? [])] });
}

test('site-dependent checks are off unless enabled', () => {
  const off = controlPlaneFlagRules.filter((r) => r.meta.defaultOff).map((r) => r.meta.id);
  assert.deepEqual(off, ['cis/apiserver-deny-service-external-ips', 'cis/apiserver-event-rate-limit', 'cis/apiserver-always-pull-images', 'cis/controller-manager-terminated-pod-gc']);
  const yaml = staticPod('kube-apiserver', ['--enable-admission-plugins=NodeRestriction']);
  assert.deepEqual(controlPlaneFlagRules.filter((r) => r.meta.defaultOff).flatMap((r) => scanYaml(r, yaml)), []);
  const enabled = controlPlaneFlagRules.find((r) => r.meta.id === 'cis/apiserver-always-pull-images')!;
  const load = loadText(yaml, 'x.yaml');
  const rep = runEngine(load, { rules: [enabled], config: { rules: { 'cis/apiserver-always-pull-images': { enabled: true } }, exceptions: [], settings: {} } });
  assert.equal(rep.findings.length, 1);
});

test('fixes rewrite whole flag tokens, never a shell script', () => {
  const anon = controlPlaneFlagRules.find((r) => r.meta.id === 'cis/apiserver-anonymous-auth')!;
  const [plain] = scanYaml(anon, staticPod('kube-apiserver', ['--anonymous-auth=true']));
  assert.deepEqual(plain!.fix, [{ op: 'set', path: '/spec/containers/0/command/1', value: '--anonymous-auth=false' }]);
  // pflag: a boolean never takes the next token, so even "--anonymous-auth false" means true
  const [split] = scanYaml(anon, staticPod('kube-apiserver', ['--anonymous-auth', 'false']));
  assert.equal(split!.message, 'kube-apiserver: --anonymous-auth is set to true; it must be false');
  assert.deepEqual(split!.fix, [{ op: 'set', path: '/spec/containers/0/command/1', value: '--anonymous-auth=false' }]);
  const maxage = controlPlaneFlagRules.find((r) => r.meta.id === 'cis/apiserver-audit-log-maxage')!;
  const [sep] = scanYaml(maxage, staticPod('kube-apiserver', ['--audit-log-maxage', '"7"']));
  assert.deepEqual(sep!.fix, [{ op: 'set', path: '/spec/containers/0/command/2', value: '30' }]);
  const script = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    command: [sh, -c, "kube-apiserver --anonymous-auth=true"]\n';
  const [wrapped] = scanYaml(anon, script);
  assert.equal(wrapped!.location.path, '/spec/containers/0/command/2');
  assert.equal(wrapped!.fix, undefined);
});
