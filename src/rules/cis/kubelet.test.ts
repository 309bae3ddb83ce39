// Tables for the kubelet rules: KubeletConfiguration fields (with v1beta1 defaults), the kubelet's
// flags (the KubeletFlags object `rampart node` builds) and the precedence between them.
import { kubeletRules } from './kubelet.js';
import { ruleTable } from '../testing/harness.js';

const rule = (id: string) => kubeletRules.find((r) => r.meta.id === id)!;
/** Site-dependent checks are off by default; their tables run them switched on. */
const on = (id: string) => ({ ...rule(id), meta: { ...rule(id).meta, defaultOff: false } });

const HARDENED = `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
readOnlyPort: 0
streamingConnectionIdleTimeout: 5m0s
makeIPTablesUtilChains: true
rotateCertificates: true
protectKernelDefaults: true
tlsCipherSuites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]
featureGates:
  RotateKubeletServerCertificate: true
`;

const MINIMAL = `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
`;

const flags = (...args: string[]) => `apiVersion: rampart.dev/v1
kind: KubeletFlags
metadata: {name: kubelet}
args:
- /usr/bin/kubelet
${args.map((a) => `- ${a}`).join('\n')}
`;

/** HARDENED with one line replaced. */
const withLine = (from: string, to: string) => {
  if (!HARDENED.includes(from)) throw new Error(`fixture line not found: ${from}`);
  return HARDENED.replace(from, to);
};

const WRONG_TYPES = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication: []\nauthorization: "x"\nreadOnlyPort: {}\n';

ruleTable(rule('cis/kubelet-anonymous-auth'), {
  valid: [
    HARDENED,
    { name: 'v1beta1 default is false', yaml: MINIMAL },
    { name: 'not a kubelet.config.k8s.io object', yaml: 'apiVersion: example.com/v1\nkind: KubeletConfiguration\nauthentication: {anonymous: {enabled: true}}\n' },
    { name: 'flag with a config file: the file decides', yaml: flags('--config=/var/lib/kubelet/config.yaml') },
    {
      name: 'on a node, a later --config-dir drop-in decides the field, not the base file',
      yaml: withLine('    enabled: false\n  webhook', '    enabled: true\n  webhook') + '---\n' + flags('--config=/var/lib/kubelet/config.yaml', '--config-dir=/etc/kubernetes/kubelet.conf.d') + '---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication: {anonymous: {enabled: false}}\n',
    },
    { name: 'flag overrides the file', yaml: withLine('    enabled: false\n  webhook', '    enabled: true\n  webhook') + '---\n' + flags('--config=/var/lib/kubelet/config.yaml', '--anonymous-auth=false') },
  ],
  invalid: [
    { name: 'explicit true', yaml: withLine('    enabled: false\n  webhook', '    enabled: true\n  webhook'), findings: [{ path: '/authentication/anonymous/enabled', line: 5, column: 5, message: 'authentication.anonymous.enabled is set to true' }] },
    { name: 'a string is not a boolean: fails closed', yaml: withLine('    enabled: false\n  webhook', '    enabled: "no"\n  webhook'), findings: [{ path: '/authentication/anonymous/enabled', line: 5, message: 'not a valid value' }] },
    { name: 'flags only: the flag default is true', yaml: flags('--kubeconfig=/etc/kubernetes/kubelet.conf'), findings: [{ path: '/args', line: 4, column: 1, message: 'runs without a config file and --anonymous-auth is not set (defaults to true)' }] },
    {
      name: 'a flag overriding a good file is reported on the flag, not the file',
      yaml: HARDENED + '---\n' + flags('--config=/var/lib/kubelet/config.yaml', '--anonymous-auth=true'),
      findings: [{ path: '/args/2', line: 27, column: 3, resource: 'KubeletFlags/kubelet', message: 'kubelet flag --anonymous-auth is set to true' }],
    },
  ],
});

ruleTable(rule('cis/kubelet-authorization-mode'), {
  valid: [HARDENED, { name: 'v1beta1 default is Webhook', yaml: MINIMAL }, { name: 'wrong types elsewhere do not crash', yaml: WRONG_TYPES.replace('authorization: "x"\n', '') }],
  invalid: [
    { name: 'AlwaysAllow in the file', yaml: withLine('  mode: Webhook', '  mode: AlwaysAllow'), findings: [{ path: '/authorization/mode', line: 11, column: 3 }] },
    { name: 'flags only: the flag default is AlwaysAllow', yaml: flags('--v=2'), findings: [{ path: '/args', message: 'defaults to AlwaysAllow' }] },
  ],
});

ruleTable(rule('cis/kubelet-client-ca'), {
  valid: [HARDENED, { name: 'set by flag', yaml: flags('--client-ca-file=/etc/kubernetes/pki/ca.crt') }],
  invalid: [
    { name: 'missing: points at the deepest existing parent', yaml: withLine('  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\n', ''), findings: [{ path: '/authentication', line: 3, column: 1, message: 'authentication.x509.clientCAFile is not set' }] },
    { name: 'no authentication block at all', yaml: MINIMAL, findings: [{ path: '', line: 1, column: 1 }] },
    { name: 'wrong types do not crash and fail closed', yaml: WRONG_TYPES, findings: [{ path: '/authentication', line: 3 }] },
  ],
});

