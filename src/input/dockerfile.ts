// A small Dockerfile/Containerfile reader: instructions with their line numbers, continuation
// lines (the `# escape=` directive honoured), comments inside continuations, and heredocs.
// It produces one Resource of the synthetic kind `Dockerfile` whose locator maps
// `/instructions/N` to the instruction's line.
import path from 'node:path';
import type { JsonObject, Location, Resource } from '../model/types.js';
import { DOCKERFILE_API_VERSION, DOCKERFILE_KIND } from '../model/dockerfile.js';

/** `Dockerfile`, `Containerfile`, `Dockerfile.prod`, `app.Dockerfile` (not `Dockerfile.dockerignore`). */
export function isContainerfileName(name: string): boolean {
  const base = path.basename(name);
  if (/\.dockerignore$/i.test(base) || /\.(ya?ml|json|md|txt)$/i.test(base)) return false;
  return /^(Dockerfile|Containerfile)(\.[\w.-]+)?$/.test(base) || /\.(Dockerfile|Containerfile)$/i.test(base);
}

interface Parsed {
  instruction: string;
  value: string;
  line: number;
  stage: number;
}

export function parseDockerfile(text: string): Parsed[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let escape = '\\';
  // Parser directives come first, before any comment, blank line or instruction.
  for (const l of lines) {
    const m = /^#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(l);
    if (!m) break;
    if (m[1]!.toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }
  const out: Parsed[] = [];
  let stage = -1;
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!;
    if (/^\s*(#|$)/.test(first)) continue;
    const startLine = i + 1;
    let joined = '';
    let cur = first;
    // Continuation: a line ending in the escape character goes on, skipping comment and blank lines.
    for (;;) {
      const t = cur.replace(/\s+$/, '');
      if (t.endsWith(escape) && i + 1 < lines.length) {
        joined += t.slice(0, -1) + ' ';
        i++;
        while (i < lines.length - 1 && /^\s*(#.*)?$/.test(lines[i]!)) i++;
        cur = lines[i]!;
        continue;
      }
      joined += t;
      break;
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(joined);
    if (!m) continue;
    const instruction = m[1]!.toUpperCase();
    let value = m[2]!.trim();
    // Heredocs (RUN <<EOF ... EOF): the body is part of the instruction.
    for (const h of value.matchAll(/<<(-?)["']?([A-Za-z_][A-Za-z0-9_]*)["']?/g)) {
      const body: string[] = [];
      while (i + 1 < lines.length) {
        const l = lines[++i]!;
        if ((h[1] ? l.replace(/^\t+/, '') : l) === h[2]) break;
        body.push(l);
      }
      value += '\n' + body.join('\n');
    }
    if (instruction === 'FROM') stage++;
    out.push({ instruction, value, line: startLine, stage: Math.max(stage, 0) });
  }
  return out;
}

export function dockerfileResource(text: string, file: string): Resource {
  const instructions = parseDockerfile(text);
  const object: JsonObject = {
    apiVersion: DOCKERFILE_API_VERSION,
    kind: DOCKERFILE_KIND,
    metadata: { name: file },
    instructions: instructions.map((p) => ({ instruction: p.instruction, value: p.value, line: p.line, stage: p.stage })),
  };
  const locate = (pointer: string): Location => {
    const n = /^\/instructions\/(\d+)/.exec(pointer);
    const ins = n ? instructions[Number(n[1])] : undefined;
    return { file, line: ins?.line ?? 1, column: 1, path: pointer };
  };
  return { apiVersion: DOCKERFILE_API_VERSION, kind: DOCKERFILE_KIND, name: file, labels: {}, annotations: {}, object, file, docIndex: 0, basePath: '', locator: { locate } };
}
