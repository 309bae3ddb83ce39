import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';

// Escalation facts 18 and 19: node labels, taints and cordoning decide where pods run.
const SPEC = grantSpec({
  verbs: ['update', 'patch'],
  targets: [
    { group: '', resource: 'nodes' },
    { group: '', resource: 'nodes', subresource: 'status' },
  ],
});

export default defineRule({
  meta: {
    id: 'rbac/node-write',
    title: 'Change Node labels, taints or schedulability',
    severity: 'medium',
    rationale:
      'update or patch on nodes changes labels, taints and spec.unschedulable: with it a subject can remove NoSchedule taints, relabel a node it controls so that nodeSelectors and affinities pick it, or cordon nodes and (with delete on pods) force sensitive pods to be rescheduled onto that node, where their tokens and Secrets are readable. nodes/status writes change what the scheduler sees.',
    remediation: 'Keep node writes with the kubelet (limited by the NodeRestriction admission plugin), the cluster autoscaler and cluster administrators; workloads that only read node data need get/list/watch.',
    references: {
      cis: [],
      nsa: ['Authentication and authorization: least privilege'],
      mitre: [],
      urls: ['https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction', 'https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/'],
    },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
