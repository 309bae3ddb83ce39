// Reads the kubelet's command line out of systemd units and environment files, keeping the file,
// line and column of every argument. Pure: text in, data out (node-root.ts does the reading).
export interface TextPos {
  file: string;
  line: number;
  column: number;
}

export interface Assignment {
  value: string;
  /** Position of the value's first character. */
  pos: TextPos;
  /** Position of every character, when the value spans continuation lines. */
  positions?: TextPos[];
}

export interface UnitInfo {
  env: Map<string, Assignment>;
  envFiles: { path: string; optional: boolean; pos: TextPos }[];
  /** The last ExecStart= of the file; null when the file resets it (`ExecStart=`). */
  execStart?: Assignment | null;
}

interface LogicalLine {
  text: string;
  pos: TextPos[];
}

/** Joins backslash-continued lines, remembering where each character came from. */
function logicalLines(text: string, file: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let cur: LogicalLine | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const cont = /\\\s*$/.test(raw);
    const body = cont ? raw.replace(/\\\s*$/, ' ') : raw;
    if (!cur) cur = { text: '', pos: [] };
    for (let c = 0; c < body.length; c++) {
      cur.text += body[c];
      cur.pos.push({ file, line, column: c + 1 });
    }
    if (!cont) {
      out.push(cur);
      cur = undefined;
    }
  });
  if (cur) out.push(cur);
  return out;
}

interface Word {
  text: string;
  pos: TextPos;
}

/** Splits on whitespace, honouring "double" and 'single' quotes (which are removed). */
function words(text: string, posAt: (i: number) => TextPos): Word[] {
  const out: Word[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const start = i;
    let w = '';
    let firstChar = -1;
    while (i < text.length && !/\s/.test(text[i]!)) {
      const ch = text[i]!;
      if (ch === '"' || ch === "'") {
        const end = text.indexOf(ch, i + 1);
        const stop = end === -1 ? text.length : end;
        if (firstChar === -1 && stop > i + 1) firstChar = i + 1;
        w += text.slice(i + 1, stop);
        i = stop + 1;
      } else {
        if (firstChar === -1) firstChar = i;
        w += ch;
        i++;
      }
    }
    out.push({ text: w, pos: posAt(firstChar === -1 ? start : firstChar) });
  }
  return out;
}

function at(l: LogicalLine, i: number): TextPos {
  return l.pos[Math.min(i, l.pos.length - 1)] ?? { file: '', line: 1, column: 1 };
}

/** Parses the [Service] settings the kubelet's command line depends on. */
export function parseUnit(text: string, file: string): UnitInfo {
  const info: UnitInfo = { env: new Map(), envFiles: [] };
  let section = '';
  for (const l of logicalLines(text, file)) {
    const trimmed = l.text.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const sec = /^\[(.+)\]$/.exec(trimmed);
    if (sec) {
      section = sec[1]!;
      continue;
    }
    if (section !== 'Service') continue;
    const eq = l.text.indexOf('=');
    if (eq === -1) continue;
    const key = l.text.slice(0, eq).trim();
    let vStart = eq + 1;
    while (vStart < l.text.length && /\s/.test(l.text[vStart]!)) vStart++;
    const value = l.text.slice(vStart).trimEnd();
    if (key === 'Environment') {
      for (const w of words(value, (i) => at(l, vStart + i))) {
        const e = w.text.indexOf('=');
        if (e <= 0) continue;
        info.env.set(w.text.slice(0, e), { value: w.text.slice(e + 1), pos: { ...w.pos, column: w.pos.column + e + 1 } });
      }
    } else if (key === 'EnvironmentFile') {
      if (!value) continue;
      const optional = value.startsWith('-');
      info.envFiles.push({ path: optional ? value.slice(1) : value, optional, pos: at(l, vStart) });
    } else if (key === 'ExecStart') {
      info.execStart = value ? { value, pos: at(l, vStart), positions: l.pos.slice(vStart, vStart + value.length) } : null;
    }
  }
  return info;
}

/** `KEY=value` / `KEY="value"` lines of an EnvironmentFile (kubeadm-flags.env, /etc/default/kubelet). */
export function parseEnvFile(text: string, file: string): Map<string, Assignment> {
  const env = new Map<string, Assignment>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const m = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(raw);
    if (!m || raw.trim().startsWith('#')) return;
    let value = m[3]!.trim();
    let col = m[1]!.length + m[2]!.length + 2 + (m[3]!.length - m[3]!.trimStart().length);
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
      value = value.slice(1, -1);
      col++;
    }
    env.set(m[2]!, { value, pos: { file, line: i + 1, column: col } });
  });
  return env;
}

export interface ArgToken {
  value: string;
  pos: TextPos;
}

/**
 * Expands an ExecStart line with the environment: a word that is only `$VAR` or `${VAR}` becomes the
 * variable's words (each keeping its own position in the file that set it), as systemd does.
 */
export function expandExecStart(exec: Assignment, env: Map<string, Assignment>): ArgToken[] {
  const line: LogicalLine = { text: exec.value, pos: exec.positions ?? [...exec.value].map((_, i) => ({ ...exec.pos, column: exec.pos.column + i })) };
  const out: ArgToken[] = [];
  // systemd prefixes such as "-" or "@" on the executable are not part of the command
  const ws = words(exec.value.replace(/^[-@:+!]+/, (m) => ' '.repeat(m.length)), (i) => at(line, i));
  for (const w of ws) {
    const whole = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(w.text);
    if (whole) {
      const a = env.get(whole[1] ?? whole[2]!);
      if (!a) continue;
      const vl: LogicalLine = { text: a.value, pos: [...a.value].map((_, i) => ({ ...a.pos, column: a.pos.column + i })) };
      for (const x of words(a.value, (i) => at(vl, i))) out.push({ value: x.text, pos: x.pos });
      continue;
    }
    const value = w.text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a: string | undefined, b: string | undefined) => env.get(a ?? b!)?.value ?? '');
    out.push({ value, pos: w.pos });
  }
  return out;
}
