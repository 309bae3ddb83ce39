// CIS section 4.2 kubelet checks as data: each names the command-line flag and the
// KubeletConfiguration field, with the default of each (they differ: the flag defaults are the
// legacy insecure ones, the kubelet.config.k8s.io/v1beta1 defaults are the secure ones).
import type { Severity } from '../../model/types.js';
import type { Expectation } from './expect.js';
import { STRONG_KUBELET_CIPHERS } from './control-plane-checks.js';

export interface KubeletCheck {
  name: string;
  cis: string[];
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  mitre: string[];
  nsa: string[];
  urls?: string[];
  flag: string;
  /** Path of the field in KubeletConfiguration. */
  field: string[];
  expect: Expectation;
  /** Used when neither the flag nor the field is set and the kubelet runs without a config file. */
  flagDefault?: string;
  /** Used when the config file does not set the field (and no flag overrides it). */
  fieldDefault?: unknown;
  /** Value a fix writes into the config file. */
  fix?: boolean | number | string;
  /** The CIS item fails only an explicit wrong value (e.g. 4.2.10 "not set to false"). */
  absentPasses?: boolean;
  note?: string;
  /** Off unless enabled in .rampart.yaml (CIS "Manual" items whose right value depends on the site). */
  defaultOff?: boolean;
}

const NSA_NODE = 'Network separation and hardening: worker node segmentation';
const NSA_AUTH = 'Authentication and authorization';
const KUBELET_AUTH = 'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/';
const KUBELET_CONFIG = 'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/';

