// Credentials recognised by their value, wherever a manifest can hold one. Pure: text in, matches out.
// A match never carries the value: only the detector, and a short fingerprint to tell two apart.
import { createHash } from '../../model/digest.js';

export interface SecretMatch {
  /** Stable detector id, e.g. `aws-access-key`. */
  detector: string;
  /** What was found, for messages: "an AWS access key id". */
  what: string;
  /** First 6 hex digits of the value's SHA-256: enough to tell findings apart, too short to confirm a guess. */
  fingerprint: string;
}

/** Values that stand for a credential without being one: templates, references, examples. */
export function isPlaceholder(v: string): boolean {
  const s = v.trim();
  if (s.length < 6) return true;
  if (/^(\$\{[^}]*\}|\$\([^)]*\)|\{\{.*\}\}|<[^>]*>|%[A-Za-z_]+%|\[\[.*\]\])$/.test(s)) return true;
  if (/\$\{[^}]+\}|\{\{[^}]+\}\}|\$\([A-Za-z_][A-Za-z0-9_]*\)/.test(s) && !/-----BEGIN/.test(s)) return true;
  if (/example|changeme|change[-_]me|replace[-_ ]?me|placeholder|your[-_]|dummy|sample|redacted|fixme|todo|xxxx|\*\*\*\*|not[-_]a[-_]real|fake/i.test(s)) return true;
  if (/^(.)\1+$/.test(s)) return true;
  if (/^(password|passw0rd|secret|token|admin|root|test|default|none|null|undefined|changeit|pass|letmein)\d*$/i.test(s)) return true;
  return false;
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

function fingerprintOf(v: string): string {
  return createHash('sha256').update(v).digest('hex').slice(0, 6);
}

interface Detector {
  id: string;
  what: string;
  /**
   * Case-sensitive text that every match of the pattern holds: the cheap pre-check (a case-insensitive
   * expression costs several times more to run over long values than the exact one).
   */
  hint: RegExp;
  /** Returns the matched credential text (for the fingerprint), or undefined. */
  find(text: string): string | undefined;
}

const re = (id: string, what: string, hint: RegExp, pattern: RegExp, group = 0, ok: (m: string) => boolean = (m) => !isPlaceholder(m)): Detector => {
  // One global expression per detector, scanned with exec from 0: every value of every object is
  // checked by every detector, and a fresh or cloned RegExp per call was most of the cost.
  const g = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
  return {
    id,
    what,
    hint,
    find: (t) => {
      g.lastIndex = 0;
      for (let m = g.exec(t); m; m = g.exec(t)) {
        const v = m[group];
        if (v && ok(v)) return v;
        if (m[0] === '') g.lastIndex++;
      }
      return undefined;
    },
  };
};

function jwtOk(token: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    return typeof header.alg === 'string' && header.alg.toLowerCase() !== 'none';
  } catch {
    return false;
  }
}

const GENERIC_KEY = '(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|client[_-]?secret|auth[_-]?token)';

/**
 * The last three letters of every GENERIC_KEY word (and of aws_secret_access_key), in either case
 * (ASCII only, as the non-unicode `i` flag matches), then the assignment: JSON and configuration
 * text is full of `"id":` and `hidden:`, which a last letter alone let through to the
 * case-insensitive patterns.
 */
