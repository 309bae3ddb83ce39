// What an environment variable's name says about its value (shared by the secrets rules).

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

/**
 * Names judged already (bounded: emptied when full; long names are not kept). Workloads repeat the
 * same few hundred env names (POD_NAME, NAMESPACE, ...) and two rules ask about every one: each
 * answer was a regex replace, a split and a word list.
 */
const judged = new Map<string, boolean>();
const JUDGED_MAX = 4096;

/** Whether an environment variable name says its value is a credential. */
export function looksLikeCredentialName(name: string): boolean {
  let known = judged.get(name);
  if (known === undefined) {
    known = judgeName(name);
    if (name.length <= 128) {
      if (judged.size >= JUDGED_MAX) judged.clear();
      judged.set(name, known);
    }
  }
  return known;
}

function judgeName(name: string): boolean {
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

