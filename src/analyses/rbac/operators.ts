// Operators that turn custom resources into workloads (escalation fact 22): whoever may write the
// custom resource gets the operator to act for them. Matched by the operator's service account name
// (Helm releases often prefix it: `argo-cd-argocd-application-controller`).
import type { ClusterFacts } from './facts.js';

export interface Operator {
  name: string;
  group: string;
  resources: string[];
  /** Service account the operator's controller runs as. */
  serviceAccount: string;
  /**
   * `controller`: the controller applies what the resource describes with its own service account
   * (Argo CD, Flux without a tenant service account). `pods`: the controller runs pods in the
   * resource's namespace as the service account the resource names (Tekton).
   */
  acts: 'controller' | 'pods';
  /** The controller only reconciles resources in its own namespace (Argo CD's default). */
  ownNamespaceOnly?: boolean;
}

export const OPERATORS: Operator[] = [
  { name: 'Argo CD', group: 'argoproj.io', resources: ['applications', 'applicationsets'], serviceAccount: 'argocd-application-controller', acts: 'controller', ownNamespaceOnly: true },
  { name: 'Flux', group: 'kustomize.toolkit.fluxcd.io', resources: ['kustomizations'], serviceAccount: 'kustomize-controller', acts: 'controller' },
  { name: 'Flux', group: 'helm.toolkit.fluxcd.io', resources: ['helmreleases'], serviceAccount: 'helm-controller', acts: 'controller' },
  { name: 'Tekton', group: 'tekton.dev', resources: ['pipelineruns', 'taskruns'], serviceAccount: 'tekton-pipelines-controller', acts: 'pods' },
];

/** Verbs that make an operator act: a new or changed custom resource. */
export const OPERATOR_WRITE_VERBS = ['create', 'update', 'patch'];

function isOperatorAccount(op: Operator, sa: string): boolean {
  return sa === op.serviceAccount || sa.endsWith('-' + op.serviceAccount);
}

/** The operator's service accounts present in the input, as `{ namespace, name }`. */
export function operatorAccounts(op: Operator, facts: ClusterFacts): { namespace: string; name: string }[] {
  const out: { namespace: string; name: string }[] = [];
  for (const [namespace, sas] of facts.serviceAccounts) for (const name of sas) if (isOperatorAccount(op, name)) out.push({ namespace, name });
  return out.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}
