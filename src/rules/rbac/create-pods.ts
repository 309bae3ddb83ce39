import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';

const SPEC = grantSpec({ verbs: ['create'], targets: [{ group: '', resource: 'pods' }, { group: '', resource: 'replicationcontrollers' }, { group: 'apps', resource: 'deployments' }, { group: 'apps', resource: 'replicasets' }, { group: 'apps', resource: 'statefulsets' }, { group: 'apps', resource: 'daemonsets' }, { group: 'batch', resource: 'jobs' }, { group: 'batch', resource: 'cronjobs' }] });

export default defineRule({
  meta: {
    id: 'rbac/create-pods',
    title: 'Create pods or pod controllers',
    severity: 'medium',
    rationale:
      'Whoever can create a pod (directly or through a Deployment, Job, DaemonSet and the like) can run it as any service account of the namespace and mount any Secret there, so holds the union of their permissions; without Pod Security enforcement, a privileged pod is root on the node.',
    remediation: 'Limit create on pods and workload controllers to deployment pipelines; enforce Pod Security baseline or restricted on the namespace.',
    references: { cis: ['5.1.4'], nsa: ['Authentication and authorization: least privilege'], mitre: ['T1610'], urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'] },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
