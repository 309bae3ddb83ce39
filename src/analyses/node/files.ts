// CIS sections 1.1 and 4.1: which node files must have which mode and owner.
// `rampart node` describes each file it finds as a synthetic NodeFile object (see NODE_FILE_KIND).
import type { JsonObject, Severity } from '../../model/types.js';
import { asNumber, asObject, asString } from '../../model/json.js';

export const NODE_FILE_KIND = 'NodeFile';

export interface FileRole {
  role: string;
  /** What the file is, for titles and messages. */
  description: string;
  /** Most permissive mode allowed (kube-bench `bitmask`): no permission bit outside it may be set. */
  maxMode?: number;
  permissionsCis?: string;
  /** Required `user:group`. */
  owner: string;
  ownershipCis?: string;
  severity: Severity;
  /** Why a loose mode matters for this file. */
  why: string;
}

/**
 * A file CIS wants at mode 600 (or stricter) and owned by root:root unless `other` says otherwise;
 * `cis` is [permissions item, ownership item] (no permissions item: the mode is not checked).
 */
function file(role: string, description: string, cis: [string | undefined, string], severity: Severity, why: string, other: { maxMode?: number; owner?: string } = {}): FileRole {
  const [permissionsCis, ownershipCis] = cis;
  return { role, description, ...(permissionsCis ? { maxMode: other.maxMode ?? 0o600, permissionsCis } : {}), owner: other.owner ?? 'root:root', ownershipCis, severity, why };
}

export const FILE_ROLES: FileRole[] = [
  file('apiserver-manifest', 'API server static Pod manifest', ['1.1.1', '1.1.2'], 'high', 'whoever can edit it changes API server flags (e.g. turns authorization off) at the next kubelet sync'),
  file('controller-manager-manifest', 'controller manager static Pod manifest', ['1.1.3', '1.1.4'], 'high', 'whoever can edit it runs arbitrary code with the controller manager\'s credentials'),
  file('scheduler-manifest', 'scheduler static Pod manifest', ['1.1.5', '1.1.6'], 'high', 'whoever can edit it runs arbitrary code as a control-plane component'),
  file('etcd-manifest', 'etcd static Pod manifest', ['1.1.7', '1.1.8'], 'high', 'whoever can edit it can turn etcd authentication off'),
  file('cni-config', 'CNI configuration file', ['1.1.9', '1.1.10'], 'medium', 'it decides pod networking on the node'),
  file('etcd-data-dir', 'etcd data directory', ['1.1.11', '1.1.12'], 'high', 'it holds every Secret of the cluster', { maxMode: 0o700, owner: 'etcd:etcd' }),
  file('admin-kubeconfig', 'administrator kubeconfig', ['1.1.13', '1.1.14'], 'critical', 'it holds cluster-admin credentials'),
  file('scheduler-kubeconfig', 'scheduler kubeconfig', ['1.1.15', '1.1.16'], 'high', 'it holds the scheduler\'s credentials'),
  file('controller-manager-kubeconfig', 'controller manager kubeconfig', ['1.1.17', '1.1.18'], 'high', 'it holds credentials that can read every Secret'),
  file('pki-directory', 'Kubernetes PKI directory', [undefined, '1.1.19'], 'high', 'it holds the cluster CA and component keys'),
  file('pki-cert', 'Kubernetes PKI certificate', ['1.1.20', '1.1.19'], 'medium', 'a writable certificate can be swapped for an attacker\'s', { maxMode: 0o644 }),
  file('pki-key', 'Kubernetes PKI private key', ['1.1.21', '1.1.19'], 'critical', 'a readable CA or component key lets anyone mint credentials'),
  file('kubelet-service', 'kubelet service file', ['4.1.1', '4.1.2'], 'high', 'whoever can edit it changes the kubelet\'s flags'),
  file('proxy-kubeconfig', 'kube-proxy kubeconfig', ['4.1.3', '4.1.4'], 'high', 'it holds kube-proxy\'s credentials'),
  file('kubelet-kubeconfig', 'kubelet kubeconfig', ['4.1.5', '4.1.6'], 'high', 'it holds the node\'s credentials'),
  file('client-ca', 'kubelet client CA file', ['4.1.7', '4.1.8'], 'medium', 'a writable CA file lets anyone make the kubelet trust their certificates', { maxMode: 0o644 }),
  file('kubelet-config', 'kubelet config file', ['4.1.9', '4.1.10'], 'high', 'whoever can edit it turns kubelet authentication off'),
];

export function fileRole(role: string): FileRole | undefined {
  return FILE_ROLES.find((r) => r.role === role);
}

export interface NodeFileInfo {
  path: string;
  role: string;
  type: string;
  /** Permission bits, undefined when `mode` is not an octal string or number. */
  mode?: number;
  owner?: string;
  group?: string;
}

export function nodeFileInfo(obj: JsonObject): NodeFileInfo {
  const spec = asObject(obj.spec) ?? {};
  const rawMode = spec.mode;
  const mode = typeof rawMode === 'string' && /^[0-7]{3,4}$/.test(rawMode) ? parseInt(rawMode, 8) : asNumber(rawMode);
  const info: NodeFileInfo = { path: asString(spec.path) ?? '', role: asString(spec.role) ?? '', type: asString(spec.type) ?? 'file' };
  if (mode !== undefined && Number.isInteger(mode) && mode >= 0 && mode <= 0o7777) info.mode = mode & 0o777;
  const owner = asString(spec.owner) ?? (asNumber(spec.uid) !== undefined ? String(spec.uid) : undefined);
  const group = asString(spec.group) ?? (asNumber(spec.gid) !== undefined ? String(spec.gid) : undefined);
  if (owner !== undefined) info.owner = owner;
  if (group !== undefined) info.group = group;
  return info;
}

export function formatMode(mode: number): string {
  return mode.toString(8).padStart(3, '0');
}

/** Permission bits set beyond `max` (e.g. group/other read on a key). */
export function excessBits(mode: number, max: number): number {
  return mode & ~max & 0o777;
}

export function describeBits(bits: number): string {
  const who = [
    [0o700, 'owner'],
    [0o070, 'group'],
    [0o007, 'others'],
  ] as const;
  const parts: string[] = [];
  for (const [mask, name] of who) {
    const b = bits & mask;
    if (!b) continue;
    const shift = mask === 0o700 ? 6 : mask === 0o070 ? 3 : 0;
    const rwx = b >> shift;
    const perms = [rwx & 4 ? 'read' : '', rwx & 2 ? 'write' : '', rwx & 1 ? 'execute' : ''].filter(Boolean).join('/');
    parts.push(`${name} ${perms}`);
  }
  return parts.join(', ');
}
