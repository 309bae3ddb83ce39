// `rampart node --root DIR`: reads a node's Kubernetes configuration from a filesystem root and turns
// it into resources for the engine: the static Pods and the files they reference (as parsed
// objects), the kubelet's flags (a synthetic KubeletFlags object with positions in the unit and env
// files) and one NodeFile object per security-relevant file (mode and owner from stat).
// Every file that is referenced but cannot be read is an input error: the run fails closed.
import { readdir, readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { InputError, JsonObject, JsonValue, Location, Resource } from '../model/types.js';
import { asString, getIn } from '../model/json.js';
import { emptyLoad, loadText, mergeLoads, type LoadResult } from './files.js';
import { toResource } from './resources.js';
import { controlPlaneContainer, controlPlaneFlags, KUBELET_FLAGS_KIND, RAMPART_API_VERSION, type ControlPlaneComponent, type FlagSet } from '../analyses/node/flags.js';
import { hostPathFor } from '../analyses/node/host-paths.js';
import { NODE_FILE_KIND } from '../analyses/node/files.js';
import { expandExecStart, parseEnvFile, parseUnit, type ArgToken, type Assignment, type TextPos } from '../analyses/node/systemd.js';

export const MANIFESTS_DIR = '/etc/kubernetes/manifests';
export const PKI_DIR = '/etc/kubernetes/pki';
export const DEFAULT_KUBELET_CONFIG = '/var/lib/kubelet/config.yaml';
export const KUBELET_UNITS = ['/etc/systemd/system/kubelet.service', '/lib/systemd/system/kubelet.service', '/usr/lib/systemd/system/kubelet.service'];
export const KUBELET_DROPIN_DIRS = ['/etc/systemd/system/kubelet.service.d', '/lib/systemd/system/kubelet.service.d', '/usr/lib/systemd/system/kubelet.service.d'];
const PROXY_KUBECONFIGS = ['/etc/kubernetes/proxy.conf', '/etc/kubernetes/kube-proxy.conf', '/var/lib/kube-proxy/kubeconfig', '/var/lib/kube-proxy/kubeconfig.conf'];
const PROXY_CONFIGS = ['/var/lib/kube-proxy/config.conf', '/etc/kubernetes/kube-proxy-config.yaml'];
const CNI_DIR = '/etc/cni/net.d';

const MANIFEST_ROLE: Record<ControlPlaneComponent, string> = {
  'kube-apiserver': 'apiserver-manifest',
  'kube-controller-manager': 'controller-manager-manifest',
  'kube-scheduler': 'scheduler-manifest',
  etcd: 'etcd-manifest',
};

/** API server flags naming PKI files, and whether each is a private key. */
const APISERVER_PKI_FLAGS: Record<string, 'pki-key' | 'pki-cert'> = {
  'client-ca-file': 'pki-cert',
  'tls-cert-file': 'pki-cert',
  'tls-private-key-file': 'pki-key',
  'etcd-cafile': 'pki-cert',
  'etcd-certfile': 'pki-cert',
  'etcd-keyfile': 'pki-key',
  'kubelet-client-certificate': 'pki-cert',
  'kubelet-client-key': 'pki-key',
  'kubelet-certificate-authority': 'pki-cert',
  'service-account-key-file': 'pki-cert',
  'service-account-signing-key-file': 'pki-key',
  'requestheader-client-ca-file': 'pki-cert',
  'proxy-client-cert-file': 'pki-cert',
  'proxy-client-key-file': 'pki-key',
};

/** API server flags naming configuration files that are themselves checked (parsed as objects). */
const APISERVER_CONFIG_FLAGS = ['encryption-provider-config', 'audit-policy-file', 'admission-control-config-file', 'authorization-config'];

export interface NodeLoad extends LoadResult {
  /** What was found, for the report header and tests. */
  found: { components: string[]; kubelet: boolean; files: number };
}

interface Ctx {
  root: string;
  out: NodeLoad;
  users: Map<number, string>;
  groups: Map<number, string>;
  /** Role and node path of every NodeFile already described. */
  seen: Set<string>;
}

function hostPath(ctx: Ctx, nodePath: string): string {
  return path.join(ctx.root, nodePath);
}

function fixedLocator(pos: { file: string; line: number; column: number }) {
  return { locate: (p: string): Location => ({ file: pos.file, line: pos.line, column: pos.column, path: p }) };
}

async function statOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await stat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

function errorMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ENOENT') return 'no such file or directory';
  if (err.code === 'EACCES') return 'permission denied (run as root, or give read access)';
  return err.message ?? String(e);
}

