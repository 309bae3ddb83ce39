// The manifests that run the webhook. They pass Rampart's own scan (a test holds them to it), and the
// webhook configuration can never send the requests that keep the cluster alive: kube-system and the
// webhook's own namespace are excluded, so a broken webhook cannot block its own repair.
import { stringify } from 'yaml';

export interface ManifestOptions {
  namespace: string;
  image: string;
  /** Base64 PEM of the CA that signed the serving certificate ('' to fill in later). */
  caBundle: string;
  failurePolicy: 'Fail' | 'Ignore';
  timeoutSeconds: number;
  /** Also register /mutate (safe fixes as a JSONPatch on CREATE). */
  mutate?: boolean;
  /** Keep the context from the live cluster: a read-only ClusterRole for the context kinds and a token. */
  cluster?: boolean;
}

const NAME = 'rampart-webhook';

/** The resources each rule family judges; events, leases and other chatty kinds are never sent. */
export const JUDGED_RESOURCES = [
  { apiGroups: [''], resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers', 'services', 'serviceaccounts', 'namespaces'] },
  { apiGroups: ['apps'], resources: ['deployments', 'daemonsets', 'statefulsets', 'replicasets'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'] },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingresses'] },
];

/** Read-only access (list, watch) to exactly the kinds the webhook's live context watches; no Secrets, no pods. */
function contextRbac(namespace: string, labels: Record<string, string>): Record<string, unknown>[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: `${NAME}-context`, labels },
      rules: [
        { apiGroups: [''], resources: ['namespaces', 'serviceaccounts', 'services'], verbs: ['list', 'watch'] },
        { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'], verbs: ['list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies', 'ingresses'], verbs: ['list', 'watch'] },
        { apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingadmissionpolicies', 'validatingadmissionpolicybindings'], verbs: ['list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${NAME}-context`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${NAME}-context` },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace }],
    },
  ];
}

export function webhookManifests(o: ManifestOptions): string {
  const labels = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/part-of': 'rampart' };
  const docs: Record<string, unknown>[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: o.namespace,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: NAME, namespace: o.namespace, labels }, automountServiceAccountToken: false },
    ...(o.cluster ? contextRbac(o.namespace, labels) : []),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${NAME}-config`, namespace: o.namespace, labels },
      data: {
        '.rampart.yaml': [
          '# Rampart configuration for the webhook (see docs/webhook.md and docs/configuration.md).',
          'webhook:',
          '  failOn: high            # findings at or above are denied; lower ones are warnings',
          '  exempt:',
          '    namespaces: []',
          '    groups: []',
          '',
        ].join('\n'),
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: NAME,
        namespace: o.namespace,
        labels,
        ...(o.cluster ? { annotations: { 'ignore.rampart.dev/workload.automount-sa-token': 'the webhook lists its context (namespaces, RBAC, policies) from the API server with a list-only ClusterRole' } } : {}),
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NAME,
            // The token is only needed to read the context from the cluster (--cluster).
            automountServiceAccountToken: o.cluster === true,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: labels } } },
                ],
              },
            },
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } }],
            containers: [
              {
                name: 'webhook',
                image: o.image,
                imagePullPolicy: 'IfNotPresent',
                args: ['webhook', 'serve', '--tls-cert', '/tls/tls.crt', '--tls-key', '/tls/tls.key', '--port', '8443', '--config', '/config/.rampart.yaml', '--timeout-seconds', String(o.timeoutSeconds), ...(o.mutate ? ['--mutate'] : []), ...(o.cluster ? ['--cluster'] : [])],
                ports: [{ name: 'https', containerPort: 8443, protocol: 'TCP' }],
                readinessProbe: { httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: '/healthz', port: 'https', scheme: 'HTTPS' }, periodSeconds: 10, failureThreshold: 3 },
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                volumeMounts: [
                  { name: 'tls', mountPath: '/tls', readOnly: true },
                  { name: 'config', mountPath: '/config', readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: 'tls', secret: { secretName: `${NAME}-tls`, defaultMode: 0o440 } },
              { name: 'config', configMap: { name: `${NAME}-config` } },
            ],
          },
        },
      },
    },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: NAME, namespace: o.namespace, labels }, spec: { minAvailable: 1, selector: { matchLabels: labels } } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: NAME, namespace: o.namespace, labels },
      spec: { type: 'ClusterIP', selector: labels, ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${NAME}-default-deny`, namespace: o.namespace, labels },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: NAME,
        namespace: o.namespace,
        labels,
        annotations: {
          'ignore.rampart.dev/netpol.ingress-from-anywhere':
            'the API server calls the webhook from the control plane, whose address is not a pod or a fixed range; only the HTTPS port is open',
        },
      },
      spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 8443, protocol: 'TCP' }] }] },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'rampart', labels },
      webhooks: [
        {
          name: 'validate.rampart.dev',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: o.failurePolicy,
          matchPolicy: 'Equivalent',
          timeoutSeconds: o.timeoutSeconds,
          clientConfig: { service: { namespace: o.namespace, name: NAME, path: '/validate', port: 443 }, ...(o.caBundle ? { caBundle: o.caBundle } : {}) },
          rules: JUDGED_RESOURCES.map((r) => ({ ...r, apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], scope: '*' })),
          // kube-system and the webhook's own namespace are never sent, so neither the control plane
          // nor the webhook's own repair can be blocked by the webhook.
          namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', o.namespace] }] },
          matchConditions: [
            // Nodes create mirror pods for static pods; they cannot be changed by admission anyway.
            { name: 'not-node-mirror-pods', expression: "!request.userInfo.username.startsWith('system:node:')" },
          ],
        },
      ],
    },
  ];
  if (o.cluster) {
    // The default deny above also stops egress: the context reader needs the API server and DNS.
    docs.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${NAME}-api-egress`, namespace: o.namespace, labels },
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ['Egress'],
        egress: [
          { ports: [{ port: 443, protocol: 'TCP' }, { port: 6443, protocol: 'TCP' }] },
          { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
        ],
      },
    });
  }
  if (o.mutate) {
    docs.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'rampart', labels },
      webhooks: [
        {
          name: 'mutate.rampart.dev',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          // Mutation is a convenience: when no replica answers, objects are created unchanged and the
          // validating webhook (failurePolicy above) still judges them.
          failurePolicy: 'Ignore',
          reinvocationPolicy: 'Never',
          matchPolicy: 'Equivalent',
          timeoutSeconds: o.timeoutSeconds,
          clientConfig: { service: { namespace: o.namespace, name: NAME, path: '/mutate', port: 443 }, ...(o.caBundle ? { caBundle: o.caBundle } : {}) },
          rules: JUDGED_RESOURCES.map((r) => ({ apiGroups: r.apiGroups, resources: r.resources.filter((x) => !x.includes('/')), apiVersions: ['*'], operations: ['CREATE'], scope: '*' })),
          namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', o.namespace] }] },
        },
      ],
    });
  }
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}
