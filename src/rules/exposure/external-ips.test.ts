import { test } from 'node:test';
import assert from 'node:assert/strict';
import rule from './external-ips.js';
import { ruleTable, scanYaml } from '../testing/harness.js';

const yaml = 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80}]\n  externalIPs:\n  - 8.8.8.8\n';

ruleTable(rule, {
  valid: ['apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}], externalIPs: []}\n', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {externalIPs: "1.2.3.4"}\n'],
  invalid: [{ yaml, findings: [{ path: '/spec/externalIPs', line: 6, column: 3, severity: 'high', message: 'CVE-2020-8554' }] }],
});

test('exposure/external-ips: the fix removes the field', () => {
  assert.deepEqual(scanYaml(rule, yaml)[0]!.fix, [{ op: 'remove', path: '/spec/externalIPs' }]);
});