async function readIds(file: string): Promise<Map<number, string>> {
  const m = new Map<number, string>([[0, 'root']]);
  try {
    const text = await readFile(file, 'utf8');
    for (const line of text.split('\n')) {
      const f = line.split(':');
      const id = Number(f[2]);
      if (f[0] && Number.isInteger(id) && !m.has(id)) m.set(id, f[0]);
    }
  } catch {
    // no passwd/group under the root: numeric ids are shown (uid 0 is root by definition)
  }
  return m;
}

/** Describes a file (or directory) as a NodeFile resource; `required` files that are missing are errors. */
async function describeFile(ctx: Ctx, nodePath: string, role: string, required: { by: string } | undefined): Promise<Stats | undefined> {
  const np = path.posix.normalize(nodePath);
  let st: Stats | undefined;
  try {
    st = await statOrUndefined(hostPath(ctx, np));
  } catch (e) {
    ctx.out.errors.push({ file: np, message: `cannot stat: ${errorMessage(e)}` });
    return undefined;
  }
  if (!st) {
    if (required) ctx.out.errors.push({ file: np, message: `${required.by} names this file, but it does not exist under the node root; not evaluated` });
    return undefined;
  }
  // A file may play several roles (the cluster CA is a PKI certificate and the kubelet's client CA).
  const key = `${role}\u0000${np}`;
  if (ctx.seen.has(key)) return st;
  ctx.seen.add(key);
  const obj: JsonObject = {
    apiVersion: RAMPART_API_VERSION,
    kind: NODE_FILE_KIND,
    metadata: { name: np },
    spec: {
      path: np,
      role,
      type: st.isDirectory() ? 'directory' : 'file',
      mode: (st.mode & 0o7777).toString(8).padStart(4, '0'),
      owner: ctx.users.get(st.uid) ?? String(st.uid),
      group: ctx.groups.get(st.gid) ?? String(st.gid),
      uid: st.uid,
      gid: st.gid,
    },
  };
  const r = toResource(obj, np, 0, '', fixedLocator({ file: np, line: 1, column: 1 }));
  if (r) ctx.out.resources.push(r);
  ctx.out.found.files++;
  return st;
}

/** Reads and parses a YAML/JSON file of the node; its objects join the scan. */
async function loadNodeFile(ctx: Ctx, nodePath: string, required: { by: string } | undefined): Promise<LoadResult | undefined> {
  const np = path.posix.normalize(nodePath);
  let text: string;
  try {
    text = await readFile(hostPath(ctx, np), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !required) return undefined;
    ctx.out.errors.push({ file: np, message: `${required ? `${required.by} names this file, but it ` : ''}cannot be read: ${errorMessage(e)}; not evaluated` });
    return undefined;
  }
  const load = loadText(text, np);
  mergeLoads(ctx.out, load);
  return load;
}

async function listDir(ctx: Ctx, nodeDir: string): Promise<string[] | undefined> {
  try {
    const entries = await readdir(hostPath(ctx, nodeDir));
    return entries.sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    ctx.out.errors.push({ file: nodeDir, message: `cannot read directory: ${errorMessage(e)}` });
    return undefined;
  }
}

/** Node path of a file a static Pod's flag names, through the Pod's hostPath mounts. */
function referencedPath(ctx: Ctx, pod: Resource, flags: FlagSet, flag: string): string | undefined {
  const occ = flags.flags.get(flag);
  if (!occ || !occ.value.trim()) return undefined;
  const found = controlPlaneContainer(pod);
  if (!found) return undefined;
  const p = hostPathFor(pod.object, found.container, occ.value.trim());
  if (p === undefined) {
    const pos = pod.locator.locate(occ.path);
    ctx.out.errors.push({ file: pod.file, line: pos.line, column: pos.column, message: `--${flag}=${occ.value} is not on a hostPath volume of ${flags.label}, so the file cannot be read from the node; not evaluated` });
  }
  return p;
}

