// Facts about the Kubernetes API that RBAC analysis needs without a live cluster's discovery.

/** API group of common resources, so `who-can create deployments` needs no --api-group. */
export const RESOURCE_GROUPS: Record<string, string> = {
  pods: '', services: '', endpoints: '', configmaps: '', secrets: '', serviceaccounts: '', namespaces: '', nodes: '',
  persistentvolumes: '', persistentvolumeclaims: '', events: '', replicationcontrollers: '', limitranges: '', resourcequotas: '', podtemplates: '',
  deployments: 'apps', replicasets: 'apps', statefulsets: 'apps', daemonsets: 'apps', controllerrevisions: 'apps',
  jobs: 'batch', cronjobs: 'batch',
  roles: 'rbac.authorization.k8s.io', clusterroles: 'rbac.authorization.k8s.io', rolebindings: 'rbac.authorization.k8s.io', clusterrolebindings: 'rbac.authorization.k8s.io',
  ingresses: 'networking.k8s.io', networkpolicies: 'networking.k8s.io', ingressclasses: 'networking.k8s.io',
  certificatesigningrequests: 'certificates.k8s.io',
  mutatingwebhookconfigurations: 'admissionregistration.k8s.io', validatingwebhookconfigurations: 'admissionregistration.k8s.io',
  validatingadmissionpolicies: 'admissionregistration.k8s.io', validatingadmissionpolicybindings: 'admissionregistration.k8s.io',
  mutatingadmissionpolicies: 'admissionregistration.k8s.io', mutatingadmissionpolicybindings: 'admissionregistration.k8s.io',
  customresourcedefinitions: 'apiextensions.k8s.io', storageclasses: 'storage.k8s.io', csidrivers: 'storage.k8s.io', volumeattachments: 'storage.k8s.io',
  horizontalpodautoscalers: 'autoscaling', poddisruptionbudgets: 'policy', leases: 'coordination.k8s.io', priorityclasses: 'scheduling.k8s.io',
  tokenreviews: 'authentication.k8s.io', subjectaccessreviews: 'authorization.k8s.io', selfsubjectaccessreviews: 'authorization.k8s.io',
  users: '', groups: '', uids: 'authentication.k8s.io', userextras: 'authentication.k8s.io', signers: 'certificates.k8s.io',
  endpointslices: 'discovery.k8s.io', runtimeclasses: 'node.k8s.io', apiservices: 'apiregistration.k8s.io',
};

/** Cluster-scoped resources: a grant on them needs a ClusterRoleBinding. */
export const CLUSTER_SCOPED = new Set([
  'namespaces', 'nodes', 'persistentvolumes', 'clusterroles', 'clusterrolebindings', 'certificatesigningrequests', 'mutatingwebhookconfigurations',
  'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies',
  'mutatingadmissionpolicybindings', 'customresourcedefinitions', 'storageclasses', 'csidrivers', 'csinodes', 'volumeattachments', 'priorityclasses',
  'tokenreviews', 'subjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'users', 'groups', 'uids', 'userextras', 'signers',
  'runtimeclasses', 'apiservices', 'ingressclasses', 'componentstatuses', 'podsecuritypolicies', 'flowschemas', 'prioritylevelconfigurations',
  'clusterissuers', 'clustertrustbundles', 'ipaddresses', 'servicecidrs', 'deviceclasses',
]);

/** Resources whose `create` runs a pod (escalation fact 5), with their API groups. */
export const POD_CREATORS: { resource: string; group: string }[] = [
  { resource: 'pods', group: '' },
  { resource: 'replicationcontrollers', group: '' },
  { resource: 'deployments', group: 'apps' },
  { resource: 'replicasets', group: 'apps' },
  { resource: 'statefulsets', group: 'apps' },
  { resource: 'daemonsets', group: 'apps' },
  { resource: 'jobs', group: 'batch' },
  { resource: 'cronjobs', group: 'batch' },
];

/** Splits `deployments.apps` / `pods/exec` forms as kubectl does; an explicit group wins. */
export function parseResourceArg(arg: string, group?: string, subresource?: string): { resource: string; apiGroup: string; subresource: string } {
  let res = arg;
  let sub = subresource ?? '';
  const slash = res.indexOf('/');
  if (slash > 0) {
    if (!sub) sub = res.slice(slash + 1);
    res = res.slice(0, slash);
  }
  let g = group;
  const dot = res.indexOf('.');
  if (dot > 0) {
    if (g === undefined) g = res.slice(dot + 1);
    res = res.slice(0, dot);
  }
  return { resource: res, apiGroup: g ?? RESOURCE_GROUPS[res] ?? '', subresource: sub };
}
