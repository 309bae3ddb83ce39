// Unified diffs of fixed files, with secret values masked the way reports keep them out: a diff's
// context lines come straight from the user's file, so credentials in them must never be printed.
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, visit, type Node } from 'yaml';
import { looksLikeCredentialName } from '../rules/secrets/env-literal.js';

const MASK = '<redacted>';

/** Keys whose scalar values are secret wherever they appear under them. */
function sensitiveRanges(text: string): [number, number][] | undefined {
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: false });
  } catch {
    return undefined;
  }
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.some((d) => d.errors.length)) return undefined;
  const out: [number, number][] = [];
  const maskAll = (n: unknown) => {
    visit(n as Node, {
      Scalar(_k, s) {
        if (s.range && _k !== 'key') out.push([s.range[0], s.range[1]]);
      },
    });
  };
  for (const doc of list) {
    const kindNode = isMap(doc.contents) ? doc.contents.get('kind', true) : undefined;
    const kind = isScalar(kindNode) ? String(kindNode.value) : undefined;
    visit(doc, {
      Pair(_k, pair, path) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        const parent = path[path.length - 1];
        // env: [{name, value}]: path ends … Pair(env), Seq, Map.
        const envPair = path[path.length - 3];
        const inEnv = isMap(parent) && isSeq(path[path.length - 2]) && isPair(envPair) && isScalar(envPair.key) && String(envPair.key.value) === 'env';
        const top = path.length === 2;
        if ((kind === 'Secret' && top && (key === 'data' || key === 'stringData')) || key === 'kubectl.kubernetes.io/last-applied-configuration' || (inEnv && key === 'value') || (looksLikeCredentialName(key) && isScalar(pair.value))) {
          maskAll(pair.value);
        }
      },
    });
  }
  return out;
}

/** The text with secret values replaced line by line (line count and layout kept, so diffs align). */
export function redactSecrets(text: string): string {
  const ranges = sensitiveRanges(text);
  if (!ranges) {
    // Not YAML (a Helm template): mask values of keys that name a credential.
    return text.replace(/^(\s*(?:-\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=][ \t]*)(\S[^\r\n]*)$/gm, (all, lead: string, key: string) => (looksLikeCredentialName(key) ? lead + MASK : all));
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [s, e] of ranges) {
    if (s < at) continue;
    out += text.slice(at, s) + text.slice(s, e).replace(/[^\r\n]+/g, (seg) => seg.replace(/\S.*\S|\S/, MASK));
    at = e;
  }
  return out + text.slice(at);
}

/** Line diff (Myers): the edit script as kept/removed/added lines. */

export function diffLines(a: string[], b: string[]): { t: ' ' | '-' | '+'; line: string }[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Map<number, number>([[1, 0]]);
  const trace: Map<number, number>[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(new Map(v));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1));
      let x = down ? (v.get(k + 1) ?? 0) : (v.get(k - 1) ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v.set(k, x);
      if (x >= n && y >= m) return backtrack(trace, a, b, d);
    }
  }
  return [];
}

function backtrack(trace: Map<number, number>[], a: string[], b: string[], dEnd: number): { t: ' ' | '-' | '+'; line: string }[] {
  const out: { t: ' ' | '-' | '+'; line: string }[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1));
    const pk = down ? k + 1 : k - 1;
    const px = v.get(pk) ?? 0;
    const py = px - pk;
    while (x > px && y > py && x > (down ? px : px + 1)) out.push({ t: ' ', line: a[--x]! }), y--;
    if (down) out.push({ t: '+', line: b[--y]! });
    else out.push({ t: '-', line: a[--x]! });
  }
  while (x > 0 && y > 0) out.push({ t: ' ', line: a[--x]! }), y--;
  return out.reverse();
}

/** A unified diff with `context` lines around each change; secret values are masked. */
export function unifiedDiff(file: string, before: string, after: string, context = 2): string {
  if (before === after) return '';
  const a = redactSecrets(before).split('\n');
  const b = redactSecrets(after).split('\n');
  const script = diffLines(a, b);
  const out = [`--- ${file}`, `+++ ${file}`];
  let i = 0;
  let ai = 0;
  let bi = 0;
  while (i < script.length) {
    if (script[i]!.t === ' ') {
      i++;
      ai++;
      bi++;
      continue;
    }
    // A hunk: back up `context` lines, run until `2 * context` unchanged lines follow.
    const start = Math.max(0, i - context);
    const back = i - start;
    let end = i;
    let quiet = 0;
    while (end < script.length && quiet <= 2 * context) {
      quiet = script[end]!.t === ' ' ? quiet + 1 : 0;
      end++;
    }
    end = Math.min(script.length, end - Math.max(0, quiet - context));
    const hunk = script.slice(start, end);
    const aLen = hunk.filter((h) => h.t !== '+').length;
    const bLen = hunk.filter((h) => h.t !== '-').length;
    out.push(`@@ -${ai - back + 1},${aLen} +${bi - back + 1},${bLen} @@`);
    for (const h of hunk) out.push(`${h.t}${h.line.replace(/\r$/, '')}`);
    for (const h of script.slice(i, end)) {
      if (h.t !== '+') ai++;
      if (h.t !== '-') bi++;
    }
    i = end;
  }
  return out.join('\n') + '\n';
}
