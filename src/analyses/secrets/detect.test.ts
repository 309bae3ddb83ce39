// Each detector with values it must find and look-alikes it must not (placeholders, references, docs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectSecret, detectSecretExhaustive, DETECTOR_IDS, isPlaceholder } from './detect.js';

// Built at run time so no credential-shaped literal sits in the repository for scanners to trip on.
const j = (...p: string[]) => p.join('');
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const JWT = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: 'ci', iat: 1700000000 })}.${'Qm9ndXNTaWduYXR1cmVfMTIzNDU2Nzg5'}`;
const UNSIGNED = `${b64url({ alg: 'none' })}.${b64url({ sub: 'x', iat: 1 })}.${'AAAAAAAAAAAAAAAAAAAA'}`;
const KEY_BODY = 'MIIEowIBAAKCAQEA7x9Qz3k1mJ8s2vN0pL4rT6yU8wE1qA3sD5fG7hJ9kL2zX4cV6bN8mQ0wR2tY4uI6oP8aS0dF';

const TRUE: [string, string][] = [
  ['private-key', `${j('-----BEGIN ', 'RSA PRIVATE KEY-----')}\n${KEY_BODY}\n${j('-----END ', 'RSA PRIVATE KEY-----')}`],
  ['aws-access-key', j('AKIA', 'QZ7RX3M2KD5WVB4N')],
  ['aws-secret-key', `aws_secret_access_key = ${j('wJ7rXUtnFEMI/K7MDENG/bPxR', 'fiCYzQ8vK3pL9sT')}`],
  ['gcp-service-account', `{"type": "service_account", "project_id": "p", "private_key": "${j('-----BEGIN ', 'PRIVATE KEY-----')}\\nMIIE"}`],
  ['azure-storage-key', `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + 11) % 256)).toString('base64')}`],
  ['slack-webhook', j('https://hooks.slack.com/services/', 'T02ABCDEF/B03GHIJKL/', 'q8Zr4Lm2Vx7Nk3Pw9Ts1')],
  ['github-token', j('ghp_', 'R7kT2mQ9xV4nB8cL1pZ6wJ3sD5fH0gY2aE4u')],
  ['gitlab-token', j('glpat-', 'Xk29Qm7vLp3Rt8Nw4Bz6')],
  ['slack-token', j('xoxb-', '2498317456-7834561209-Kq8Rm3Zt9Vw2Xy5Lp1Nb4Cd')],
  ['stripe-key', j('sk_live_', '4eC39HqLyjWDarjtT1zdp7dc')],
  ['jwt', `Authorization: Bearer ${JWT}`],
  ['kubeconfig-credential', `users:\n- name: admin\n  user:\n    client-key-data: ${'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFb3dJQkFBS0NBUUVB'}`],
  ['docker-config-auth', `{"auths": {"registry.example.org": {"auth": "${Buffer.from('robot:Zq8xK2mV9pL4rT7w').toString('base64')}"}}}`],
  ['basic-auth-url', 'postgres://app:Zq8xK2mV9pL4@db.internal:5432/app'],
  ['password-assignment', '--db-password=Zq8xK2mV9pL4rT7w'],
];

const FALSE: [string, string][] = [
  ['AWS documentation example key', j('AKIA', 'IOSFODNN7EXAMPLE')],
  ['env var reference', 'password=${DB_PASSWORD}'],
  ['kubectl-style reference', 'token: $(TOKEN)'],
  ['Helm template', 'password: {{ .Values.password }}'],
  ['angle-bracket placeholder', 'postgres://app:<password>@db:5432/app'],
  ['changeme', 'password=changeme123'],
  ['public key only', `${j('-----BEGIN ', 'PUBLIC KEY-----')}\n${KEY_BODY}\n${j('-----END ', 'PUBLIC KEY-----')}`],
  ['unsigned JWT (alg none)', UNSIGNED],
  ['a path, not a password', '--password-file=/etc/secret/pw'],
  ['URL without a password', 'https://user@example.org/repo.git'],
  ['low-entropy word', 'password=correcthorsebattery'],
  ['SOPS ciphertext', 'ENC[AES256_GCM,data:Tm90QVNlY3JldA==,iv:abc,tag:def,type:str]'],
  ['private key marker in docs', `${j('-----BEGIN ', 'RSA PRIVATE KEY-----')}\n...\n${j('-----END ', 'RSA PRIVATE KEY-----')}`],
  ['kubeconfig with a file path', 'client-key: /etc/kubernetes/pki/admin.key'],
];

for (const [id, text] of TRUE) {
  test(`detector ${id}: finds it, names it, never returns the value`, () => {
    const m = detectSecret(text);
    assert.equal(m?.detector, id, `detected as ${m?.detector}`);
    assert.match(m!.fingerprint, /^[0-9a-f]{6}$/);
    assert.ok(!JSON.stringify(m).includes(text.slice(-12)), 'no part of the value in the match');
  });
}

for (const [why, text] of FALSE) {
  test(`detectors: not a secret (${why})`, () => assert.equal(detectSecret(text)?.detector, undefined));
}

test('every detector has a true case', () => {
  assert.deepEqual([...DETECTOR_IDS].sort(), [...new Set(TRUE.map(([id]) => id))].sort());
  assert.ok(isPlaceholder('${VAR}') && isPlaceholder('<password>') && isPlaceholder('changeme') && !isPlaceholder('Zq8xK2mV9pL4'));
});

test('assignment detectors: every key word in any case and quoting is let through by the pre-check', () => {
  const words = ['password', 'passwd', 'pwd', 'secret', 'token', 'api_key', 'api-key', 'apikey', 'access_key', 'accesskey', 'client_secret', 'auth-token', 'aws_secret_access_key'];
  const value = 'Zq8xK2mV9pL4rT7wQ3nB5cD8fG1hJ6kL0mN2pQ4s';
  let agree = 0;
  let found = 0;
  let total = 0;
  for (const w of words) {
    for (const k of [w, w.toUpperCase(), w[0]!.toUpperCase() + w.slice(1), w.replace(/[a-z]$/, (c) => c.toUpperCase())]) {
      for (const text of [`${k}=${value}`, `"${k}": "${value}"`, `${k}' : '${value}'`, `--db-${k} ${value}`, `x ${k}\t:\t${value}`]) {
        total++;
        const fast = detectSecret(text);
        if (fast) found++;
        if (JSON.stringify(fast) === JSON.stringify(detectSecretExhaustive(text))) agree++;
      }
    }
  }
  console.log(`assignment texts: ${agree}/${total} agree with every full pattern, ${found} recognised`);
  assert.equal(agree, total);
  assert.ok(found > total / 2);
});
