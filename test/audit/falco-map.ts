// Which Falco k8s_audit rule (2023 names) each of our alerts corresponds to. An alert may match
// several Falco rules (one pod can be privileged and on the host network) or none (ours only).
import type { Alert } from '../../src/analyses/audit/detect.js';

const LIFECYCLE: Record<string, string> = {
  deployments: 'K8s Deployment',
  services: 'K8s Service',
  configmaps: 'K8s ConfigMap',
  namespaces: 'K8s Namespace',
  serviceaccounts: 'K8s Serviceaccount',
  roles: 'K8s Role/Clusterrole',
  clusterroles: 'K8s Role/Clusterrole',
  rolebindings: 'K8s Role/Clusterrolebinding',
  clusterrolebindings: 'K8s Role/Clusterrolebinding',
  secrets: 'K8s Secret',
};

export function falcoRulesOf(a: Alert): string[] {
  const res = a.objectRef.resource ?? '';
  const scanner = (a.details?.scannerRules as string[] | undefined) ?? [];
  const paths = ((a.details?.findings as { path: string }[] | undefined) ?? []).map((f) => f.path);
  switch (a.ruleId) {
    case 'audit/anonymous-allowed':
      return ['Anonymous Request Allowed'];
    case 'audit/cluster-admin-granted':
      return res === 'clusterrolebindings' && a.verb === 'create' ? ['Attach to cluster-admin Role'] : [];
    case 'audit/pod-exec':
      return ['exec', 'attach'].includes(a.objectRef.subresource ?? '') ? ['Attach/Exec Pod'] : [];
    case 'audit/role-pod-exec':
      return a.verb === 'create' ? ['ClusterRole With Pod Exec Created'] : [];
    case 'audit/role-widened': {
      const g = (a.details?.grants as string[] | undefined) ?? [];
      return a.verb === 'create' && (g.includes('* verbs') || g.includes('* resources')) ? ['ClusterRole With Wildcard Created'] : [];
    }
    case 'audit/role-write-privileges':
      return ['ClusterRole With Write Privileges Created'];
    case 'audit/configmap-credentials':
      return ['Create/Modify Configmap With Private Credentials'];
    case 'audit/workload-security': {
      if (res !== 'pods' || a.verb !== 'create') return [];
      const out: string[] = [];
      if (scanner.includes('pss/privileged')) out.push('Create Privileged Pod');
      if (paths.some((p) => p.endsWith('/hostNetwork'))) out.push('Create HostNetwork Pod');
      if (scanner.includes('pss/hostPathVolumes')) out.push('Create Sensitive Mount Pod');
      return out;
    }
    case 'audit/workload-image':
      return res === 'pods' && a.verb === 'create' ? ['Create Disallowed Pod'] : [];
    case 'audit/exposed-service':
      return a.verb === 'create' && a.details?.type === 'NodePort' ? ['Create NodePort Service'] : [];
    case 'audit/system-namespace-pod':
      return ['Pod Created in Kube Namespace'];
    case 'audit/system-namespace-write':
      return res === 'serviceaccounts' && a.verb === 'create' ? ['Service Account Created in Kube Namespace'] : [];
    case 'audit/system-role-changed':
      return res === 'clusterroles' || res === 'roles' ? ['System ClusterRole Modified/Deleted'] : [];
    case 'audit/user-not-allowed':
      return ['Disallowed K8s User'];
    case 'audit/namespace-not-allowed':
      return ['Create Disallowed Namespace'];
    case 'audit/resource-lifecycle':
      return LIFECYCLE[res] ? [`${LIFECYCLE[res]} ${a.verb === 'create' ? 'Created' : 'Deleted'}`] : [];
    default:
      return [];
  }
}
