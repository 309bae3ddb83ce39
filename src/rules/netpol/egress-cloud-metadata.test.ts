import { test } from 'node:test';
import assert from 'node:assert/strict';
import rule from './egress-cloud-metadata.js';
import { ruleTable, scanYaml } from '../testing/harness.js';

const np = (egress: string, types = '[Egress]') => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: ${types}\n  egress:\n${egress}`;

ruleTable(rule, {
  valid: [
    { name: 'metadata excepted', yaml: np('  - to:\n    - ipBlock:\n        cidr: 0.0.0.0/0\n        except: [169.254.169.254/32]\n') },
    { name: 'all of link-local excepted', yaml: np('  - to:\n    - ipBlock: {cidr: 0.0.0.0/0, except: [169.254.0.0/16]}\n') },
    { name: 'only 443: metadata (HTTP 80) not reachable', yaml: np('  - ports: [{port: 443}]\n') },
    { name: 'CIDR without the address', yaml: np('  - to: [{ipBlock: {cidr: 10.0.0.0/8}}]\n') },
    { name: 'pod peers only', yaml: np('  - to: [{namespaceSelector: {}}]\n') },
    { name: 'ingress-only policy: egress section is inert', yaml: np('  - {}\n', '[Ingress]') },
  ],
  invalid: [
    {
      name: '0.0.0.0/0 without except points at the cidr, with a fix',
      yaml: np('  - to:\n    - ipBlock:\n        cidr: 0.0.0.0/0\n'),
      findings: [{ path: '/spec/egress/0/to/0/ipBlock/cidr', line: 10, column: 9, message: 'includes the metadata service 169.254.169.254' }],
    },
    {
      name: 'except that misses the address; rule without to',
      yaml: np('  - to:\n    - ipBlock: {cidr: 169.254.0.0/16, except: [169.254.1.0/24]}\n    ports: [{port: 80}]\n  - {}\n'),
      findings: [
        { path: '/spec/egress/0/to/0/ipBlock/cidr', line: 9, column: 17 },
        { path: '/spec/egress/1', line: 11, column: 5, message: 'has no `to`' },
      ],
    },
    {
      name: 'extra addresses by option',
      yaml: np('  - to: [{ipBlock: {cidr: 100.64.0.0/10}}]\n'),
      options: { addresses: ['169.254.169.254', '100.100.100.200'] },
      findings: [{ path: '/spec/egress/0/to/0/ipBlock/cidr', message: '100.100.100.200' }],
    },
  ],
});

test('netpol/egress-cloud-metadata: the fix adds the /32 to except, keeping existing entries', () => {
  const [f] = scanYaml(rule, np('  - to:\n    - ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}\n'));
  assert.deepEqual(f!.fix, [{ op: 'set', path: '/spec/egress/0/to/0/ipBlock/except', value: ['10.0.0.0/8', '169.254.169.254/32'] }]);
});