async function walkPki(ctx: Ctx, dir: string, depth = 0): Promise<void> {
  const entries = await listDir(ctx, dir);
  if (!entries || depth > 4) return;
  await describeFile(ctx, dir, 'pki-directory', undefined);
  for (const name of entries) {
    const np = path.posix.join(dir, name);
    const st = await statOrUndefined(hostPath(ctx, np)).catch(() => undefined);
    if (!st) continue;
    if (st.isDirectory()) await walkPki(ctx, np, depth + 1);
    else if (name.endsWith('.key')) await describeFile(ctx, np, 'pki-key', undefined);
    else if (name.endsWith('.crt') || name.endsWith('.pem') || name.endsWith('.pub')) await describeFile(ctx, np, 'pki-cert', undefined);
  }
}

async function readControlPlane(ctx: Ctx): Promise<void> {
  const entries = await listDir(ctx, MANIFESTS_DIR);
  if (!entries) return;
  const pods: { pod: Resource; flags: FlagSet }[] = [];
  for (const name of entries) {
    if (!/\.(ya?ml|json|manifest)$/i.test(name)) continue;
    const np = path.posix.join(MANIFESTS_DIR, name);
    const load = await loadNodeFile(ctx, np, { by: 'the manifests directory' });
    let role: string | undefined;
    for (const r of load?.resources ?? []) {
      const flags = controlPlaneFlags(r);
      if (!flags || flags.component === 'kubelet') continue;
      role ??= MANIFEST_ROLE[flags.component];
      pods.push({ pod: r, flags });
      ctx.out.found.components.push(flags.component);
    }
    if (role) await describeFile(ctx, np, role, undefined);
  }
  for (const { pod, flags } of pods) {
    if (flags.component === 'kube-apiserver') {
      for (const flag of APISERVER_CONFIG_FLAGS) {
        const p = referencedPath(ctx, pod, flags, flag);
        if (p) await loadNodeFile(ctx, p, { by: `kube-apiserver --${flag}` });
      }
      for (const [flag, role] of Object.entries(APISERVER_PKI_FLAGS)) {
        const p = referencedPath(ctx, pod, flags, flag);
        if (p) await describeFile(ctx, p, role, { by: `kube-apiserver --${flag}` });
      }
    }
    if (flags.component === 'etcd') {
      const p = flags.flags.has('data-dir') ? referencedPath(ctx, pod, flags, 'data-dir') : '/var/lib/etcd';
      if (p) await describeFile(ctx, p, 'etcd-data-dir', flags.flags.has('data-dir') ? { by: 'etcd --data-dir' } : undefined);
      for (const flag of ['cert-file', 'peer-cert-file', 'trusted-ca-file', 'peer-trusted-ca-file']) {
        const q = referencedPath(ctx, pod, flags, flag);
        if (q) await describeFile(ctx, q, 'pki-cert', { by: `etcd --${flag}` });
      }
      for (const flag of ['key-file', 'peer-key-file']) {
        const q = referencedPath(ctx, pod, flags, flag);
        if (q) await describeFile(ctx, q, 'pki-key', { by: `etcd --${flag}` });
      }
    }
    if (flags.component === 'kube-scheduler' || flags.component === 'kube-controller-manager') {
      const role = flags.component === 'kube-scheduler' ? 'scheduler-kubeconfig' : 'controller-manager-kubeconfig';
      const p = referencedPath(ctx, pod, flags, 'kubeconfig');
      if (p) await describeFile(ctx, p, role, { by: `${flags.component} --kubeconfig` });
    }
  }
  await describeFile(ctx, '/etc/kubernetes/scheduler.conf', 'scheduler-kubeconfig', undefined);
  await describeFile(ctx, '/etc/kubernetes/controller-manager.conf', 'controller-manager-kubeconfig', undefined);
}

interface KubeletCommand {
  tokens: ArgToken[];
  /** Where ExecStart is written (the flags object's own position). */
  exec: Assignment;
  unitFile: string;
}

