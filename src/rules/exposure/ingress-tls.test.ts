import rule from './ingress-tls.js';
import { ruleTable } from '../testing/harness.js';

const ing = (spec: string) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n${spec}`;

ruleTable(rule, {
  valid: [
    ing('  tls:\n  - hosts: [shop.example.com]\n    secretName: shop-tls\n  rules:\n  - host: shop.example.com\n'),
    { name: 'wildcard certificate', yaml: ing('  tls: [{hosts: ["*.example.com"], secretName: w}]\n  rules:\n  - host: a.example.com\n  - host: b.example.com\n') },
    { name: 'tls entry without hosts uses the default certificate', yaml: ing('  tls: [{secretName: default}]\n  rules: [{host: x.example.com}]\n') },
  ],
  invalid: [
    { name: 'no tls', yaml: ing('  rules:\n  - host: shop.example.com\n'), findings: [{ path: '/spec', line: 4, column: 1, message: 'no tls section' }] },
    {
      name: 'host not covered; wildcard covers one label only',
      yaml: ing('  tls: [{hosts: ["*.example.com"], secretName: w}]\n  rules:\n  - host: a.example.com\n  - host: a.b.example.com\n  - host: example.com\n'),
      findings: [
        { path: '/spec/rules/1/host', line: 8, column: 5, message: 'a.b.example.com' },
        { path: '/spec/rules/2/host', line: 9, column: 5, message: 'host example.com' },
      ],
    },
  ],
});
