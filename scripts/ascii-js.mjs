// Makes esbuild's output pure ASCII. esbuild escapes non-ASCII characters in strings, identifiers and
// untagged templates, but leaves them in comments and regular expression literals (`/µs/`, `// a → b`).
// One such character makes V8 decode the whole 3 MB bundle as UTF-8 into a two-byte string at every
// start (~12 ms CPU, twice the memory for the source); pure ASCII is read as one-byte text in ~1 ms
// (src/cli/bundle-loader.ts). In a comment or a regular expression `\uXXXX` means the same as the
// character; in a tagged template's raw text it would not, so a character anywhere but in a comment or
// a regular expression (or a source this small tokenizer cannot follow to its end) leaves the text as
// it is: the bundle is then still correct, only slower to start.

/** Keywords after which `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

const isDigit = (c) => c >= 48 && c <= 57;
/** [A-Za-z0-9_$] */
const isWordChar = (c) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95 || c === 36;

const escape = (ch) => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * `{ text }`: `text` with every non-ASCII UTF-16 unit in a comment or a regular expression literal
 * written as `\uXXXX`. Throws (naming the line) when one is elsewhere.
 */
export function asciiSource(text) {
  const out = [];
  let from = 0;
  /** Replaces the non-ASCII units of text[start, end) (a comment's or a regular expression's). */
  const take = (start, end) => {
    for (let i = start; i < end; i++) {
      if (text.charCodeAt(i) < 0x80) continue;
      // `\µ` (an identity escape) is the character itself: the backslash goes with it.
      let bs = 0;
      while (text.charCodeAt(i - 1 - bs) === 0x5c) bs++;
      const at = bs % 2 ? i - 1 : i;
      out.push(text.slice(from, at), escape(text[i]));
      from = i + 1;
    }
  };
  const fail = (i, what) => {
    const line = text.slice(0, i).split('\n').length;
    throw new Error(`${what} at line ${line}`);
  };
  // What each open `{` or `${` closes back into: code, or the rest of a template.
  const open = [];
  let regexAllowed = true;
  let i = 0;
  const n = text.length;
  /** Reads a template's text from i (just after ` or the } of a ${...}) to its closing ` or its next ${. */
  const templateText = () => {
    for (; i < n; i++) {
      const c = text[i];
      if (c === '\\') i++;
      else if (c === '`') {
        i++;
        regexAllowed = false;
        return;
      } else if (c === '$' && text[i + 1] === '{') {
        i += 2;
        open.push('template');
        regexAllowed = true;
        return;
      } else if (text.charCodeAt(i) >= 0x80) fail(i, 'non-ASCII character in a template');
    }
    fail(n, 'unterminated template');
  };
  while (i < n) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      take(i, stop);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail(i, 'unterminated comment');
      take(i, end);
      i = end + 2;
    } else if (c === '/' && regexAllowed) {
      const start = i;
      let inClass = false;
      for (i++; i < n; i++) {
        const r = text[i];
        if (r === '\\') i++;
        else if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if (r === '/' && !inClass) break;
        else if (r === '\n') fail(start, 'regular expression runs past its line');
      }
      if (i >= n) fail(start, 'unterminated regular expression');
      i++;
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      take(start, i);
      regexAllowed = false;
    } else if (c === '"' || c === "'") {
      for (i++; text[i] !== c; i++) {
        if (i >= n) fail(n, 'unterminated string');
        if (text[i] === '\\') i++;
        else if (text.charCodeAt(i) >= 0x80) fail(i, 'non-ASCII character in a string');
        else if (text[i] === '\n') fail(i, 'string runs past its line');
      }
      i++;
      regexAllowed = false;
    } else if (c === '`') {
      i++;
      templateText();
    } else if (c === '{') {
      open.push('code');
      i++;
      regexAllowed = true;
    } else if (c === '}') {
      if (!open.length) fail(i, 'unbalanced }');
      i++;
      if (open.pop() === 'template') templateText();
      // A block's end may be followed by a regular expression statement, an object literal's by a
      // division; esbuild's output puts neither there. A wrong guess misreads what follows; a non-ASCII
      // character met in code, a string or a template then fails the scan.
      else regexAllowed = true;
    } else if (isWordChar(text.charCodeAt(i))) {
      const start = i;
      while (i < n && (isWordChar(text.charCodeAt(i)) || (text[i] === '.' && isDigit(text.charCodeAt(start))))) i++;
      regexAllowed = BEFORE_REGEX.has(text.slice(start, i)) && text[start - 1] !== '.';
    } else if (text.charCodeAt(i) >= 0x80) {
      fail(i, 'non-ASCII character in code');
    } else if (c === ')' || c === ']') {
      i++;
      regexAllowed = false;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else {
      // Punctuators. After `++`/`--` a `/` divides.
      const incDec = (c === '+' || c === '-') && text[i + 1] === c;
      i += incDec ? 2 : 1;
      regexAllowed = !incDec;
    }
  }
  if (open.length) fail(n, 'unclosed {');
  out.push(text.slice(from));
  return { text: out.join('') };
}
