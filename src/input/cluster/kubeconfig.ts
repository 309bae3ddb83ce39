// Kubeconfig loading as kubectl does it: $KUBECONFIG (a path list, first file to set a value wins)
// or ~/.kube/config, a context chosen by --context or current-context, relative paths resolved
// against the file that names them; and the in-cluster service-account config.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/** An exec credential plugin entry (`users[].user.exec`), as EKS, GKE and AKS kubeconfigs use. */
export interface ExecConfig {
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion: string;
  /** Directory of the kubeconfig that names it: a relative command is resolved against it. */
  baseDir: string;
  provideClusterInfo: boolean;
}

/** Everything needed to reach one cluster as one user. Credentials are kept out of messages. */
export interface ClusterTarget {
  /** Context name (or `in-cluster`): names the cluster in locations and reports. */
  context: string;
  server: string;
  /** Namespace of the context (used only when the user asks for the context's namespace). */
  namespace?: string;
  ca?: Buffer;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  clientCert?: Buffer;
  clientKey?: Buffer;
  token?: string;
  /** Re-read on every new credential: projected service-account tokens rotate. */
  tokenFile?: string;
  username?: string;
  password?: string;
  exec?: ExecConfig;
  proxyUrl?: string;
  /** Where the target came from, for messages: a kubeconfig path or `in-cluster`. */
  source: string;
}

export class KubeconfigError extends Error {}

interface Named<T> {
  name: string;
  value: T;
  file: string;
}

interface Merged {
  files: string[];
  currentContext?: string;
  contexts: Map<string, Named<Record<string, unknown>>>;
  clusters: Map<string, Named<Record<string, unknown>>>;
  users: Map<string, Named<Record<string, unknown>>>;
}