/** systemd's view of the kubelet: the unit, then drop-ins in name order; env files override Environment=. */
async function readKubeletUnits(ctx: Ctx): Promise<KubeletCommand | undefined> {
  const units: string[] = [];
  for (const u of KUBELET_UNITS) {
    if (await describeFile(ctx, u, 'kubelet-service', undefined)) {
      units.push(u);
      break; // /etc overrides /lib and /usr/lib
    }
  }
  const dropins = new Map<string, string>();
  for (const d of KUBELET_DROPIN_DIRS) {
    for (const name of (await listDir(ctx, d)) ?? []) if (name.endsWith('.conf') && !dropins.has(name)) dropins.set(name, path.posix.join(d, name));
  }
  for (const name of [...dropins.keys()].sort()) {
    const p = dropins.get(name)!;
    await describeFile(ctx, p, 'kubelet-service', undefined);
    units.push(p);
  }
  if (units.length === 0) return undefined;
  const env = new Map<string, Assignment>();
  const fileEnv = new Map<string, Assignment>();
  let exec: { a: Assignment; file: string } | undefined;
  for (const u of units) {
    let text: string;
    try {
      text = await readFile(hostPath(ctx, u), 'utf8');
    } catch (e) {
      ctx.out.errors.push({ file: u, message: `cannot read: ${errorMessage(e)}; not evaluated` });
      continue;
    }
    const info = parseUnit(text, u);
    for (const [k, v] of info.env) env.set(k, v);
    if (info.execStart === null) exec = undefined;
    else if (info.execStart) exec = { a: info.execStart, file: u };
    for (const ef of info.envFiles) {
      let t: string;
      try {
        t = await readFile(hostPath(ctx, ef.path), 'utf8');
      } catch (e) {
        if (!ef.optional || (e as NodeJS.ErrnoException).code !== 'ENOENT') ctx.out.errors.push({ file: ef.path, message: `EnvironmentFile of ${u} cannot be read: ${errorMessage(e)}; not evaluated` });
        continue;
      }
      for (const [k, v] of parseEnvFile(t, ef.path)) fileEnv.set(k, v);
    }
  }
  if (!exec) {
    ctx.out.errors.push({ file: units[units.length - 1]!, message: 'kubelet unit files found, but no ExecStart= line; the kubelet command line could not be evaluated' });
    return undefined;
  }
  for (const [k, v] of fileEnv) env.set(k, v);
  return { tokens: expandExecStart(exec.a, env), exec: exec.a, unitFile: exec.file };
}

function kubeletFlagsResource(cmd: KubeletCommand): Resource | undefined {
  const obj: JsonObject = {
    apiVersion: RAMPART_API_VERSION,
    kind: KUBELET_FLAGS_KIND,
    metadata: { name: 'kubelet' },
    args: cmd.tokens.map((t) => t.value) as JsonValue[],
  };
  const positions = cmd.tokens.map((t) => t.pos);
  const locate = (p: string): Location => {
    const m = /^\/args\/(\d+)/.exec(p);
    const pos: TextPos = (m ? positions[Number(m[1])] : undefined) ?? cmd.exec.pos;
    return { file: pos.file, line: pos.line, column: pos.column, path: p };
  };
  return toResource(obj, cmd.unitFile, 0, '', { locate });
}

function flagValue(tokens: ArgToken[], name: string): string | undefined {
  let v: string | undefined;
  tokens.forEach((t, i) => {
    const m = /^--?([A-Za-z0-9-]+)(?:=(.*))?$/.exec(t.value);
    if (!m || m[1] !== name) return;
    v = m[2] ?? tokens[i + 1]?.value;
  });
  return v;
}

