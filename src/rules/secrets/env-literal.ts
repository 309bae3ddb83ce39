import { defineRule } from '../../engine/rule.js';
import { allContainers, describeContainer, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asArray, asObject, asString } from '../../model/json.js';

/** Name words that mean the value is a credential. */
const SECRET_WORDS = new Set(['PASSWORD', 'PASSWORDS', 'PASSWD', 'PASS', 'PWD', 'SECRET', 'SECRETS', 'TOKEN', 'TOKENS', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'BEARER', 'PASSPHRASE']);
/** Two-word names that mean a key (API_KEY, ACCESS_KEY, PRIVATE_KEY, ...). */
const KEY_QUALIFIERS = new Set(['API', 'ACCESS', 'PRIVATE', 'SECRET', 'SIGNING', 'ENCRYPTION', 'MASTER', 'ACCOUNT', 'SHARED', 'CLIENT', 'LICENSE', 'AUTH']);
/** A last word that says the value is about a credential, not the credential itself (DB_PASSWORD_FILE, TOKEN_URL). */
const NOT_THE_VALUE = new Set([
  'FILE', 'PATH', 'DIR', 'NAME', 'URL', 'URI', 'ENDPOINT', 'HOST', 'PORT', 'TTL', 'EXPIRY', 'EXPIRATION', 'EXPIRES', 'TIMEOUT', 'LENGTH', 'SIZE',
  'ENABLED', 'ENABLE', 'DISABLED', 'DISABLE', 'HEADER', 'TYPE', 'MODE', 'REF', 'ID', 'VERSION', 'COUNT', 'LIMIT', 'PREFIX', 'SUFFIX', 'ISSUER',
  'AUDIENCE', 'SCOPE', 'SCOPES', 'PROVIDER', 'FORMAT', 'ALGORITHM', 'FIELD', 'NAMESPACE', 'MOUNT', 'SOURCE', 'STORE', 'BACKEND', 'KIND', 'KEYS',
  'USER', 'USERNAME', 'LOCATION', 'REGION', 'POLICY', 'INTERVAL', 'PERIOD', 'DURATION', 'REFRESH', 'ROTATION', 'REQUIRED', 'MIN', 'MAX',
]);

/** Splits FOO_BAR, foo-bar, fooBar and foo.bar into upper-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
}

/** Whether an environment variable name says its value is a credential. */
export function looksLikeCredentialName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0) return false;
  if (NOT_THE_VALUE.has(words[words.length - 1]!)) return false;
  // etcd's initial-cluster-token only seeds the cluster and member ids; it grants nothing.
  if (words.slice(-3).join('_') === 'INITIAL_CLUSTER_TOKEN') return false;
  // A lone PWD is the shell's working directory; MYSQL_PWD is a password.
  if (words.length === 1 && words[0] === 'PWD') return false;
  const cloud = /^(AZURE|AWS|GCP|GOOGLE|OCI)$/.test(words[0]!);
  return words.some(
    (w, i) =>
      SECRET_WORDS.has(w) ||
      (w === 'KEY' || w === 'KEYS'
        ? (i > 0 && KEY_QUALIFIERS.has(words[i - 1]!)) || cloud || /^(CONTENT|DATA|MATERIAL|PEM)$/.test(words[i + 1] ?? '')
        : false),
  );
}

/** Values that cannot be a credential: empty, a file path, a $(VAR) reference, a boolean. */
export function looksLikeCredentialValue(value: string): boolean {
  const v = value.trim();
  if (v === '') return false;
  if (/^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(v)) return false;
  if (v.startsWith('/')) return false;
  if (/^(true|false|yes|no|on|off)$/i.test(v)) return false;
  return true;
}

/** A PEM private-key header; dash counts and spacing vary in pasted or mangled keys, so be lenient. */
const PRIVATE_KEY = /-{3,}\s*BEGIN\s+[A-Z0-9 ]*PRIVATE KEY( BLOCK)?\s*-{3,}/i;

export default defineRule({
  meta: {
    id: 'secrets/env-literal',
    title: 'Credential in a literal environment value',
    severity: 'high',
    rationale:
      'A password, token or key written into a manifest is readable by everyone who can read the repository, the rendered chart, the workload object (get deployments) or the pod spec, and it shows up in logs, diffs and crash dumps. It cannot be rotated without a redeploy.',
    remediation:
      'Move the value into a Secret (or an external secret store) and reference it with env[].valueFrom.secretKeyRef, or better mount it as a file; then rotate the exposed credential.',
    references: {
      cis: ['5.4.1', '5.4.2'],
      nsa: ['Network separation and hardening: secrets'],
      mitre: ['T1552.001', 'T1552.007'],
      urls: ['https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables'],
    },
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    for (const c of allContainers(ctx.resource, ['containers', 'initContainers'])) {
      asArray(c.container.env).forEach((e, j) => {
        const env = asObject(e);
        const name = asString(env?.name);
        const value = env?.value;
        if (!env || name === undefined || value === undefined || value === null) return;
        // Numbers and booleans written unquoted are still literal values the API server would reject; treat them as text.
        const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
        if (text === undefined) return;
        const privateKey = PRIVATE_KEY.test(text);
        if (!privateKey && !(looksLikeCredentialName(name) && looksLikeCredentialValue(text))) return;
        // Never put the value, or any part of it, in the message.
        ctx.report({
          message: `${describeContainer(c)} sets env ${name} to a literal ${privateKey ? 'private key' : 'value that looks like a credential'} (value not shown)`,
          path: `${c.path}/env/${j}/value`,
          details: { env: name },
        });
      });
    }
  },
});
