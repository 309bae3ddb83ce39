// Builds realistic kubeadm-style node trees (manifests, PKI, kubeconfigs, kubelet units and config,
// with modes and owners) under a directory, for tests and benchmarks of `rampart node`.
import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type Profile = 'hardened' | 'weak';

interface Entry {
  path: string;
  content?: string;
  mode: number;
  uid?: number;
  gid?: number;
  dir?: boolean;
}

const ETCD_UID = 989;
const CERT = '-----BEGIN CERTIFICATE-----\nTUlJQ0ZJWFRVUkU=\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nRklYVFVSRS1OT1QtQS1LRVk=\n-----END PRIVATE KEY-----\n';

function pod(name: string, image: string, command: string[], mounts: [string, string, string][], extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  labels:
    component: ${name}
    tier: control-plane
  name: ${name}
  namespace: kube-system
spec:
  containers:
  - command:
${command.map((c) => `    - ${c}`).join('\n')}
    image: registry.k8s.io/${image}
    name: ${name}
${extra}    volumeMounts:
${mounts.map(([n, , m]) => `    - mountPath: ${m}\n      name: ${n}\n      readOnly: true`).join('\n')}
  hostNetwork: true
  priorityClassName: system-node-critical
  volumes:
${mounts.map(([n, h]) => `  - hostPath:\n      path: ${h}\n      type: DirectoryOrCreate\n    name: ${n}`).join('\n')}
`;
}

function apiserver(p: Profile): string {
  const common = [
    'kube-apiserver',
    '--advertise-address=10.0.0.10',
    '--allow-privileged=true',
    '--client-ca-file=/etc/kubernetes/pki/ca.crt',
    '--enable-bootstrap-token-auth=true',
    '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
    '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
    '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
    '--etcd-servers=https://127.0.0.1:2379',
    '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt',
    '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
    '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
    '--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt',
    '--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key',
    '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
    '--secure-port=6443',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
    '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
    '--service-cluster-ip-range=10.96.0.0/12',
    '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
    '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
  ];
  const mounts: [string, string, string][] = [
    ['k8s-certs', '/etc/kubernetes/pki', '/etc/kubernetes/pki'],
    ['ca-certs', '/etc/ssl/certs', '/etc/ssl/certs'],
    ['encryption', '/etc/kubernetes/enc', '/etc/kubernetes/enc'],
    ['audit-policy', '/etc/kubernetes/audit', '/etc/kubernetes/audit-policy'],
    ['audit-log', '/var/log/kubernetes/audit', '/var/log/kubernetes/audit'],
  ];
  const flags =
    p === 'hardened'
      ? [
          '--anonymous-auth=false',
          '--authorization-mode=Node,RBAC',
          '--enable-admission-plugins=NodeRestriction,EventRateLimit',
          '--admission-control-config-file=/etc/kubernetes/enc/admission.yaml',
          '--profiling=false',
          '--audit-log-path=/var/log/kubernetes/audit/audit.log',
          '--audit-log-maxage=30',
          '--audit-log-maxbackup=10',
          '--audit-log-maxsize=100',
          '--audit-policy-file=/etc/kubernetes/audit-policy/policy.yaml',
          '--encryption-provider-config=/etc/kubernetes/enc/encryption.yaml',
          '--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt',
          '--service-account-extend-token-expiration=false',
          '--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
        ]
      : [
          '--authorization-mode=AlwaysAllow',
          '--enable-admission-plugins=AlwaysAdmit',
          '--disable-admission-plugins=PodSecurity',
          '--token-auth-file=/etc/kubernetes/pki/tokens.csv',
          '--audit-log-maxage=7',
          '--audit-policy-file=/etc/kubernetes/audit-policy/policy.yaml',
          '--encryption-provider-config=/etc/kubernetes/enc/encryption.yaml',
          '--service-account-lookup=false',
          '--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_128_CBC_SHA',
          '--insecure-port=8080',
        ];
  return pod('kube-apiserver', 'kube-apiserver:v1.31.2', [...common, ...flags], mounts);
}

function etcd(p: Profile): string {
  const common = [
    'etcd',
    '--advertise-client-urls=https://10.0.0.10:2379',
    '--data-dir=/var/lib/etcd',
    '--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379',
    '--name=cp-1',
    '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
    '--key-file=/etc/kubernetes/pki/etcd/server.key',
    '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
  ];
  const flags =
    p === 'hardened'
      ? ['--client-cert-auth=true', '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt', '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key', '--peer-client-cert-auth=true', '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt']
      : ['--auto-tls=true', '--peer-auto-tls=true'];
  // The weak profile sets client-cert-auth through etcd's environment variable, which etcd also reads.
  const env = p === 'weak' ? '    env:\n    - name: ETCD_CLIENT_CERT_AUTH\n      value: "false"\n' : '';
  return pod('etcd', 'etcd:3.5.15-0', [...common, ...flags], [
    ['etcd-data', '/var/lib/etcd', '/var/lib/etcd'],
    ['etcd-certs', '/etc/kubernetes/pki/etcd', '/etc/kubernetes/pki/etcd'],
  ], env);
}

function controllerManager(p: Profile): string {
  const common = [
    'kube-controller-manager',
    '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt',
    '--cluster-signing-key-file=/etc/kubernetes/pki/ca.key',
    '--kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--root-ca-file=/etc/kubernetes/pki/ca.crt',
    '--service-account-private-key-file=/etc/kubernetes/pki/sa.key',
  ];
  const flags = p === 'hardened' ? ['--bind-address=127.0.0.1', '--profiling=false', '--use-service-account-credentials=true'] : ['--bind-address=0.0.0.0', '--feature-gates=RotateKubeletServerCertificate=false'];
  return pod('kube-controller-manager', 'kube-controller-manager:v1.31.2', [...common, ...flags], [
    ['k8s-certs', '/etc/kubernetes/pki', '/etc/kubernetes/pki'],
    ['kubeconfig', '/etc/kubernetes/controller-manager.conf', '/etc/kubernetes/controller-manager.conf'],
  ]);
}

function scheduler(p: Profile): string {
  const common = ['kube-scheduler', '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf', '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true'];
  const flags = p === 'hardened' ? ['--bind-address=127.0.0.1', '--profiling=false'] : ['--profiling=true'];
  return pod('kube-scheduler', 'kube-scheduler:v1.31.2', [...common, ...flags], [['kubeconfig', '/etc/kubernetes/scheduler.conf', '/etc/kubernetes/scheduler.conf']]);
}

function encryption(p: Profile): string {
  return p === 'hardened'
    ? `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources:
  - secrets
  providers:
  - kms:
      apiVersion: v2
      name: vault-kms
      endpoint: unix:///var/run/kms/vault.sock
      timeout: 3s
  - identity: {}
`
    : `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources:
  - secrets
  - configmaps
  providers:
  - identity: {}
  - aescbc:
      keys:
      - name: key1
        secret: dGhpcyBpcyBub3QgYSByZWFsIGtleSAxMjM0NTY=
`;
}

function auditPolicy(p: Profile): string {
  return p === 'hardened'
    ? `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: None
  users: ["system:kube-proxy"]
  verbs: ["watch"]
  resources:
  - group: ""
    resources: ["endpoints", "services", "services/status"]
- level: None
  nonResourceURLs: ["/healthz*", "/version", "/readyz", "/livez"]
- level: Metadata
  resources:
  - group: ""
    resources: ["secrets", "configmaps", "serviceaccounts/token"]
  - group: authentication.k8s.io
    resources: ["tokenreviews"]
- level: RequestResponse
  resources:
  - group: rbac.authorization.k8s.io
- level: Metadata
`
    : `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: None
  resources:
  - group: ""
    resources: ["pods/exec", "pods/portforward"]
- level: RequestResponse
  resources:
  - group: ""
`;
}

function admission(): string {
  return `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: EventRateLimit
  path: /etc/kubernetes/enc/eventratelimit.yaml
`;
}

function kubeletConfig(p: Profile): string {
  return p === 'hardened'
    ? `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
protectKernelDefaults: true
readOnlyPort: 0
rotateCertificates: true
serverTLSBootstrap: true
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 5m0s
tlsCipherSuites:
- TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
- TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
featureGates:
  RotateKubeletServerCertificate: true
`
    : `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: true
  webhook:
    enabled: false
authorization:
  mode: AlwaysAllow
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
makeIPTablesUtilChains: false
rotateCertificates: false
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: "0"
tlsCipherSuites: [TLS_RSA_WITH_AES_128_CBC_SHA]
featureGates:
  RotateKubeletServerCertificate: false
`;
}

const KUBELET_SERVICE = `[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
`;

const KUBEADM_DROPIN = `# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
# This is a file that "kubeadm init" and "kubeadm join" generates at runtime, populating the KUBELET_KUBEADM_ARGS variable dynamically
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
# This is a file that the user can use for overrides of the kubelet args as a last resort.
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;

function kubeadmFlags(p: Profile): string {
  const base = '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10';
  return `KUBELET_KUBEADM_ARGS="${base}${p === 'weak' ? ' --read-only-port=10255' : ''}"\n`;
}

function kubeconfig(user: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: TUlJQ0ZJWFRVUkU=
    server: https://10.0.0.10:6443
  name: kubernetes
contexts:
- context: {cluster: kubernetes, user: ${user}}
  name: ${user}@kubernetes
current-context: ${user}@kubernetes
users:
- name: ${user}
  user:
    client-certificate-data: TUlJQ0ZJWFRVUkU=
    client-key-data: RklYVFVSRS1OT1QtQS1LRVk=
`;
}

const PKI_CERTS = ['ca.crt', 'apiserver.crt', 'apiserver-kubelet-client.crt', 'apiserver-etcd-client.crt', 'front-proxy-ca.crt', 'front-proxy-client.crt', 'etcd/ca.crt', 'etcd/server.crt', 'etcd/peer.crt', 'etcd/healthcheck-client.crt'];
const PKI_KEYS = ['ca.key', 'apiserver.key', 'apiserver-kubelet-client.key', 'apiserver-etcd-client.key', 'front-proxy-ca.key', 'front-proxy-client.key', 'sa.key', 'etcd/ca.key', 'etcd/server.key', 'etcd/peer.key', 'etcd/healthcheck-client.key'];

export function nodeTreeEntries(p: Profile): Entry[] {
  const weak = p === 'weak';
  const m = (hardened: number, loose: number) => (weak ? loose : hardened);
  const e: Entry[] = [
    { path: '/etc/passwd', content: `root:x:0:0:root:/root:/bin/bash\netcd:x:${ETCD_UID}:${ETCD_UID}:etcd user:/var/lib/etcd:/usr/sbin/nologin\nubuntu:x:1000:1000::/home/ubuntu:/bin/bash\n`, mode: 0o644 },
    { path: '/etc/group', content: `root:x:0:\netcd:x:${ETCD_UID}:\nubuntu:x:1000:\n`, mode: 0o644 },
    { path: '/etc/kubernetes/manifests/kube-apiserver.yaml', content: apiserver(p), mode: m(0o600, 0o644) },
    { path: '/etc/kubernetes/manifests/etcd.yaml', content: etcd(p), mode: m(0o600, 0o644) },
    { path: '/etc/kubernetes/manifests/kube-controller-manager.yaml', content: controllerManager(p), mode: m(0o600, 0o640) },
    { path: '/etc/kubernetes/manifests/kube-scheduler.yaml', content: scheduler(p), mode: 0o600, uid: weak ? 1000 : 0 },
    { path: '/etc/kubernetes/enc/encryption.yaml', content: encryption(p), mode: 0o600 },
    { path: '/etc/kubernetes/enc/admission.yaml', content: admission(), mode: 0o600 },
    { path: '/etc/kubernetes/audit/policy.yaml', content: auditPolicy(p), mode: 0o600 },
    { path: '/etc/kubernetes/admin.conf', content: kubeconfig('kubernetes-admin'), mode: m(0o600, 0o644) },
    { path: '/etc/kubernetes/super-admin.conf', content: kubeconfig('kubernetes-super-admin'), mode: 0o600 },
    { path: '/etc/kubernetes/scheduler.conf', content: kubeconfig('system:kube-scheduler'), mode: m(0o600, 0o644) },
    { path: '/etc/kubernetes/controller-manager.conf', content: kubeconfig('system:kube-controller-manager'), mode: 0o600, uid: weak ? 1000 : 0, gid: weak ? 1000 : 0 },
    { path: '/etc/kubernetes/kubelet.conf', content: kubeconfig('system:node:cp-1'), mode: m(0o600, 0o644) },
    { path: '/var/lib/etcd', mode: m(0o700, 0o755), dir: true, uid: weak ? 0 : ETCD_UID, gid: weak ? 0 : ETCD_UID },
    { path: '/var/lib/kubelet/config.yaml', content: kubeletConfig(p), mode: m(0o600, 0o644) },
    { path: '/var/lib/kubelet/kubeadm-flags.env', content: kubeadmFlags(p), mode: 0o600 },
    { path: '/usr/lib/systemd/system/kubelet.service', content: KUBELET_SERVICE, mode: m(0o600, 0o644) },
    { path: '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf', content: KUBEADM_DROPIN, mode: 0o600 },
    { path: '/etc/cni/net.d/10-calico.conflist', content: '{"name": "k8s-pod-network", "cniVersion": "0.3.1", "plugins": [{"type": "calico"}]}\n', mode: m(0o600, 0o644) },
    { path: '/etc/kubernetes/pki', mode: 0o755, dir: true },
    { path: '/etc/kubernetes/pki/etcd', mode: 0o755, dir: true },
    { path: '/etc/kubernetes/pki/sa.pub', content: '-----BEGIN PUBLIC KEY-----\nRklYVFVSRQ==\n-----END PUBLIC KEY-----\n', mode: 0o644 },
    ...PKI_CERTS.map((c) => ({ path: `/etc/kubernetes/pki/${c}`, content: CERT, mode: weak && c === 'ca.crt' ? 0o666 : 0o644, uid: weak && c === 'front-proxy-ca.crt' ? 1000 : 0 })),
    ...PKI_KEYS.map((k) => ({ path: `/etc/kubernetes/pki/${k}`, content: KEY, mode: weak && (k === 'ca.key' || k === 'etcd/server.key') ? 0o644 : 0o600 })),
  ];
  if (weak) e.push({ path: '/etc/kubernetes/pki/tokens.csv', content: 'REDACTED-FIXTURE-TOKEN,admin,1,"system:masters"\n', mode: 0o600 });
  return e;
}

/** Writes the tree under `dir` (which stands for the node's `/`). Ownership needs root; otherwise it is skipped. */
export async function writeNodeTree(dir: string, p: Profile): Promise<void> {
  const canChown = typeof process.getuid === 'function' && process.getuid() === 0;
  const entries = nodeTreeEntries(p);
  for (const ent of entries) {
    const target = path.join(dir, ent.path);
    if (ent.dir) await mkdir(target, { recursive: true });
    else {
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, ent.content ?? '');
    }
  }
  // modes and owners after all writes, so that directory modes do not block creating children
  for (const ent of entries) {
    const target = path.join(dir, ent.path);
    await chmod(target, ent.mode);
    if (canChown) await chown(target, ent.uid ?? 0, ent.gid ?? ent.uid ?? 0);
  }
}
