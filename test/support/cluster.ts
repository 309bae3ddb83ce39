// Helpers for live-cluster tests: a seeded fake API server, kubeconfigs for each way to log in,
// and running the CLI (or kubectl) asynchronously — the fake server lives in the test process, so a
// synchronous spawn would deadlock it.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeApiServer, makeTestCerts, type TestCerts } from './fake-apiserver.js';

export const TOKEN = 'test-token-reader';
/** A secret value seeded into the fake cluster: it must never appear in any output. */
export const SECRET_VALUE = 'hunter2-DO-NOT-LEAK-9f8e7d';

export interface ClusterFixture {
  server: FakeApiServer;
  certs: TestCerts;
  dir: string;
  /** Kubeconfig files, one per way to authenticate. */
  kubeconfig: { token: string; cert: string; exec: string; multi: string };
  close(): Promise<void>;
}

type Obj = Record<string, any>;

export function ns(name: string, labels: Record<string, string> = {}): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}

const HARDENED_CONTAINER = {
  name: 'app',
  image: 'registry.example/app@sha256:' + 'a'.repeat(64),
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 10001, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
};

export function pod(namespace: string, name: string, extra: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { app: name }, ...(extra.metadata ?? {}) }, spec: { automountServiceAccountToken: false, containers: [HARDENED_CONTAINER], ...(extra.spec ?? {}) } };
}

/** A Deployment with its ReplicaSet and `replicas` Pods, owned as the controllers would own them. */
export function deploymentWithPods(namespace: string, name: string, replicas: number): Obj[] {
  const template = { metadata: { labels: { app: name } }, spec: { automountServiceAccountToken: false, containers: [HARDENED_CONTAINER] } };
  const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace, uid: `dep-${namespace}-${name}` }, spec: { replicas, selector: { matchLabels: { app: name } }, template } };
  const rsName = `${name}-5d4f8b7c9`;
  const rs = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: rsName, namespace, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: dep.metadata.uid, controller: true }] },
    spec: { replicas, selector: { matchLabels: { app: name } }, template },
  };
  const pods = Array.from({ length: replicas }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${rsName}-${String(i).padStart(5, '0')}`, namespace, labels: { app: name }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: 'rs', controller: true }] },
    spec: template.spec,
    status: { phase: 'Running' },
  }));
  return [dep, rs, ...pods];
}

/** kubeadm's kube-apiserver static Pod (a mirror Pod owned by its Node), with flags CIS objects to. */
export function apiserverStaticPod(node: string): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `kube-apiserver-${node}`,
      namespace: 'kube-system',
      labels: { component: 'kube-apiserver', tier: 'control-plane' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: 'node', controller: true }],
    },
    spec: {
      hostNetwork: true,
      containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.35.0', command: ['kube-apiserver', '--anonymous-auth=true', '--profiling=true', '--authorization-mode=AlwaysAllow', '--secure-port=6443'] }],
    },
  };
}

/** An Argo-Rollouts-like CRD whose schema carries a pod template, and a Rollout with a privileged pod. */
export function rolloutCrdAndObject(): { crd: Obj; rollout: Obj } {
  const containerSchema = { type: 'object', properties: { name: { type: 'string' }, image: { type: 'string' }, securityContext: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } };
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'rollouts.argoproj.io' },
    spec: {
      group: 'argoproj.io',
      scope: 'Namespaced',
      names: { plural: 'rollouts', kind: 'Rollout', singular: 'rollout' },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' }, template: { type: 'object', properties: { metadata: { type: 'object' }, spec: { type: 'object', properties: { containers: { type: 'array', items: containerSchema } } } } } } } } } },
        },
      ],
    },
  };
  const rollout = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'canary', namespace: 'shop' },
    spec: { replicas: 2, template: { metadata: { labels: { app: 'canary' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', securityContext: { privileged: true } }] } } },
  };
  return { crd, rollout };
}

/** A Secret whose value also hides in the last-applied annotation, as `kubectl apply` leaves it. */
export function secretWithValue(namespace: string, name: string): Obj {
  const data = { password: Buffer.from(SECRET_VALUE).toString('base64') };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ apiVersion: 'v1', kind: 'Secret', stringData: { password: SECRET_VALUE } }) } },
    type: 'Opaque',
    data,
    stringData: { password: SECRET_VALUE },
  };
}

function kubeconfigYaml(server: string, ca: string, user: Obj, contexts: string[] = ['test']): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': contexts[0],
    clusters: [{ name: 'fake', cluster: { server, 'certificate-authority-data': Buffer.from(readFileSync(ca)).toString('base64') } }],
    users: [{ name: 'u', user }],
    contexts: contexts.map((c) => ({ name: c, context: { cluster: 'fake', user: 'u' } })),
  });
}

/** Starts a fake API server with the given objects and writes kubeconfigs for token, cert and exec auth. */
export async function startCluster(seed: (s: FakeApiServer) => void = () => undefined): Promise<ClusterFixture> {
  const certs = makeTestCerts();
  const server = new FakeApiServer({ certs, tokens: { [TOKEN]: 'reader', 'exec-token-from-plugin': 'exec-user' } });
  seed(server);
  await server.start();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-cluster-test-'));
  const write = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const plugin = write(
    'credential-plugin.mjs',
    `#!${process.execPath}\nconst info = JSON.parse(process.env.KUBERNETES_EXEC_INFO || '{}');\nif (info.kind !== 'ExecCredential') { console.error('no exec info'); process.exit(1); }\nprocess.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'exec-token-from-plugin', expirationTimestamp: new Date(Date.now() + 3600e3).toISOString() } }));\n`,
  );
  chmodSync(plugin, 0o755);
  const kubeconfig = {
    token: write('token.kubeconfig', kubeconfigYaml(server.url, certs.caCert, { token: TOKEN })),
    cert: write('cert.kubeconfig', kubeconfigYaml(server.url, certs.caCert, { 'client-certificate': certs.clientCert, 'client-key': certs.clientKey })),
    exec: write('exec.kubeconfig', kubeconfigYaml(server.url, certs.caCert, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './credential-plugin.mjs', interactiveMode: 'Never' } })),
    multi: write('multi.kubeconfig', kubeconfigYaml(server.url, certs.caCert, { token: TOKEN }, ['east', 'west'])),
  };
  return {
    server,
    certs,
    dir,
    kubeconfig,
    close: async () => {
      await server.stop();
      certs.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program without blocking the event loop (the fake server must keep answering). */
export function runAsync(bin: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(bin, args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', ...env } }, (err, stdout, stderr) => {
      const code = err ? ((err as NodeJS.ErrnoException & { code?: unknown }).code as unknown) : 0;
      resolve({ status: typeof code === 'number' ? code : err ? null : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** `rampart ARGS` from dist/ (build first), asynchronously. */
export function rampart(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return runAsync(process.execPath, [path.resolve('bin/rampart.js'), ...args], { KUBECONFIG: '', ...env });
}
