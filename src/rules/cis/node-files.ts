// File permission and ownership rules (CIS 1.1 and 4.1), one pair per kind of node file, generated
// from analyses/node/files.ts. They read the NodeFile objects `rampart node` builds from stat().
import { defineRule, type Rule } from '../../engine/rule.js';
import { describeBits, excessBits, FILE_ROLES, formatMode, NODE_FILE_KIND, nodeFileInfo, type FileRole } from '../../analyses/node/files.js';
import { asObject, asString } from '../../model/json.js';

const NSA = ['Network separation and hardening: control plane hardening'];

function ownerFor(role: FileRole, settings: Readonly<Record<string, unknown>>): string {
  if (role.role !== 'etcd-data-dir') return role.owner;
  // kubeadm runs etcd as root; clusters that do so can accept root:root here.
  return asString(asObject(settings.node)?.etcdDataDirOwner) ?? role.owner;
}

export function permissionsRule(role: FileRole & { maxMode: number; permissionsCis: string }): Rule {
  return defineRule({
    meta: {
      id: `cis/file-permissions-${role.role}`,
      title: `${role.description[0]!.toUpperCase()}${role.description.slice(1)} permissions are too open`,
      severity: role.severity,
      rationale: `The ${role.description} must be ${formatMode(role.maxMode)} or stricter: ${role.why}.`,
      remediation: `chmod ${formatMode(role.maxMode)} the file (chmod go-rwx for keys and kubeconfigs).`,
      references: { cis: [role.permissionsCis], nsa: NSA, mitre: role.role === 'pki-key' || role.role.endsWith('kubeconfig') ? ['T1552.001', 'T1552.004'] : ['T1222.002', 'T1543'] },
      kinds: [NODE_FILE_KIND],
    },
    check(ctx) {
      const f = nodeFileInfo(ctx.resource.object);
      if (f.role !== role.role) return;
      if (f.mode === undefined) {
        ctx.report({ message: `${f.path}: mode is missing or not octal, so its permissions could not be checked`, path: '/spec' });
        return;
      }
      const extra = excessBits(f.mode, role.maxMode);
      if (!extra) return;
      ctx.report({ message: `${f.path} has mode ${formatMode(f.mode)}; CIS ${role.permissionsCis} requires ${formatMode(role.maxMode)} or stricter (remove ${describeBits(extra)})`, path: '/spec/mode' });
    },
  });
}

export function ownershipRule(role: FileRole & { ownershipCis: string }): Rule {
  return defineRule({
    meta: {
      id: `cis/file-ownership-${role.role}`,
      title: `${role.description[0]!.toUpperCase()}${role.description.slice(1)} is not owned by ${role.owner}`,
      severity: role.severity === 'critical' ? 'high' : role.severity,
      rationale: `The ${role.description} must be owned by ${role.owner}: a different owner can change its mode and content, and ${role.why}.`,
      remediation: `chown ${role.owner} the file${role.role === 'pki-directory' ? ' (recursively: chown -R root:root /etc/kubernetes/pki)' : ''}.`,
      references: { cis: [role.ownershipCis], nsa: NSA, mitre: ['T1222.002'] },
      kinds: [NODE_FILE_KIND],
    },
    check(ctx) {
      const f = nodeFileInfo(ctx.resource.object);
      if (f.role !== role.role) return;
      const want = ownerFor(role, ctx.settings);
      if (f.owner === undefined || f.group === undefined) {
        ctx.report({ message: `${f.path}: owner or group is missing, so its ownership could not be checked`, path: '/spec' });
        return;
      }
      const have = `${f.owner}:${f.group}`;
      if (have === want) return;
      ctx.report({ message: `${f.path} is owned by ${have}; CIS ${role.ownershipCis} requires ${want}`, path: '/spec/owner' });
    },
  });
}

export const nodeFileRules: Rule[] = [
  ...FILE_ROLES.filter((r): r is FileRole & { maxMode: number; permissionsCis: string } => r.maxMode !== undefined && r.permissionsCis !== undefined).map(permissionsRule),
  ...FILE_ROLES.filter((r): r is FileRole & { ownershipCis: string } => r.ownershipCis !== undefined).map(ownershipRule),
];
