import rule, { looksLikeCredentialName } from './env-literal.js';
import { ruleTable, scanYaml } from '../testing/harness.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const PASSWORD_VALUE = 'hunter2-Very-Secret';
const withEnv = (env: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: a:1\n    env:\n${env}`;

ruleTable(rule, {
  valid: [
    {
      name: 'credentials from Secrets, and names that only talk about a credential',
      yaml: withEnv(`    - name: DB_PASSWORD
      valueFrom: {secretKeyRef: {name: db, key: password}}
    - {name: POSTGRES_PASSWORD_FILE, value: /run/secrets/pg}
    - {name: TOKEN_URL, value: "https://auth.example.com/token"}
    - {name: SECRET_NAME, value: my-secret}
    - {name: TOKEN_TTL, value: "3600"}
    - {name: AWS_ACCESS_KEY_ID, value: AKIAEXAMPLE}
    - {name: PWD, value: /app}
    - {name: ETCD_INITIAL_CLUSTER_TOKEN, value: etcd-cluster-1}
    - {name: API_PASSWORD, value: "$(FROM_SECRET)"}
    - {name: ADMIN_PASSWORD, value: ""}
    - {name: KEYCLOAK_TOKEN_ENABLED, value: "true"}
`),
    },
    { name: 'mistyped env does not crash', yaml: withEnv('    - "PASSWORD=x"\n    - {name: 42, value: x}\n') },
  ],
  invalid: [
    {
      name: 'kube-linter env-var-secret and polaris sensitiveContainerEnvVar shapes; points at the value',
      yaml: withEnv(`    - name: SECRET_BLAH
      value: "${PASSWORD_VALUE}"
    - name: dbPassword
      value: ${PASSWORD_VALUE}
    - {name: AZURE_BATCH_KEY, value: abc}
    - {name: STRIPE_API_KEY, value: sk_live_x}
    - {name: GF_SECURITY_ADMIN_PASSWORD, value: admin}
`),
      findings: [
        { path: '/spec/containers/0/env/0/value', line: 10, column: 7, message: 'container "app" sets env SECRET_BLAH to a literal value that looks like a credential (value not shown)' },
        { path: '/spec/containers/0/env/1/value', line: 12, column: 7, message: 'env dbPassword' },
        { path: '/spec/containers/0/env/2/value', line: 13, column: 31, message: 'AZURE_BATCH_KEY' },
        { path: '/spec/containers/0/env/3/value', line: 14, column: 30, message: 'STRIPE_API_KEY' },
        { path: '/spec/containers/0/env/4/value', line: 15, column: 42, message: 'GF_SECURITY_ADMIN_PASSWORD' },
      ],
    },
    {
      name: 'a private key is a credential whatever the name; unquoted numbers are literals too',
      yaml: withEnv(`    - name: TLS_DATA
      value: "-----BEGIN RSA PRIVATE KEY-----\\nMIIB..."
    - name: MYSQL_PWD
      value: 123456
`),
      findings: [
        { path: '/spec/containers/0/env/0/value', line: 10, message: 'literal private key' },
        { path: '/spec/containers/0/env/1/value', line: 12, message: 'MYSQL_PWD' },
      ],
    },
  ],
});

test('secrets/env-literal: no finding, message or detail ever contains the value', () => {
  const found = scanYaml(rule, withEnv(`    - {name: DB_PASSWORD, value: "${PASSWORD_VALUE}"}\n    - {name: KEY, value: "-----BEGIN PRIVATE KEY-----${PASSWORD_VALUE}"}\n`));
  assert.equal(found.length, 2);
  for (const f of found) assert.ok(!JSON.stringify(f).includes(PASSWORD_VALUE), `value leaked: ${JSON.stringify(f)}`);
});

test('secrets/env-literal: name heuristics', () => {
  const yes = ['PASSWORD', 'db_password', 'REDIS_PASS', 'GITHUB_TOKEN', 'apiKey', 'API_KEY', 'AWS_SECRET_ACCESS_KEY', 'PRIVATE_KEY', 'OCI_CLI_KEY_CONTENT', 'CLIENT_SECRET', 'MYSQL_PWD', 'REGISTRY_CREDENTIALS'];
  const no = ['PATH', 'HOME', 'PWD', 'PASSWORD_FILE', 'TOKEN_PATH', 'SECRET_NAME', 'KEY', 'KEYCLOAK_URL', 'TOKENIZER', 'PASSTHROUGH', 'MONKEY', 'PUBLIC_KEY', 'ETCD_INITIAL_CLUSTER_TOKEN'];
  for (const n of yes) assert.ok(looksLikeCredentialName(n), `${n} should look like a credential`);
  for (const n of no) assert.ok(!looksLikeCredentialName(n), `${n} should not look like a credential`);
});

test('credential names are judged the same when asked again, past the bound of names kept', () => {
  const names = ['DB_PASSWORD', 'DB_PASSWORD_FILE', 'PWD', 'MYSQL_PWD', 'AWS_KEY', 'API_KEY', 'POD_NAME', 'apiKey', 'INITIAL_CLUSTER_TOKEN'];
  const first = names.map((n) => looksLikeCredentialName(n));
  assert.deepEqual(first, [true, false, false, true, true, true, false, true, false]);
  for (let i = 0; i < 5000; i++) looksLikeCredentialName(`VAR_${i}_TOKEN`);
  assert.deepEqual(names.map((n) => looksLikeCredentialName(n)), first);
  assert.equal(looksLikeCredentialName(`${'X_'.repeat(100)}SECRET`), true);
  assert.equal(looksLikeCredentialName(`${'X_'.repeat(100)}SECRET`), true);
});