const ASSIGNED = /(?:[oO][rR][dD]|[sSpP][wW][dD]|[rR][eE][tT]|[kK][eE][nNyY])["']?\s*[:=]/;

/** Ordered most specific first: a value is reported under the first detector that recognises it. */
const DETECTORS: Detector[] = [
  re('private-key', 'a private key', /-----BEGIN/, /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]{20,}?-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/, 0, (m) => !/\.\.\.|<|EXAMPLE/i.test(m)),
  re('aws-access-key', 'an AWS access key id', /AKIA|ASIA|ABIA|ACCA/, /\b((?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})\b/, 1),
  re('aws-secret-key', 'an AWS secret access key', ASSIGNED, /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/i, 1),
  re('gcp-service-account', 'a GCP service-account key', /service_account/, /"type"\s*:\s*"service_account"[\s\S]*?"private_key"\s*:\s*"-----BEGIN/),
  re('azure-storage-key', 'an Azure storage account key', /AccountKey=/, /AccountKey=([A-Za-z0-9+/]{86}==)/, 1),
  re('github-token', 'a GitHub token', /gh[pousr]_|github_pat_/, /\b(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b/, 1),
  re('gitlab-token', 'a GitLab token', /glpat-/, /\b(glpat-[A-Za-z0-9_-]{20,})\b/, 1),
  re('slack-token', 'a Slack token', /xox[abprs]-/, /\b(xox[abprs]-[A-Za-z0-9-]{10,})\b/, 1),
  re('slack-webhook', 'a Slack webhook URL', /hooks\.slack\.com/, /(https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,})/, 1),
  re('stripe-key', 'a Stripe secret key', /_live_/, /\b((?:sk|rk)_live_[A-Za-z0-9]{20,})\b/, 1),
  re('jwt', 'a JSON Web Token', /eyJ/, /\b(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})\b/, 1, jwtOk),
  re('kubeconfig-credential', 'a kubeconfig with client credentials', /client-(?:key|certificate)-data/, /\b(?:client-key-data|client-certificate-data)\s*:\s*([A-Za-z0-9+/=]{40,})/, 1),
  re('docker-config-auth', 'a registry credential (docker config)', /"auths?"/, /"auths?"\s*:\s*\{[\s\S]*?"auth"\s*:\s*"([A-Za-z0-9+/=]{12,})"/, 1, (m) => {
    const d = Buffer.from(m, 'base64').toString('utf8');
    const pw = d.slice(d.indexOf(':') + 1);
    return d.includes(':') && !isPlaceholder(pw);
  }),
  re('basic-auth-url', 'a password in a URL', /:\/\/[^\s:/@"'<>]{1,64}:[^\s/@"'<>]{3,128}@/, /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@"'<>]{1,64}:([^\s/@"'<>]{3,128})@[A-Za-z0-9.-]+/i, 1, (pw) => !isPlaceholder(pw) && !/^\$/.test(pw) && pw !== 'password'),
  re('password-assignment', 'a password or token assigned in text', ASSIGNED, new RegExp(`${GENERIC_KEY}["']?\\s*[:=]\\s*["']?([^\\s"'&;,<>{}]{8,128})`, 'i'), 1, (v) => !isPlaceholder(v) && entropy(v) >= 3.2 && /\d/.test(v) && /[A-Za-z]/.test(v) && !/^[a-z]+(?:[-_.][a-z]+)*$/i.test(v) && !v.startsWith('/')),
];

/** Every detector's hint in one expression: it matches whenever any hint does. */
const ANY_HINT = new RegExp([...new Set(DETECTORS.map((d) => d.hint.source))].join('|'));

/** The first credential recognised in `text`, or undefined. */
export function detectSecret(text: string): SecretMatch | undefined {
  // Most values hold none of the detectors' literals: one pass over the text rules them all out.
  return text.length < 8 || !ANY_HINT.test(text) ? undefined : detect(text, true);
}

/** `detectSecret` without the pre-checks: every detector's full pattern on every text. The reference, for tests. */
export function detectSecretExhaustive(text: string): SecretMatch | undefined {
  return text.length < 8 ? undefined : detect(text, false);
}

function detect(text: string, hinted: boolean): SecretMatch | undefined {
  // SOPS-encrypted values are ciphertext, not secrets. (`\s` is the set trim() removes; no copy of a long value.)
  if (/^\s*ENC\[[A-Z0-9_]+,data:/.test(text)) return undefined;
  for (const d of DETECTORS) {
    if (hinted && !d.hint.test(text)) continue;
    const v = d.find(text);
    if (v !== undefined) return { detector: d.id, what: d.what, fingerprint: fingerprintOf(v) };
  }
  return undefined;
}

/** Detector ids, for documentation and tests. */
export const DETECTOR_IDS = DETECTORS.map((d) => d.id);

/** A standalone value that is itself a credential by its name's meaning: high-entropy, not a placeholder. */
export function looksLikeSecretValue(v: string): boolean {
  return !isPlaceholder(v) && v.length >= 8 && entropy(v) >= 3.0;
}
