// Every NetworkPolicy example of the Kubernetes "Network Policies" concept page, with the effect the
// page documents (kubernetes.io/docs/concepts/services-networking/network-policies/), and the
// "Declare Network Policy" task (kubernetes.io/docs/tasks/administer-cluster/declare-network-policy/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineFrom, ns, pod, wrongProbes, type Probe } from './testing/fixtures.js';

const world = [
  ns('default'),
  ns('myproject', { project: 'myproject' }),
  ns('alice-ns', { user: 'alice' }),
  ns('bob-ns', { user: 'bob' }),
  pod('default', 'db', { role: 'db' }, [{ port: 6379 }]),
  pod('default', 'frontend', { role: 'frontend' }),
  pod('default', 'other', { role: 'other' }),
  pod('myproject', 'any', { app: 'x' }),
  pod('alice-ns', 'client', { role: 'client' }),
  pod('alice-ns', 'server', { role: 'server' }),
  pod('alice-ns', 'batch', { role: 'batch' }),
  pod('bob-ns', 'client', { role: 'client' }),
];

interface Example {
  name: string;
  yaml: string;
  probes: Probe[];
}

const EXAMPLES: Example[] = [
  {
    name: 'test-network-policy (the annotated example)',
    yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: test-network-policy
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
  - Ingress
  - Egress
  ingress:
  - from:
    - ipBlock:
        cidr: 172.17.0.0/16
        except:
        - 172.17.1.0/24
    - namespaceSelector:
        matchLabels:
          project: myproject
    - podSelector:
        matchLabels:
          role: frontend
    ports:
    - protocol: TCP
      port: 6379
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/24
    ports:
    - protocol: TCP
      port: 5978
`,
    // "isolates role=db pods in default for ingress and egress; allows connections to TCP 6379 from
    // role=frontend pods in default, any pod in a namespace labelled project=myproject, and IPs in
    // 172.17.0.0–172.17.0.255 and 172.17.2.0–172.17.255.255; allows connections from role=db pods to
    // 10.0.0.0/24 on TCP 5978."
    probes: [
      { from: 'default/frontend', to: 'default/db', port: '6379/TCP', allowed: true },
      { from: 'default/frontend', to: 'default/db', port: '6380/TCP', allowed: false },
      { from: 'default/other', to: 'default/db', port: '6379/TCP', allowed: false },
      { from: 'myproject/any', to: 'default/db', port: '6379/TCP', allowed: true },
      { from: 'alice-ns/client', to: 'default/db', port: '6379/TCP', allowed: false },
      { from: '172.17.0.10', to: 'default/db', port: '6379/TCP', allowed: true },
      { from: '172.17.1.10', to: 'default/db', port: '6379/TCP', allowed: false },
      { from: '172.17.2.0', to: 'default/db', port: '6379/TCP', allowed: true },
      { from: '172.17.255.255', to: 'default/db', port: '6379/TCP', allowed: true },
      { from: 'default/db', to: '10.0.0.7', port: '5978/TCP', allowed: true },
      { from: 'default/db', to: '10.0.1.7', port: '5978/TCP', allowed: false },
      { from: 'default/db', to: '10.0.0.7', port: '80/TCP', allowed: false },
      { from: 'default/db', to: 'default/frontend', allowed: false },
      { from: 'default/frontend', to: 'default/other', allowed: true },
    ],
  },
  {
    name: 'namespaceSelector and podSelector in one element (AND)',
    yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: and-example, namespace: alice-ns}
spec:
  podSelector: {matchLabels: {role: server}}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          user: alice
      podSelector:
        matchLabels:
          role: client
`,
    // "contains a single from element allowing connections from Pods with the label role=client in
    // namespaces with the label user=alice."
    probes: [
      { from: 'alice-ns/client', to: 'alice-ns/server', allowed: true },
      { from: 'alice-ns/batch', to: 'alice-ns/server', allowed: false },
      { from: 'bob-ns/client', to: 'alice-ns/server', allowed: false },
      { from: 'default/frontend', to: 'alice-ns/server', allowed: false },
    ],
  },
  {
    name: 'namespaceSelector or podSelector as two elements (OR)',
    yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: or-example, namespace: alice-ns}
spec:
  podSelector: {matchLabels: {role: server}}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          user: alice
    - podSelector:
        matchLabels:
          role: client
`,
    // "allows connections from Pods in the local Namespace with the label role=client, OR from any Pod in any namespace with the label user=alice."
    probes: [
      { from: 'alice-ns/client', to: 'alice-ns/server', allowed: true },
      { from: 'alice-ns/batch', to: 'alice-ns/server', allowed: true },
      { from: 'bob-ns/client', to: 'alice-ns/server', allowed: false },
      { from: 'default/frontend', to: 'alice-ns/server', allowed: false },
    ],
  },
  {
    name: 'default-deny-ingress',
    yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-ingress, namespace: default}
spec:
  podSelector: {}
  policyTypes:
  - Ingress
`,
    // "ensures that even pods that aren't selected by any other NetworkPolicy will still be isolated for ingress. This policy does not affect isolation for egress from any pod."
    probes: [
      { from: 'default/frontend', to: 'default/db', allowed: false },
      { from: 'myproject/any', to: 'default/other', allowed: false },
      { from: 'default/db', to: 'myproject/any', allowed: true },
      { from: 'default/db', to: '8.8.8.8', allowed: true },
    ],
  },
  {
    name: 'allow-all-ingress',
    yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-all-ingress, namespace: default}