ruleTable(rule('cis/kubelet-read-only-port'), {
  valid: [HARDENED, { name: 'v1beta1 default is 0', yaml: MINIMAL }, { name: 'flag 0', yaml: flags('--read-only-port=0') }],
  invalid: [
    { name: 'port in the file', yaml: withLine('readOnlyPort: 0', 'readOnlyPort: 10255'), findings: [{ path: '/readOnlyPort', line: 12, column: 1, message: 'is set to 10255' }] },
    { name: 'an object is not a port', yaml: WRONG_TYPES, findings: [{ path: '/readOnlyPort', line: 5, message: 'not a valid value' }] },
    { name: 'flags only: default 10255', yaml: flags('--v=2'), findings: [{ path: '/args', message: 'defaults to 10255' }] },
  ],
});

ruleTable(rule('cis/kubelet-streaming-idle-timeout'), {
  valid: [HARDENED, MINIMAL, { name: 'flag 30m', yaml: flags('--streaming-connection-idle-timeout=30m') }],
  invalid: [
    { name: '0s disables it', yaml: withLine('5m0s', '0s'), findings: [{ path: '/streamingConnectionIdleTimeout', line: 13, column: 1 }] },
    { name: 'flag 0 (h0m0s form)', yaml: flags('--streaming-connection-idle-timeout=0h0m0s'), findings: [{ path: '/args/1', line: 6, column: 3 }] },
    { name: 'not a duration', yaml: withLine('5m0s', 'five minutes'), findings: [{ path: '/streamingConnectionIdleTimeout', message: 'not a valid value' }] },
  ],
});

ruleTable(rule('cis/kubelet-iptables-util-chains'), {
  valid: [HARDENED, MINIMAL],
  invalid: [{ name: 'false', yaml: withLine('makeIPTablesUtilChains: true', 'makeIPTablesUtilChains: false'), findings: [{ path: '/makeIPTablesUtilChains', line: 14, column: 1 }] }],
});

ruleTable(rule('cis/kubelet-rotate-certificates'), {
  valid: [HARDENED, { name: 'CIS 4.2.10 only fails an explicit false', yaml: MINIMAL }, { name: 'flags only, unset', yaml: flags('--v=2') }],
  invalid: [
    { name: 'false in the file', yaml: withLine('rotateCertificates: true', 'rotateCertificates: false'), findings: [{ path: '/rotateCertificates', line: 15, column: 1 }] },
    { name: 'false as a flag, with fix', yaml: flags('--rotate-certificates=false'), findings: [{ path: '/args/1', line: 6, column: 3 }] },
  ],
});

ruleTable(rule('cis/kubelet-rotate-server-certificate'), {
  valid: [HARDENED, MINIMAL, { name: 'other gates', yaml: flags('--feature-gates=GracefulNodeShutdown=true') }],
  invalid: [
    { name: 'gate false in the file', yaml: withLine('RotateKubeletServerCertificate: true', 'RotateKubeletServerCertificate: false'), findings: [{ path: '/featureGates', line: 18, column: 1 }] },
    { name: 'gate false as a flag', yaml: flags('--feature-gates=A=true,RotateKubeletServerCertificate=false'), findings: [{ path: '/args/1', message: 'sets RotateKubeletServerCertificate=false' }] },
  ],
});

ruleTable(rule('cis/kubelet-tls-cipher-suites'), {
  valid: [HARDENED, { name: 'flag list', yaml: flags('--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384') }],
  invalid: [
    { name: 'a CBC suite', yaml: withLine('TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]', 'TLS_RSA_WITH_AES_128_CBC_SHA]'), findings: [{ path: '/tlsCipherSuites', line: 17, message: 'TLS_RSA_WITH_AES_128_CBC_SHA is not on the strong list' }] },
    { name: 'not set: Go defaults', yaml: MINIMAL, findings: [{ path: '', message: 'tlsCipherSuites is not set' }] },
  ],
});

ruleTable(rule('cis/kubelet-protect-kernel-defaults'), {
  valid: [HARDENED],
  invalid: [{ name: 'not set (default false)', yaml: MINIMAL, findings: [{ path: '', line: 1, column: 1, message: 'defaults to false' }] }],
});

ruleTable(on('cis/kubelet-pod-pids-limit'), {
  valid: [{ name: 'a limit in the file', yaml: MINIMAL + 'podPidsLimit: 4096\n' }, { name: 'a limit as a flag', yaml: flags('--pod-max-pids=1024') }],
  invalid: [
    { name: 'not set: -1 is unlimited', yaml: MINIMAL, findings: [{ path: '', line: 1, message: 'podPidsLimit is not set (defaults to -1); it must be at least 1' }] },
    { name: 'explicit -1', yaml: MINIMAL + 'podPidsLimit: -1\n', findings: [{ path: '/podPidsLimit', line: 4, column: 1, message: 'is set to -1' }] },
  ],
});

ruleTable(on('cis/kubelet-seccomp-default'), {
  valid: [{ name: 'on in the file', yaml: MINIMAL + 'seccompDefault: true\n' }, { name: 'bare flag means true', yaml: flags('--seccomp-default') }],
  invalid: [
    { name: 'not set', yaml: MINIMAL, findings: [{ path: '', line: 1, message: 'defaults to false' }] },
    { name: 'explicit false', yaml: MINIMAL + 'seccompDefault: false\n', findings: [{ path: '/seccompDefault', line: 4, column: 1 }] },
  ],
});
