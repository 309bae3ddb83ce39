// Escaping of input text for terminals and plain-text reports; a leaf module so the CLI entry point
// can use it for error messages without loading a reporter.

/**
 * Input text (file names, object names, messages quoting values) must not drive the terminal or
 * forge report lines: C0/C1 control characters (ESC, BEL, CR, newline, tab), DEL, the Unicode line
 * and paragraph separators and the bidirectional overrides are shown as visible escapes.
 */
export function terminalSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, (ch) => {
    const named = NAMED_ESCAPES[ch];
    if (named) return named;
    const code = ch.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