spec:
  podSelector: {}
  ingress:
  - {}
  policyTypes:
  - Ingress
`,
    // "no additional policy or policies can cause any incoming connection to those pods to be denied"
    probes: [
      { from: 'bob-ns/client', to: 'default/db', port: '1234/UDP', allowed: true },
      { from: '203.0.113.1', to: 'default/db', allowed: true },
    ],
  },
  {
    name: 'default-deny-egress',
    yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-egress, namespace: default}
spec:
  podSelector: {}
  policyTypes:
  - Egress
`,
    // "ensures that even pods that aren't selected by any other NetworkPolicy will not be allowed egress traffic. This policy does not change the ingress isolation behavior of any pod."
    probes: [
      { from: 'default/frontend', to: 'default/db', allowed: false },
      { from: 'default/frontend', to: '8.8.8.8', port: '53/UDP', allowed: false },
      { from: 'myproject/any', to: 'default/db', allowed: true },
    ],
  },
  {
    name: 'allow-all-egress',
    yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-all-egress, namespace: default}
spec:
  podSelector: {}
  egress:
  - {}
  policyTypes:
  - Egress
`,
    probes: [
      { from: 'default/frontend', to: '8.8.8.8', port: '53/UDP', allowed: true },
      { from: 'default/frontend', to: 'bob-ns/client', allowed: true },
    ],
  },
  {
    name: 'default-deny-all',
    yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-all, namespace: default}
spec:
  podSelector: {}
  policyTypes:
  - Ingress
  - Egress
`,
    // "disallows all ingress and egress traffic" for pods in that namespace.
    probes: [
      { from: 'default/frontend', to: 'default/db', allowed: false },
      { from: 'myproject/any', to: 'default/db', allowed: false },
      { from: 'default/db', to: 'myproject/any', allowed: false },
      { from: 'myproject/any', to: 'alice-ns/server', allowed: true },
    ],
  },
  {
    name: 'multi-port-egress (port range with endPort)',
    yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: multi-port-egress
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
    - Egress
  egress:
    - to:
        - ipBlock:
            cidr: 10.0.0.0/24
      ports:
        - protocol: TCP
          port: 32000
          endPort: 32768
`,
    // "allows pods with the label role=db to communicate with any IP within 10.0.0.0/24 over TCP, provided the target port is between 32000 and 32768"
    probes: [
      { from: 'default/db', to: '10.0.0.1', port: '32000/TCP', allowed: true },
      { from: 'default/db', to: '10.0.0.1', port: '32768/TCP', allowed: true },
      { from: 'default/db', to: '10.0.0.1', port: '32769/TCP', allowed: false },
      { from: 'default/db', to: '10.0.0.1', port: '32000/UDP', allowed: false },
      { from: 'default/db', to: '10.0.1.1', port: '32000/TCP', allowed: false },
    ],
  },
  {
    name: 'targeting a namespace by its name (kubernetes.io/metadata.name)',
    yaml: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-myproject, namespace: default}
spec:
  podSelector: {matchLabels: {role: db}}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: myproject
`,
    probes: [
      { from: 'myproject/any', to: 'default/db', allowed: true },
      { from: 'alice-ns/client', to: 'default/db', allowed: false },
    ],
  },
];

// tasks/administer-cluster/declare-network-policy: nginx (app=nginx, port 80) and a busybox client.
EXAMPLES.push({
  name: 'declare-network-policy task: access-nginx',
  yaml: `${pod('default', 'nginx', { app: 'nginx' }, [{ port: 80 }])}---
${pod('default', 'busybox', { run: 'busybox' })}---
${pod('default', 'busybox-access', { run: 'busybox', access: 'true' })}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: access-nginx
spec:
  podSelector:
    matchLabels:
      app: nginx
  ingress:
  - from:
    - podSelector:
        matchLabels:
          access: "true"
`,
  // "Test the connection ... from a Pod without the correct labels: the request times out";
  // "Define access label and test again: ... the request is allowed."
  probes: [
    { from: 'default/busybox', to: 'default/nginx', port: '80/TCP', allowed: false },
    { from: 'default/busybox-access', to: 'default/nginx', port: '80/TCP', allowed: true },
  ],
});

for (const ex of EXAMPLES) {
  test(`kubernetes docs example: ${ex.name}`, () => {
    const engine = engineFrom(...world, ex.yaml);
    assert.deepEqual(wrongProbes(engine, ex.probes), []);
  });
}
