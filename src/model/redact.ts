// Redaction of free text that may quote secret values: renderer error messages (helm, kustomize),
// diffs, log lines. Error text from other programs has no schema, so this goes by what a secret
// looks like where it appears: the value of a credential-named key, the whole of a Secret's data or
// of a last-applied-configuration copy, a value a schema check quotes, and well-known token shapes.

/** What replaces a redacted value. */
export const REDACTED = '[redacted]';

/** Key names whose value is a credential (`dbPassword`, `api_key`, `token`, `client-secret`, ...). */
const CREDENTIAL_KEY = /(pass(word|wd|phrase)?|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|auth)/i;
/** Names that say the value is about a credential, not the credential itself. */
const ABOUT_THE_KEY = /(name|ref|path|file|url|uri|mode|type|namespace|kind|length|ttl|id|\.(ya?ml|json|txt|env))$/i;

/** Well-known token shapes, wherever they appear. */
const TOKEN_SHAPES: RegExp[] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|$)/g,
  /\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g,
  /\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\b(sk|rk)_live_[0-9A-Za-z]{16,}\b/g,
];
/** An HTTP bearer credential keeps its scheme word. */
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]{8,}=*/g;

/** Index just past the bracket that closes the one at `open` (or the end of the text). */
function closing(text: string, open: number): number {
  const o = text[open]!;
  const c = o === '{' ? '}' : ']';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === o) depth++;
    else if (text[i] === c && --depth === 0) return i + 1;
  }
  return text.length;
}

/** Replaces the bracketed value after each match of `lead` (whose last character is `{` or `[`). */
function redactBracketed(text: string, lead: RegExp): string {
  let out = '';
  let from = 0;
  for (let m = lead.exec(text); m; m = lead.exec(text)) {
    const open = m.index + m[0].length - 1;
    if (open < from) continue;
    const end = closing(text, open);
    out += text.slice(from, open + 1) + REDACTED + text[end - 1];
    from = end;
    lead.lastIndex = end;
  }
  return out + text.slice(from);
}

/** A quoted or bare value at the start of `s`: `\"x\"` (inside a quoted string), `"x"`, `'x'`, or up to a delimiter. */
function valueLength(s: string): number {
  if (s.startsWith('\\"')) {
    const end = s.indexOf('\\"', 2);
    return end < 0 ? s.length : end + 2;
  }
  const q = s[0];
  if (q === '"' || q === "'") {
    for (let i = 1; i < s.length; i++) {
      if (s[i] === '\\' && q === '"') i++;
      else if (s[i] === q) return i + 1;
    }
    return s.length;
  }
  const m = /^[^\s,;}\])"'\\]*/.exec(s);
  return m ? m[0].length : 0;
}

/**
 * The text with secret values replaced by REDACTED. `known` are values the caller knows to be
 * secret (e.g. `--set` values); they are removed wherever they appear.
 */
export function redactText(text: string, known: readonly string[] = []): string {
  let t = text;
  for (const k of known) if (k.length >= 4) t = t.split(k).join(REDACTED);
  for (const re of TOKEN_SHAPES) t = t.replace(re, REDACTED);
  t = t.replace(BEARER, `$1 ${REDACTED}`);
  // A whole object copied into an annotation, and the data of Secrets (JSON, YAML flow or Go map dumps).
  t = redactBracketed(t, /last-applied-configuration[\\"']*\s*[:=]\s*['"\\]*(?:map)?[{[]/g);
  t = redactBracketed(t, /\b(?:string|binary)?[dD]ata[\\"']*\s*[:=]\s*(?:map)?[{[]/g);
  // A schema check quoting the offending value: `at '/dbPassword': 'the value' does not match ...`.
  t = t.replace(/(\bat '[^'\n]*': )'(?:[^'\\\n]|\\.)*'/g, `$1'${REDACTED}'`);
  // `key: value`, `key=value`, `"key":"value"`, `\"key\":\"value\"` for credential-named keys.
  let out = '';
  let from = 0;
  const keyRe = /(?<![/\w.-])([A-Za-z0-9_.-]+)(\\?["']?)([ \t]*[:=][ \t]*)/g;
  for (let m = keyRe.exec(t); m; m = keyRe.exec(t)) {
    const key = m[1]!;
    if (!CREDENTIAL_KEY.test(key) || ABOUT_THE_KEY.test(key)) continue;
    const at = m.index + m[0].length;
    const rest = t.slice(at);
    if (rest.startsWith(REDACTED) || /^[{[]|^map\[/.test(rest)) continue;
    const len = valueLength(rest);
    if (len === 0) continue;
    const quoted = /^(\\"|["'])/.exec(rest)?.[1];
    out += t.slice(from, at) + (quoted ? `${quoted}${REDACTED}${quoted}` : REDACTED);
    from = at + len;
    keyRe.lastIndex = from;
  }
  return out + t.slice(from);
}
