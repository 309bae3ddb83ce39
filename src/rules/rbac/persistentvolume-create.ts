import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';

const SPEC = grantSpec({ verbs: ['create'], targets: [{ group: '', resource: 'persistentvolumes' }] });

export default defineRule({
  meta: {
    id: 'rbac/persistentvolume-create',
    title: 'Create PersistentVolumes',
    severity: 'medium',
    rationale:
      'A PersistentVolume can be a hostPath volume: bound to a claim and mounted by a pod it exposes the node filesystem, and Pod Security Admission does not inspect PersistentVolumes.',
    remediation: 'Let a storage provisioner create PersistentVolumes; grant users persistentvolumeclaims instead.',
    references: { cis: ['5.1.9'], nsa: ['Authentication and authorization: least privilege'], mitre: ['T1611'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
