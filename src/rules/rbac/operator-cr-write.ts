import { defineRule } from '../../engine/rule.js';
import { GRANT_RULE_KINDS, grantSpec, reportGrants } from '../../analyses/rbac/grants.js';
import { OPERATORS, OPERATOR_WRITE_VERBS } from '../../analyses/rbac/operators.js';

// Escalation fact 22: the operator acts for whoever writes its custom resources.
const SPEC = grantSpec({ verbs: OPERATOR_WRITE_VERBS, targets: OPERATORS.flatMap((op) => op.resources.map((resource) => ({ group: op.group, resource }))) });

export default defineRule({
  meta: {
    id: 'rbac/operator-cr-write',
    title: 'Write custom resources that an operator turns into workloads',
    severity: 'high',
    rationale:
      'Argo CD Applications and ApplicationSets, Flux Kustomizations and HelmReleases, and Tekton PipelineRuns and TaskRuns are instructions to a controller: it deploys whatever they point at with its own service account (often cluster-admin for GitOps controllers) or, for Tekton, runs pods as any service account of the namespace. Writing them borrows those permissions. rbac/escalation-path follows the step when the operator is in the scanned manifests.',
    remediation: 'Limit who writes these resources to the people who could deploy the result directly; restrict the operator (Argo CD AppProjects, Flux spec.serviceAccountName with --default-service-account, Tekton service accounts with least privilege).',
    references: {
      cis: [],
      nsa: ['Authentication and authorization: least privilege'],
      mitre: ['T1610', 'T1078'],
      urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation', 'https://kubernetes.io/docs/concepts/extend-kubernetes/operator/'],
    },
    kinds: GRANT_RULE_KINDS,
  },
  check(ctx) {
    reportGrants(ctx, SPEC);
  },
});