/** The kubeconfig files in effect: --kubeconfig, else $KUBECONFIG, else ~/.kube/config. */
export function kubeconfigFiles(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  if (explicit) return [path.resolve(explicit)];
  if (env.KUBECONFIG) return env.KUBECONFIG.split(path.delimiter).filter(Boolean).map((f) => path.resolve(f));
  return [path.join(env.HOME ?? os.homedir(), '.kube', 'config')];
}

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Reads and merges kubeconfig files; an explicit file that is missing or unreadable is an error. */
export function loadKubeconfig(files: string[], explicit: boolean): Merged {
  const merged: Merged = { files: [], contexts: new Map(), clusters: new Map(), users: new Map() };
  for (const file of files) {
    if (!existsSync(file)) {
      // kubectl ignores missing files in $KUBECONFIG, but not a file named on the command line.
      if (explicit) throw new KubeconfigError(`kubeconfig ${file}: no such file`);
      continue;
    }
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new KubeconfigError(`kubeconfig ${file}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
    }
    const d = asRecord(doc);
    merged.files.push(file);
    if (!merged.currentContext && str(d['current-context'])) merged.currentContext = str(d['current-context']);
    const section = (key: string, inner: string, into: Map<string, Named<Record<string, unknown>>>) => {
      const list = d[key];
      if (list === undefined || list === null) return;
      if (!Array.isArray(list)) throw new KubeconfigError(`kubeconfig ${file}: ${key} is not a list`);
      for (const item of list) {
        const name = str(asRecord(item).name);
        if (!name || into.has(name)) continue; // first file to name an entry wins
        into.set(name, { name, value: asRecord(asRecord(item)[inner]), file });
      }
    };
    section('contexts', 'context', merged.contexts);
    section('clusters', 'cluster', merged.clusters);
    section('users', 'user', merged.users);
  }
  if (merged.files.length === 0) throw new KubeconfigError(`no kubeconfig found (looked at ${files.join(', ')}); pass --kubeconfig FILE or set KUBECONFIG`);
  return merged;
}

export function contextNames(kc: Merged): string[] {
  return [...kc.contexts.keys()];
}

function fileOrData(entry: Record<string, unknown>, fileKey: string, dataKey: string, base: string, what: string): Buffer | undefined {
  const data = str(entry[dataKey]);
  if (data) return Buffer.from(data, 'base64');
  const f = str(entry[fileKey]);
  if (!f) return undefined;
  const p = path.resolve(base, f);
  try {
    return readFileSync(p);
  } catch {
    throw new KubeconfigError(`${what}: cannot read ${fileKey} ${p}`);
  }
}

/** Resolves a context (default: current-context) to a target; a clear error names what is missing. */
export function resolveContext(kc: Merged, name?: string): ClusterTarget {
  const ctxName = name ?? kc.currentContext;
  const where = kc.files.join(path.delimiter);
  if (!ctxName) throw new KubeconfigError(`kubeconfig ${where} has no current-context; pass --context (contexts: ${contextNames(kc).join(', ') || 'none'})`);
  const ctx = kc.contexts.get(ctxName);
  if (!ctx) throw new KubeconfigError(`context "${ctxName}" not found in kubeconfig ${where} (contexts: ${contextNames(kc).join(', ') || 'none'})`);
  const clusterName = str(ctx.value.cluster);
  const cluster = clusterName ? kc.clusters.get(clusterName) : undefined;
  if (!cluster) throw new KubeconfigError(`context "${ctxName}" names cluster "${clusterName ?? ''}", which is not in kubeconfig ${where}`);
  const userName = str(ctx.value.user);
  const user = userName ? kc.users.get(userName) : undefined;
  if (userName && !user) throw new KubeconfigError(`context "${ctxName}" names user "${userName}", which is not in kubeconfig ${where}`);
  const c = cluster.value;
  const server = str(c.server);
  if (!server) throw new KubeconfigError(`cluster "${cluster.name}" in ${cluster.file} has no server`);
  const cBase = path.dirname(cluster.file);
  const t: ClusterTarget = {
    context: ctxName,
    server: server.replace(/\/+$/, ''),
    insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true,
    source: cluster.file,
  };
  const ns = str(ctx.value.namespace);
  if (ns) t.namespace = ns;
  const ca = fileOrData(c, 'certificate-authority', 'certificate-authority-data', cBase, `cluster "${cluster.name}"`);
  if (ca) t.ca = ca;
  if (str(c['tls-server-name'])) t.tlsServerName = str(c['tls-server-name'])!;
  if (str(c['proxy-url'])) t.proxyUrl = str(c['proxy-url'])!;
  if (user) {
    const u = user.value;
    const uBase = path.dirname(user.file);
    const what = `user "${user.name}"`;
    const cert = fileOrData(u, 'client-certificate', 'client-certificate-data', uBase, what);
    const key = fileOrData(u, 'client-key', 'client-key-data', uBase, what);
    if (Boolean(cert) !== Boolean(key)) throw new KubeconfigError(`${what} in ${user.file} has a client certificate without its key (or a key without its certificate)`);
    if (cert && key) {
      t.clientCert = cert;
      t.clientKey = key;
    }
    if (str(u.token)) t.token = str(u.token)!;
    if (str(u.tokenFile)) t.tokenFile = path.resolve(uBase, str(u.tokenFile)!);
    if (str(u.username)) t.username = str(u.username)!;
    if (str(u.password)) t.password = str(u.password)!;
    if (u['auth-provider']) throw new KubeconfigError(`${what} in ${user.file} uses an auth-provider, which kubectl removed; use an exec credential plugin (e.g. gke-gcloud-auth-plugin, kubelogin)`);
    const exec = asRecord(u.exec);
    if (str(exec.command)) {
      t.exec = {
        command: str(exec.command)!,
        args: Array.isArray(exec.args) ? exec.args.map(String) : [],
        env: Array.isArray(exec.env) ? exec.env.map((e) => ({ name: String(asRecord(e).name ?? ''), value: String(asRecord(e).value ?? '') })) : [],
        apiVersion: str(exec.apiVersion) ?? 'client.authentication.k8s.io/v1',
        baseDir: uBase,
        provideClusterInfo: exec.provideClusterInfo === true,
      };
    }
  }
  return t;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** True when running in a pod (the service-account mount and the service env are present). */
export function inCluster(env: NodeJS.ProcessEnv = process.env, saDir = SA_DIR): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && existsSync(path.join(saDir, 'token')));
}

/** The pod's own service account, as client-go's rest.InClusterConfig builds it. */
export function inClusterTarget(env: NodeJS.ProcessEnv = process.env, saDir = SA_DIR): ClusterTarget {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new KubeconfigError('not running in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set');
  const tokenFile = path.join(saDir, 'token');
  if (!existsSync(tokenFile)) throw new KubeconfigError(`not running in a cluster: ${tokenFile} does not exist`);
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const t: ClusterTarget = { context: 'in-cluster', server: `https://${hostPart}:${port}`, insecureSkipTlsVerify: false, tokenFile, source: 'in-cluster' };
  const caFile = path.join(saDir, 'ca.crt');
  if (existsSync(caFile)) t.ca = readFileSync(caFile);
  const nsFile = path.join(saDir, 'namespace');
  if (existsSync(nsFile)) t.namespace = readFileSync(nsFile, 'utf8').trim();
  return t;
}
