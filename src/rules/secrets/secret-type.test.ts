import rule from './secret-type.js';
import { ruleTable } from '../testing/harness.js';

const secret = (type: string | undefined, keys: string[]) =>
  `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n${type ? `type: ${type}\n` : ''}data:\n${keys.map((k) => `  ${k}: eA==\n`).join('')}`;

ruleTable(rule, {
  valid: [
    secret('kubernetes.io/tls', ['tls.crt', 'tls.key']),
    secret('kubernetes.io/dockerconfigjson', ['.dockerconfigjson']),
    secret('kubernetes.io/basic-auth', ['password']),
    secret(undefined, ['password']),
  ],
  invalid: [
    { name: 'typed without its keys (the API server rejects it)', yaml: secret('kubernetes.io/tls', ['tls.crt']), findings: [{ path: '/type', message: /no tls.key key/ }] },
    { name: 'Opaque holding registry credentials', yaml: secret('Opaque', ['.dockerconfigjson']), findings: [{ path: '/type', message: /kubernetes.io\/dockerconfigjson/ }] },
    { name: 'untyped (Opaque) TLS pair', yaml: secret(undefined, ['tls.crt', 'tls.key']), findings: [{ path: '', message: /kubernetes.io\/tls/ }] },
  ],
});
