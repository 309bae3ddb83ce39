import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';

const SPEC = grantSpec({ verbs: ['create', 'get'], targets: [{ group: '', resource: 'pods', subresource: 'exec' }, { group: '', resource: 'pods', subresource: 'attach' }, { group: '', resource: 'pods', subresource: 'portforward' }] });

export default defineRule({
  meta: {
    id: 'rbac/pod-exec',
    title: 'Exec, attach or port-forward into pods',
    severity: 'high',
    rationale:
      'pods/exec and pods/attach run commands in running containers: the holder gets every token and Secret mounted in those pods. pods/portforward reaches ports that network policy would otherwise protect.',
    remediation: 'Remove pods/exec, pods/attach and pods/portforward from roles used by workloads and routine users; grant them just in time to named operators.',
    references: { cis: [], nsa: ['Authentication and authorization: least privilege'], mitre: ['T1609'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
