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

export const FILE_ROLES: FileRole[] = [
  { role: 'apiserver-manifest', description: 'API server static Pod manifest', maxMode: 0o600, permissionsCis: '1.1.1', owner: 'root:root', ownershipCis: '1.1.2', severity: 'high', why: 'whoever can edit it changes API server flags (e.g. turns authorization off) at the next kubelet sync' },
  { role: 'controller-manager-manifest', description: 'controller manager static Pod manifest', maxMode: 0o600, permissionsCis: '1.1.3', owner: 'root:root', ownershipCis: '1.1.4', severity: 'high', why: 'whoever can edit it runs arbitrary code with the controller manager\'s credentials' },
  { role: 'scheduler-manifest', description: 'scheduler static Pod manifest', maxMode: 0o600, permissionsCis: '1.1.5', owner: 'root:root', ownershipCis: '1.1.6', severity: 'high', why: 'whoever can edit it runs arbitrary code as a control-plane component' },
  { role: 'etcd-manifest', description: 'etcd static Pod manifest', maxMode: 0o600, permissionsCis: '1.1.7', owner: 'root:root', ownershipCis: '1.1.8', severity: 'high', why: 'whoever can edit it can turn etcd authentication off' },
  { role: 'cni-config', description: 'CNI configuration file', maxMode: 0o600, permissionsCis: '1.1.9', owner: 'root:root', ownershipCis: '1.1.10', severity: 'medium', why: 'it decides pod networking on the node' },
  { role: 'etcd-data-dir', description: 'etcd data directory', maxMode: 0o700, permissionsCis: '1.1.11', owner: 'etcd:etcd', ownershipCis: '1.1.12', severity: 'high', why: 'it holds every Secret of the cluster' },
  { role: 'admin-kubeconfig', description: 'administrator kubeconfig', maxMode: 0o600, permissionsCis: '1.1.13', owner: 'root:root', ownershipCis: '1.1.14', severity: 'critical', why: 'it holds cluster-admin credentials' },
  { role: 'scheduler-kubeconfig', description: 'scheduler kubeconfig', maxMode: 0o600, permissionsCis: '1.1.15', owner: 'root:root', ownershipCis: '1.1.16', severity: 'high', why: 'it holds the scheduler\'s credentials' },
  { role: 'controller-manager-kubeconfig', description: 'controller manager kubeconfig', maxMode: 0o600, permissionsCis: '1.1.17', owner: 'root:root', ownershipCis: '1.1.18', severity: 'high', why: 'it holds credentials that can read every Secret' },
  { role: 'pki-directory', description: 'Kubernetes PKI directory', owner: 'root:root', ownershipCis: '1.1.19', severity: 'high', why: 'it holds the cluster CA and component keys' },
  { role: 'pki-cert', description: 'Kubernetes PKI certificate', maxMode: 0o644, permissionsCis: '1.1.20', owner: 'root:root', ownershipCis: '1.1.19', severity: 'medium', why: 'a writable certificate can be swapped for an attacker\'s' },
  { role: 'pki-key', description: 'Kubernetes PKI private key', maxMode: 0o600, permissionsCis: '1.1.21', owner: 'root:root', ownershipCis: '1.1.19', severity: 'critical', why: 'a readable CA or component key lets anyone mint credentials' },
  { role: 'kubelet-service', description: 'kubelet service file', maxMode: 0o600, permissionsCis: '4.1.1', owner: 'root:root', ownershipCis: '4.1.2', severity: 'high', why: 'whoever can edit it changes the kubelet\'s flags' },
  { role: 'proxy-kubeconfig', description: 'kube-proxy kubeconfig', maxMode: 0o600, permissionsCis: '4.1.3', owner: 'root:root', ownershipCis: '4.1.4', severity: 'high', why: 'it holds kube-proxy\'s credentials' },
  { role: 'kubelet-kubeconfig', description: 'kubelet kubeconfig', maxMode: 0o600, permissionsCis: '4.1.5', owner: 'root:root', ownershipCis: '4.1.6', severity: 'high', why: 'it holds the node\'s credentials' },
  { role: 'client-ca', description: 'kubelet client CA file', maxMode: 0o644, permissionsCis: '4.1.7', owner: 'root:root', ownershipCis: '4.1.8', severity: 'medium', why: 'a writable CA file lets anyone make the kubelet trust their certificates' },
  { role: 'kubelet-config', description: 'kubelet config file', maxMode: 0o600, permissionsCis: '4.1.9', owner: 'root:root', ownershipCis: '4.1.10', severity: 'high', why: 'whoever can edit it turns kubelet authentication off' },
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
