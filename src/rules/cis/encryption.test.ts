// Tables for the secrets-at-rest rules. Key material in fixtures is fake; messages must never echo it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import secretsCovered from './encryption-secrets-covered.js';
import identityFirst from './encryption-identity-first.js';
import providerStrength from './encryption-provider-strength.js';
import { ruleTable, scanYaml } from '../testing/harness.js';

const KEY = 'c2VjcmV0LWtleS1tYXRlcmlhbC0wMTIzNDU2Nzg5';
const head = 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n';

const KMS_V2 = `${head}resources:
- resources:
  - secrets
  providers:
  - kms:
      apiVersion: v2
      name: vault
      endpoint: unix:///var/run/kms.sock
  - identity: {}
`;
const IDENTITY_FIRST = `${head}resources:
- resources: [secrets, configmaps]
  providers:
  - identity: {}
  - aescbc:
      keys:
      - name: key1
        secret: ${KEY}
- resources: [events]
  providers:
  - identity: {}
`;
const AESCBC = `${head}resources:
- resources: ["*."]
  providers:
  - aescbc:
      keys:
      - name: key1
        secret: ${KEY}
  - identity: {}
`;
const KMS_V1 = `${head}resources:
- resources: [secrets]
  providers:
  - kms:
      name: old
      endpoint: unix:///var/run/kms.sock
`;
const WRONG_TYPES = `${head}resources: "secrets"\n`;

ruleTable(secretsCovered, {
  valid: [KMS_V2, IDENTITY_FIRST, { name: '*. covers core resources', yaml: AESCBC }, { name: '*.* covers everything', yaml: KMS_V2.replace('  - secrets', '  - "*.*"') }],
  invalid: [
    { name: 'only configmaps listed', yaml: KMS_V2.replace('  - secrets', '  - configmaps'), findings: [{ path: '/resources', line: 3, column: 1, message: 'entries cover: configmaps' }] },
    { name: 'secrets.apps is not core secrets', yaml: KMS_V2.replace('  - secrets', '  - secrets.apps'), findings: [{ path: '/resources', line: 3 }] },
    { name: 'wrong types do not crash', yaml: WRONG_TYPES, findings: [{ path: '', line: 1, column: 1 }] },
  ],
});

ruleTable(identityFirst, {
  valid: [KMS_V2, AESCBC, { name: 'other apiVersions are not this kind', yaml: IDENTITY_FIRST.replace('apiserver.config.k8s.io/v1', 'example.com/v1') }],
  invalid: [
    {
      name: 'identity first for secrets (high) and for events (medium)',
      yaml: IDENTITY_FIRST,
      findings: [
        { path: '/resources/0/providers/0', line: 6, column: 5, severity: 'high', message: 'Secrets are written to etcd in plaintext' },
        { path: '/resources/1/providers/0', line: 13, column: 5, severity: 'medium', message: 'identity is the first provider for events' },
      ],
    },
    { name: 'an entry without providers', yaml: `${head}resources:\n- resources: [secrets]\n  providers: []\n`, findings: [{ path: '/resources/0', line: 4, column: 3, message: 'has no providers' }] },
  ],
});

ruleTable(providerStrength, {
  valid: [KMS_V2, { name: 'identity first is the plaintext rule\'s job', yaml: IDENTITY_FIRST }, { name: 'nothing covers secrets', yaml: KMS_V1.replace('[secrets]', '[configmaps]') }],
  invalid: [
    { name: 'aescbc (via *.) is discouraged', yaml: AESCBC, findings: [{ path: '/resources/0/providers/0', line: 6, column: 5, severity: 'medium', message: 'aescbc is discouraged' }] },
    { name: 'KMS without apiVersion is v1', yaml: KMS_V1, findings: [{ path: '/resources/0/providers/0', severity: 'medium', message: 'KMS v1 is deprecated' }] },
    { name: 'secretbox', yaml: AESCBC.replace('aescbc', 'secretbox'), findings: [{ path: '/resources/0/providers/0', severity: 'low', message: 'secretbox keeps the key in this file' }] },
    { name: 'aesgcm', yaml: AESCBC.replace('aescbc', 'aesgcm'), findings: [{ severity: 'low', message: '200,000 writes' }] },
    { name: 'unknown provider fails closed', yaml: AESCBC.replace('aescbc', 'rot13'), findings: [{ severity: 'medium', message: 'not one of identity, aescbc' }] },
  ],
});

test('encryption findings never contain key material', () => {
  for (const rule of [secretsCovered, identityFirst, providerStrength]) {
    for (const yaml of [IDENTITY_FIRST, AESCBC, AESCBC.replace('aescbc', 'rot13')]) {
      for (const f of scanYaml(rule, yaml)) assert.ok(!JSON.stringify(f).includes(KEY), `${rule.meta.id} leaked the key: ${f.message}`);
    }
  }
});
