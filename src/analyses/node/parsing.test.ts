// Table tests for the pure parsers: pflag-style arguments, Go durations, feature gates, systemd
// units and env files (with positions), and static-Pod hostPath mapping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgList, parseBool, parseDuration, parseFeatureGates, parseList } from './flags.js';
import { expandExecStart, parseEnvFile, parseUnit } from './systemd.js';
import { hostPathFor } from './host-paths.js';
import { hostOf, isLoopback } from './kube-proxy.js';
import type { JsonObject } from '../../model/types.js';

test('parseArgList: --a=b, --a b, bare booleans, single dash, junk', () => {
  const cases: [unknown, [string, string, string][]][] = [
    [['kube-apiserver', '--a=b', '--profiling', '--audit-log-path', '/var/log/a.log', '-v=2'], [['a', 'b', '/0/1'], ['profiling', 'true', '/0/2'], ['audit-log-path', '/var/log/a.log', '/0/4'], ['v', '2', '/0/5']]],
    [['--anonymous-auth', 'false'], [['anonymous-auth', 'true', '/0/0']]], // booleans never take the next token (pflag)
    [['--x='], [['x', '', '/0/0']]],
    [['--tls-cipher-suites=A,B=C'], [['tls-cipher-suites', 'A,B=C', '/0/0']]],
    ['--a=b', []],
    [[1, null, {}, '--ok=1'], [['ok', '1', '/0/3']]],
  ];
  for (const [input, want] of cases) assert.deepEqual(parseArgList(input, '/0').map((o) => [o.name, o.value, o.path]), want, JSON.stringify(input));
});

test('parseBool follows strconv.ParseBool', () => {
  for (const t of ['1', 't', 'T', 'true', 'TRUE', 'True', true]) assert.equal(parseBool(t), true);
  for (const f of ['0', 'f', 'F', 'false', 'FALSE', 'False', false]) assert.equal(parseBool(f), false);
  for (const x of ['yes', 'on', '', 1, null]) assert.equal(parseBool(x), undefined);
});

test('parseDuration: Go durations in seconds; junk is undefined', () => {
  const cases: [unknown, number | undefined][] = [['0', 0], ['0s', 0], ['4h0m0s', 14400], ['5m', 300], ['1.5h', 5400], ['300ms', 0.3], ['10', undefined], ['5 m', undefined], ['', undefined], [0, 0], [3e11, 300]];
  for (const [v, want] of cases) assert.equal(parseDuration(v), want, String(v));
});

test('parseList and parseFeatureGates', () => {
  assert.deepEqual(parseList(' Node, RBAC ,,'), ['Node', 'RBAC']);
  assert.deepEqual(parseList(['a', 'b']), ['a', 'b']);
  assert.equal(parseList([1]), undefined);
  assert.deepEqual([...parseFeatureGates('A=true, B=false')!], [['A', true], ['B', false]]);
  assert.deepEqual([...parseFeatureGates({ A: false })!], [['A', false]]);
  assert.equal(parseFeatureGates('A'), undefined);
  assert.equal(parseFeatureGates({ A: 'maybe' }), undefined);
});

test('systemd: Environment=, EnvironmentFile=, ExecStart reset, continuation lines, positions', () => {
  const unit = [
    '[Unit]',
    'Description=x',
    'ExecStart=/not/service/section',
    '[Service]',
    'Environment="A=--a=1 --b=2" B=--c',
    'EnvironmentFile=-/etc/default/kubelet',
    'ExecStart=/usr/bin/old',
    'ExecStart=',
    'ExecStart=/usr/bin/kubelet $A \\',
    '    ${B} --d=$MISSING',
  ].join('\n');
  const u = parseUnit(unit, 'u.conf');
  assert.deepEqual(u.env.get('A'), { value: '--a=1 --b=2', pos: { file: 'u.conf', line: 5, column: 16 } });
  assert.deepEqual(u.env.get('B')?.pos, { file: 'u.conf', line: 5, column: 31 });
  assert.deepEqual(u.envFiles, [{ path: '/etc/default/kubelet', optional: true, pos: { file: 'u.conf', line: 6, column: 17 } }]);
  const env = parseEnvFile('# comment\nexport X=1\nKUBELET_EXTRA_ARGS="--e=5"\n', 'env');
  assert.deepEqual(env.get('KUBELET_EXTRA_ARGS'), { value: '--e=5', pos: { file: 'env', line: 3, column: 21 } });
  assert.equal(env.get('X')?.value, '1');
  const tokens = expandExecStart(u.execStart!, u.env);
  assert.deepEqual(
    tokens.map((t) => `${t.value}@${t.pos.line}:${t.pos.column}`),
    ['/usr/bin/kubelet@9:11', '--a=1@5:16', '--b=2@5:22', '--c@5:31', '--d=@10:10'],
  );
});

test('hostPathFor: longest mount wins; subPath; paths outside mounts are undefined', () => {
  const pod: JsonObject = {
    spec: {
      volumes: [
        { name: 'pki', hostPath: { path: '/etc/kubernetes/pki' } },
        { name: 'audit', hostPath: { path: '/srv/audit' } },
        { name: 'cfg', hostPath: { path: '/srv/cfg' } },
        { name: 'empty', emptyDir: {} },
      ],
    },
  };
  const container: JsonObject = {
    volumeMounts: [
      { name: 'pki', mountPath: '/etc/kubernetes/pki' },
      { name: 'audit', mountPath: '/etc/kubernetes/audit/' },
      { name: 'cfg', mountPath: '/etc/kubernetes/enc.yaml', subPath: 'enc.yaml' },
      { name: 'empty', mountPath: '/tmp' },
    ],
  };
  const cases: [string, string | undefined][] = [
    ['/etc/kubernetes/pki/ca.crt', '/etc/kubernetes/pki/ca.crt'],
    ['/etc/kubernetes/audit/policy.yaml', '/srv/audit/policy.yaml'],
    ['/etc/kubernetes/audit/../pki/x', '/etc/kubernetes/pki/x'],
    ['/etc/kubernetes/enc.yaml', '/srv/cfg/enc.yaml'],
    ['/etc/kubernetes/pkix', undefined],
    ['/tmp/a', undefined],
    ['relative/path', undefined],
  ];
  for (const [p, want] of cases) assert.equal(hostPathFor(pod, container, p), want, p);
  assert.equal(hostPathFor({ spec: { volumes: 'x' } } as never, { volumeMounts: [1] } as never, '/a'), undefined);
});

test('kube-proxy addresses', () => {
  const cases: [string, string, boolean][] = [['127.0.0.1:10249', '127.0.0.1', true], ['[::1]:10249', '::1', true], ['localhost:1', 'localhost', true], ['0.0.0.0:10249', '0.0.0.0', false], [':10249', '', false], ['::', '::', false], ['10.1.2.3', '10.1.2.3', false]];
  for (const [a, host, lo] of cases) {
    assert.equal(hostOf(a), host, a);
    assert.equal(isLoopback(a), lo, a);
  }
});