async function readKubelet(ctx: Ctx): Promise<void> {
  const cmd = await readKubeletUnits(ctx);
  let configPath = DEFAULT_KUBELET_CONFIG;
  let configRequired: { by: string } | undefined;
  let kubeconfig = '/etc/kubernetes/kubelet.conf';
  let clientCa: string | undefined;
  if (cmd) {
    const r = kubeletFlagsResource(cmd);
    if (r) ctx.out.resources.push(r);
    ctx.out.found.kubelet = true;
    const c = flagValue(cmd.tokens, 'config');
    if (c) {
      configPath = c;
      configRequired = { by: 'kubelet --config' };
    }
    kubeconfig = flagValue(cmd.tokens, 'kubeconfig') ?? kubeconfig;
    clientCa = flagValue(cmd.tokens, 'client-ca-file');
  }
  // Without a unit (containerised or unusual installs) the default config path is still read.
  if (cmd && !configRequired) return finishKubelet(ctx, kubeconfig, clientCa, undefined);
  const load = await loadNodeFile(ctx, configPath, configRequired);
  if (load) {
    ctx.out.found.kubelet = true;
    await describeFile(ctx, configPath, 'kubelet-config', undefined);
  }
  const config = load?.resources.find((r) => r.kind === 'KubeletConfiguration');
  if (load && !config) ctx.out.errors.push({ file: configPath, message: 'the kubelet config file holds no KubeletConfiguration object; not evaluated' });
  // --config-dir drop-ins override the file field by field, in file-name order (the rules merge them).
  const dropinDir = cmd ? flagValue(cmd.tokens, 'config-dir') : undefined;
  if (dropinDir) {
    const names = await listDir(ctx, dropinDir);
    if (!names) ctx.out.errors.push({ file: dropinDir, message: 'kubelet --config-dir names this directory, but it cannot be read; not evaluated' });
    for (const name of (names ?? []).filter((n) => n.endsWith('.conf'))) {
      const p = path.posix.join(dropinDir, name);
      const l = await loadNodeFile(ctx, p, { by: 'kubelet --config-dir' });
      if (l && !l.resources.some((r) => r.kind === 'KubeletConfiguration')) ctx.out.errors.push({ file: p, message: 'kubelet drop-in holds no KubeletConfiguration object; not evaluated' });
      if (l) await describeFile(ctx, p, 'kubelet-config', undefined);
    }
  }
  if (ctx.out.found.kubelet) await finishKubelet(ctx, kubeconfig, clientCa, config?.object);
}

async function finishKubelet(ctx: Ctx, kubeconfig: string, clientCaFlag: string | undefined, config: JsonObject | undefined): Promise<void> {
  await describeFile(ctx, kubeconfig, 'kubelet-kubeconfig', undefined);
  const clientCa = clientCaFlag ?? asString(getIn(config, 'authentication', 'x509', 'clientCAFile'));
  if (clientCa) await describeFile(ctx, clientCa, 'client-ca', { by: 'the kubelet client CA setting' });
  for (const p of PROXY_KUBECONFIGS) await describeFile(ctx, p, 'proxy-kubeconfig', undefined);
  // kube-proxy installed as a service (not as kubeadm's DaemonSet) keeps its config on the node
  for (const p of PROXY_CONFIGS) await loadNodeFile(ctx, p, undefined);
}

/** Reads the node configuration under `root` (a directory standing for the node's `/`). */
export async function loadNodeRoot(root: string): Promise<NodeLoad> {
  const out: NodeLoad = { ...emptyLoad(), found: { components: [], kubelet: false, files: 0 } };
  const rootStat = await statOrUndefined(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) {
    out.errors.push({ file: root, message: 'node root is not a readable directory' });
    return out;
  }
  const ctx: Ctx = {
    root,
    out,
    users: await readIds(path.join(root, 'etc/passwd')),
    groups: await readIds(path.join(root, 'etc/group')),
    seen: new Set(),
  };
  await readControlPlane(ctx);
  await readKubelet(ctx);
  for (const f of ['/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf']) await describeFile(ctx, f, 'admin-kubeconfig', undefined);
  for (const name of (await listDir(ctx, CNI_DIR)) ?? []) {
    const np = path.posix.join(CNI_DIR, name);
    const st = await statOrUndefined(hostPath(ctx, np)).catch(() => undefined);
    if (st?.isFile()) await describeFile(ctx, np, 'cni-config', undefined);
  }
  await walkPki(ctx, PKI_DIR);
  if (out.found.components.length === 0 && !out.found.kubelet) {
    out.errors.push({
      file: root,
      message: `no Kubernetes node configuration found under ${root} (looked for ${MANIFESTS_DIR}, kubelet systemd units and ${DEFAULT_KUBELET_CONFIG}); nothing was evaluated`,
    });
  }
  return out;
}

export type { InputError };
