import rule from './committed-secret.js';
import { ruleTable } from '../testing/harness.js';

const secret = (body: string, type = 'Opaque') => `apiVersion: v1\nkind: Secret\nmetadata: {name: db}\ntype: ${type}\n${body}`;

ruleTable(rule, {
  valid: [
    { name: 'no data: filled by a controller or a secret store', yaml: secret('', 'kubernetes.io/service-account-token') },
    { name: 'placeholders only', yaml: secret('stringData:\n  password: changeme\n  token: "${TOKEN}"\n  empty: ""\n') },
    { name: 'SOPS-encrypted file', yaml: secret('data:\n  password: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]\nsops:\n  version: 3.9.0\n') },
  ],
  invalid: [
    {
      name: 'base64 data and stringData; the value is never shown',
      yaml: secret('data:\n  password: WnE4eEsybVY5cEw0clQ3dw==\nstringData:\n  url: postgres://db:5432\n'),
      findings: [{ path: '/data/password', message: /commits 2 values \(password, url\).*values not shown/ }],
    },
  ],
});
