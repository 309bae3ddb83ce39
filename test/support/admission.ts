// AdmissionReviews shaped as the API server sends them (admission.k8s.io/v1), for webhook tests.
import { randomUUID } from 'node:crypto';

const RESOURCES: Record<string, { group: string; resource: string }> = {
  Pod: { group: '', resource: 'pods' },
  Deployment: { group: 'apps', resource: 'deployments' },
  DaemonSet: { group: 'apps', resource: 'daemonsets' },
  StatefulSet: { group: 'apps', resource: 'statefulsets' },
  ReplicaSet: { group: 'apps', resource: 'replicasets' },
  Job: { group: 'batch', resource: 'jobs' },
  CronJob: { group: 'batch', resource: 'cronjobs' },
  Service: { group: '', resource: 'services' },
  ClusterRoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
};

export interface ReviewOptions {
  operation?: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  oldObject?: Record<string, unknown>;
  subResource?: string;
  dryRun?: boolean;
  username?: string;
  groups?: string[];
  namespace?: string;
}

/** A review for `object` as kube-apiserver would send it for a CREATE (or the given operation). */
export function review(object: Record<string, unknown>, o: ReviewOptions = {}) {
  const kind = String(object.kind);
  const apiVersion = String(object.apiVersion);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const res = RESOURCES[kind] ?? { group: group!, resource: kind.toLowerCase() + 's' };
  const md = (object.metadata ?? {}) as Record<string, unknown>;
  const operation = o.operation ?? 'CREATE';
  const namespace = o.namespace ?? (md.namespace as string | undefined);
  const gvk = { group: group!, version: version!, kind };
  const gvr = { group: res.group, version: version!, resource: res.resource };
  const request: Record<string, unknown> = {
    uid: randomUUID(),
    kind: gvk,
    resource: gvr,
    requestKind: gvk,
    requestResource: gvr,
    name: md.name,
    operation,
    userInfo: { username: o.username ?? 'alice@example.com', uid: 'u-1', groups: o.groups ?? ['developers', 'system:authenticated'] },
    object: operation === 'DELETE' ? null : object,
    oldObject: o.oldObject ?? (operation === 'DELETE' ? object : null),
    dryRun: o.dryRun ?? false,
    options: { apiVersion: 'meta.k8s.io/v1', kind: operation === 'UPDATE' ? 'UpdateOptions' : operation === 'DELETE' ? 'DeleteOptions' : 'CreateOptions', fieldManager: 'kubectl-client-side-apply' },
  };
  if (namespace) request.namespace = namespace;
  if (o.subResource) {
    request.subResource = o.subResource;
    request.requestSubResource = o.subResource;
  }
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request };
}

export const privilegedPod = (name = 'web', namespace = 'shop') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: { hostPID: true, containers: [{ name: 'app', image: 'nginx:1.27', securityContext: { privileged: true } }] },
});

export const hardenedPod = (name = 'ok', namespace = 'shop') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: {
    serviceAccountName: 'web',
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'app',
        image: 'registry.example.com/web@sha256:' + 'a'.repeat(64),
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
        readinessProbe: { httpGet: { path: '/', port: 8080 } },
        livenessProbe: { httpGet: { path: '/', port: 8080 } },
      },
    ],
  },
});
