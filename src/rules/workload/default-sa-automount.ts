import { defineRule } from '../../engine/rule.js';

export default defineRule({
  meta: {
    id: 'workload/default-sa-automount',
    title: 'Namespace default ServiceAccount mounts its token automatically',
    severity: 'low',
    rationale:
      'Every pod that names no service account runs as the namespace\'s `default` one, and gets its API token mounted unless something turns it off. Setting automountServiceAccountToken: false on `default` makes "no token" the namespace\'s default, so a compromised pod that never needed the API cannot use it, and any RoleBinding someone later adds to `default` does not silently reach every pod.',
    remediation:
      'Set automountServiceAccountToken: false on the `default` ServiceAccount; pods that need the API get their own ServiceAccount (or set automountServiceAccountToken: true in their pod spec).',
    references: {
      cis: ['5.1.5'],
      nsa: ['Pod security: protecting Pod service account tokens'],
      mitre: ['T1528'],
      urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting'],
    },
    kinds: ['ServiceAccount'],
    fixClass: 'may-break',
    fixRisk: 'pods that use the default ServiceAccount and call the API without setting automountServiceAccountToken themselves lose their token',
  },
  check(ctx) {
    const sa = ctx.resource;
    // Only the object the user wrote: the controller-created `default` of a namespace not in the input is not seen.
    if (sa.name !== 'default' || sa.apiVersion !== 'v1') return;
    const v = sa.object.automountServiceAccountToken;
    if (v === false) return;
    ctx.report({
      message: `ServiceAccount default${sa.namespace ? ` in namespace ${sa.namespace}` : ''} ${v === true ? 'sets automountServiceAccountToken: true' : 'does not set automountServiceAccountToken: false'}, so every pod that names no service account gets an API token`,
      path: v === undefined ? '' : '/automountServiceAccountToken',
      fix: [{ op: 'set', path: '/automountServiceAccountToken', value: false }],
    });
  },
});
