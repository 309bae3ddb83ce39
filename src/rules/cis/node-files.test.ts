// Tables for the file permission/ownership rules over NodeFile objects (as `rampart node` builds them).
import { nodeFileRules } from './node-files.js';
import { FILE_ROLES } from '../../analyses/node/files.js';
import { ruleTable, type InvalidCase, type ValidCase } from '../testing/harness.js';

const nodeFile = (role: string, mode: string, owner = 'root', group = 'root', p = `/etc/kubernetes/${role}`) => `apiVersion: rampart.dev/v1
kind: NodeFile
metadata: {name: ${p}}
spec:
  path: ${p}
  role: ${role}
  type: file
  mode: "${mode}"
  owner: ${owner}
  group: ${group}
`;

const octal = (n: number) => n.toString(8).padStart(4, '0');

for (const rule of nodeFileRules) {
  const isPerm = rule.meta.id.startsWith('cis/file-permissions-');
  const roleName = rule.meta.id.replace(/^cis\/file-(permissions|ownership)-/, '');
  const role = FILE_ROLES.find((r) => r.role === roleName)!;
  const [user, group] = role.owner.split(':') as [string, string];
  const valid: ValidCase[] = [
    { name: 'exactly the required mode and owner', yaml: nodeFile(role.role, octal(role.maxMode ?? 0o755), user, group) },
    { name: 'stricter mode', yaml: nodeFile(role.role, '0400', user, group) },
    { name: 'other roles are not this rule\'s business', yaml: nodeFile('some-other-file', '0777', 'nobody', 'nogroup') },
  ];
  const invalid: InvalidCase[] = isPerm
    ? [
        { name: 'world-writable', yaml: nodeFile(role.role, '0666', user, group), findings: [{ path: '/spec/mode', line: 8, column: 3, message: `has mode 666; CIS ${role.permissionsCis} requires ${octal(role.maxMode!).slice(1)}` }] },
        { name: 'group-executable only', yaml: nodeFile(role.role, octal((role.maxMode ?? 0) | 0o010), user, group), findings: [{ path: '/spec/mode', message: 'remove group execute' }] },
        { name: 'mode is not octal: fails closed', yaml: nodeFile(role.role, 'rw-r--r--', user, group), findings: [{ path: '/spec', line: 4, column: 1, message: 'not octal' }] },
      ]
    : [
        { name: 'owned by a user', yaml: nodeFile(role.role, '0600', 'ubuntu', 'ubuntu'), findings: [{ path: '/spec/owner', line: 9, column: 3, message: `is owned by ubuntu:ubuntu; CIS ${role.ownershipCis} requires ${role.owner}` }] },
        { name: 'right user, wrong group', yaml: nodeFile(role.role, '0600', user, 'docker'), findings: [{ path: '/spec/owner', message: `${user}:docker` }] },
        { name: 'no owner recorded: fails closed', yaml: nodeFile(role.role, '0600').replace(/  owner: .*\n  group: .*\n/, ''), findings: [{ path: '/spec', message: 'could not be checked' }] },
      ];
  if (roleName === 'etcd-data-dir' && !isPerm) {
    valid.push({ name: 'node.etcdDataDirOwner setting accepts root:root (kubeadm runs etcd as root)', yaml: nodeFile(role.role, '0700'), settings: { node: { etcdDataDirOwner: 'root:root' } } });
  }
  ruleTable(rule, { valid, invalid });
}
