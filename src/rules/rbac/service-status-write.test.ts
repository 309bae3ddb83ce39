import rule from './service-status-write.js';
import { ruleTable } from '../testing/harness.js';

const role = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: lb
rules:
${rules}`;

ruleTable(rule, {
  valid: [
    { name: 'reading service status, and writing services (the main resource is not the status subresource)', yaml: role('- {apiGroups: [""], resources: [services, services/status], verbs: [get, list, watch]}\n- {apiGroups: [""], resources: [services], verbs: [update, patch]}\n') },
    { name: 'status of another resource', yaml: role('- {apiGroups: [networking.k8s.io], resources: [ingresses/status], verbs: [update]}\n') },
    { name: 'a Kubernetes system role', yaml: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: "system:controller:service-controller"}\nrules:\n- {apiGroups: [""], resources: [services/status], verbs: [patch, update]}\n' },
  ],
  invalid: [
    {
      name: 'patch on services/status in a ClusterRole; update in a Role',
      yaml:
        role(`- apiGroups: [""]
  resources: [services/status]
  verbs: [patch]
`) + `---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: lb, namespace: shop}
rules:
- {apiGroups: [""], resources: [services, services/status], verbs: [get, update]}
`,
      findings: [
        { path: '/rules/0/resources/0', line: 7, severity: 'medium', message: 'ClusterRole lb rule 0 grants patch on services/status' },
        { path: '/rules/0/resources/1', line: 14, message: 'Role shop/lb rule 0 grants update on services/status' },
      ],
    },
  ],
});
