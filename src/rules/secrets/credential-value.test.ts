import rule from './credential-value.js';
import { ruleTable } from '../testing/harness.js';

// Built at run time: no credential-shaped literal in the repository.
const AWS = ['AKIA', 'QZ7RX3M2KD5WVB4N'].join('');
const GH = ['ghp_', 'R7kT2mQ9xV4nB8cL1pZ6wJ3sD5fH0gY2aE4u'].join('');
const pod = (container: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: a:1\n${container}`;

ruleTable(rule, {
  valid: [
    { name: 'references, placeholders and ordinary config', yaml: pod(`    env:\n    - {name: REGION, value: eu-west-1}\n    - {name: URL, value: "postgres://app:\${DB_PASSWORD}@db:5432/app"}\n    args: ["--password-file=/run/secrets/pw", "--log-level=debug"]\n`) },
    { name: 'a credential under a credential name is secrets/env-literal\'s', yaml: pod(`    env:\n    - {name: GITHUB_TOKEN, value: ${GH}}\n`) },
    { name: 'a ConfigMap of settings', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  level: debug\n  url: https://example.org\n' },
    { name: "a Secret's own data is secrets/committed-secret's", yaml: `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  key: ${AWS}\n` },
  ],
  invalid: [
    {
      name: 'a neutral name, an argument and a command line',
      yaml: pod(`    env:\n    - {name: VALUE_1, value: ${AWS}}\n    args: ["--github=${GH}"]\n    command: ["sh", "-c", "curl https://deploy:Zq8xK2mV9pL4@registry.internal/x"]\n`),
      findings: [
        { path: '/spec/containers/0/env/0/value', message: /an AWS access key id \(sha256 [0-9a-f]{6}…; value not shown\)/ },
        { path: '/spec/containers/0/args/0', message: /GitHub token/ },
        { path: '/spec/containers/0/command/2', message: /a password in a URL/ },
      ],
    },
    {
      name: 'ConfigMap data and annotations, including a last-applied copy of a Secret',
      yaml: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    note: "deploy with ${GH}"\n    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"k":"c2VjcmV0LXZhbHVlLTEyMw=="}}'\ndata:\n  config.ini: "aws_key=${AWS}"\n`,
      findings: [
        { path: '/metadata/annotations/note', message: /GitHub token/ },
        { path: '/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration', message: /copy of the Secret's data/ },
        { path: '/data/config.ini', message: /AWS access key/ },
      ],
    },
  ],
});