export const KUBELET_CHECKS: KubeletCheck[] = [
  {
    name: 'kubelet-anonymous-auth',
    cis: ['4.2.1'],
    title: 'Kubelet accepts anonymous requests',
    severity: 'critical',
    rationale: 'The kubelet API (port 10250) runs commands in containers and reads their logs; anonymous access lets anyone on the network do so when authorization is also open.',
    remediation: 'Set authentication.anonymous.enabled: false in the kubelet config file (or --anonymous-auth=false).',
    mitre: ['T1609', 'T1190'],
    nsa: [NSA_AUTH],
    urls: [KUBELET_AUTH],
    flag: 'anonymous-auth',
    field: ['authentication', 'anonymous', 'enabled'],
    expect: { op: 'bool', value: false },
    flagDefault: 'true',
    fieldDefault: false,
    fix: false,
  },
  {
    name: 'kubelet-authorization-mode',
    cis: ['4.2.2'],
    title: 'Kubelet authorizes every request (AlwaysAllow)',
    severity: 'critical',
    rationale: 'With AlwaysAllow, every caller the kubelet authenticates (or every anonymous caller) may exec into pods on the node; Webhook mode asks the API server (SubjectAccessReview) instead.',
    remediation: 'Set authorization.mode: Webhook in the kubelet config file (or --authorization-mode=Webhook).',
    mitre: ['T1609', 'T1078'],
    nsa: [NSA_AUTH],
    urls: [KUBELET_AUTH],
    flag: 'authorization-mode',
    field: ['authorization', 'mode'],
    expect: { op: 'listLacks', value: 'AlwaysAllow' },
    flagDefault: 'AlwaysAllow',
    fieldDefault: 'Webhook',
    fix: 'Webhook',
  },
  {
    name: 'kubelet-client-ca',
    cis: ['4.2.3'],
    title: 'Kubelet does not verify client certificates',
    severity: 'high',
    rationale: 'Without a client CA the kubelet cannot authenticate the API server (or anyone) by certificate.',
    remediation: 'Set authentication.x509.clientCAFile to the cluster CA (or --client-ca-file).',
    mitre: ['T1557', 'T1609'],
    nsa: [NSA_AUTH],
    urls: [KUBELET_AUTH],
    flag: 'client-ca-file',
    field: ['authentication', 'x509', 'clientCAFile'],
    expect: { op: 'set' },
  },
  {
    name: 'kubelet-read-only-port',
    cis: ['4.2.4'],
    title: 'Kubelet serves the unauthenticated read-only port',
    severity: 'high',
    rationale: 'The read-only port (10255) serves pod specs, environment variables and metrics with no authentication at all.',
    remediation: 'Set readOnlyPort: 0 in the kubelet config file (or --read-only-port=0).',
    mitre: ['T1613', 'T1552.007'],
    nsa: [NSA_NODE],
    urls: [KUBELET_CONFIG],
    flag: 'read-only-port',
    field: ['readOnlyPort'],
    expect: { op: 'zero' },
    flagDefault: '10255',
    fieldDefault: 0,
    fix: 0,
  },
  {
    name: 'kubelet-streaming-idle-timeout',
    cis: ['4.2.5'],
    title: 'Kubelet streaming connections never time out',
    severity: 'medium',
    rationale: 'An idle exec, attach or port-forward session that never times out stays open for whoever holds it, and piles up until the node runs out of resources.',
    remediation: 'Set streamingConnectionIdleTimeout to a non-zero duration such as 5m (or --streaming-connection-idle-timeout=5m).',
    mitre: ['T1499', 'T1609'],
    nsa: [NSA_NODE],
    urls: [KUBELET_CONFIG],
    flag: 'streaming-connection-idle-timeout',
    field: ['streamingConnectionIdleTimeout'],
    expect: { op: 'nonZeroDuration' },
    flagDefault: '4h0m0s',
    fieldDefault: '4h0m0s',
    fix: '5m0s',
  },
  {
    name: 'kubelet-iptables-util-chains',
    cis: ['4.2.6'],
    title: 'Kubelet does not manage its iptables chains',
    severity: 'low',
    rationale: 'When the kubelet does not maintain its iptables utility chains, node firewall rules can drift from what pod networking expects.',
    remediation: 'Set makeIPTablesUtilChains: true (or remove --make-iptables-util-chains=false).',
    mitre: ['T1562.004'],
    nsa: [NSA_NODE],
    urls: [KUBELET_CONFIG],
    flag: 'make-iptables-util-chains',
    field: ['makeIPTablesUtilChains'],
    expect: { op: 'bool', value: true },
    flagDefault: 'true',
    fieldDefault: true,
    fix: true,
  },
  {
    name: 'kubelet-rotate-certificates',
    cis: ['4.2.10'],
    title: 'Kubelet client-certificate rotation is switched off',
    severity: 'medium',
    rationale: 'Without rotation the kubelet client certificate expires (taking the node down) or is replaced by hand with long-lived credentials.',
    remediation: 'Set rotateCertificates: true (or remove --rotate-certificates=false).',
    mitre: ['T1557'],
    nsa: [NSA_NODE],
    urls: ['https://kubernetes.io/docs/tasks/tls/certificate-rotation/'],
    flag: 'rotate-certificates',
    field: ['rotateCertificates'],
    // CIS 4.2.10 fails only an explicit false, as kube-bench does (the v1beta1 default is false).
    expect: { op: 'bool', value: true },
    absentPasses: true,
    fix: true,
  },
  {
    name: 'kubelet-rotate-server-certificate',
    cis: ['4.2.11'],
    title: 'Kubelet serving-certificate rotation is switched off',
    severity: 'medium',
    rationale: 'RotateKubeletServerCertificate lets the kubelet request and renew serving certificates from the cluster CA; switching it off leaves self-signed or expiring certificates.',
    remediation: 'Remove RotateKubeletServerCertificate: false from featureGates (or from --feature-gates).',
    mitre: ['T1557'],
    nsa: [NSA_NODE],
    urls: ['https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/#certificate-rotation'],
    flag: 'feature-gates',
    field: ['featureGates'],
    expect: { op: 'gateNot', gate: 'RotateKubeletServerCertificate', value: false },
  },
  {
    name: 'kubelet-tls-cipher-suites',
    cis: ['4.2.12'],
    title: 'Kubelet allows weak TLS cipher suites',
    severity: 'medium',
    rationale: 'Without an explicit list the Go defaults apply, which still include CBC-mode and non-forward-secret suites.',
    remediation: `Set tlsCipherSuites to a subset of: ${STRONG_KUBELET_CIPHERS.join(', ')}.`,
    mitre: ['T1557', 'T1040'],
    nsa: [NSA_NODE],
    urls: [KUBELET_CONFIG],
    flag: 'tls-cipher-suites',
    field: ['tlsCipherSuites'],
    expect: { op: 'subset', values: STRONG_KUBELET_CIPHERS },
  },
  {
    name: 'kubelet-protect-kernel-defaults',
    cis: [],
    note: 'In CIS benchmarks up to v1.8 (4.2.6 "--protect-kernel-defaults is set to true"); CIS v1.12 no longer lists it.',
    title: 'Kubelet may change kernel tunables',
    severity: 'low',
    rationale: 'With protectKernelDefaults the kubelet refuses to start when kernel tunables differ from its expectations instead of silently changing them, so node hardening set by the OS stays in force.',
    remediation: 'Set protectKernelDefaults: true (and set the required sysctls on the host).',
    mitre: ['T1562'],
    nsa: [NSA_NODE],
    urls: [KUBELET_CONFIG],
    flag: 'protect-kernel-defaults',
    field: ['protectKernelDefaults'],
    expect: { op: 'bool', value: true },
    flagDefault: 'false',
    fieldDefault: false,
    fix: true,
  },
  {
    name: 'kubelet-pod-pids-limit',
    cis: ['4.2.13'],
    defaultOff: true,
    title: 'Kubelet does not limit process IDs per pod',
    severity: 'low',
    rationale: 'Without podPidsLimit one pod can fork until the node runs out of process IDs, taking every other pod and the kubelet down with it.',
    remediation: 'Set podPidsLimit (e.g. 4096) in the kubelet config file (or --pod-max-pids).',
    mitre: ['T1499'],
    nsa: [NSA_NODE],
    urls: [KUBELET_CONFIG],
    flag: 'pod-max-pids',
    field: ['podPidsLimit'],
    // kube-bench only asks that it is set; -1 (the default) means unlimited, so require a positive limit.
    expect: { op: 'gte', value: 1 },
    flagDefault: '-1',
    fieldDefault: -1,
  },
  {
    name: 'kubelet-seccomp-default',
    cis: ['4.2.14'],
    defaultOff: true,
    title: 'Kubelet does not apply RuntimeDefault seccomp to every container',
    severity: 'low',
    rationale: 'With seccompDefault the container runtime\'s default seccomp profile applies to every container that does not choose one, blocking rarely needed, dangerous syscalls.',
    remediation: 'Set seccompDefault: true in the kubelet config file (or --seccomp-default), after testing workloads.',
    mitre: ['T1611'],
    nsa: [NSA_NODE],
    urls: [KUBELET_CONFIG],
    flag: 'seccomp-default',
    field: ['seccompDefault'],
    expect: { op: 'bool', value: true },
    flagDefault: 'false',
    fieldDefault: false,
    fix: true,
  },
];
