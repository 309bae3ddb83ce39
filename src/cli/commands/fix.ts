// `rampart fix`: applies the fix ops of findings to the files users edit (plain manifests, Helm values
// files and templates, Kustomize patches and bases), keeping comments and layout, then re-renders and
// re-scans to check each fixed finding is gone.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, isSeq, isMap, isScalar, type Document } from 'yaml';
import { builtinRules } from '../../rules/index.js';
import { loadInputs, type LoadResult } from '../../input/files.js';
import { isEditable, RenderSession, type EditTarget } from '../../input/render/index.js';
import { runEngine } from '../../engine/run.js';
import type { Finding } from '../../engine/finding.js';
import type { FixOp } from '../../engine/rule.js';
import type { JsonValue, Resource } from '../../model/types.js';
import { parsePointer } from '../../model/json.js';
import { loadConfig, parse, UsageError } from '../common.js';
import { CONFIG_OPTIONS, CONFIG_USAGE, HELP_OPTION, HELP_USAGE, RENDER_OPTIONS, RENDER_USAGE, renderOptions, RULE_OPTIONS, ruleFilter, wantsHelp } from '../scan-options.js';

export const usage = `Usage: rampart fix [PATH]... [options]

Applies the automatic fixes of findings to the source you edit: plain manifests, a chart's values
file or template, a Kustomize patch or base. Comments and layout are kept. Charts and overlays are
re-rendered and re-scanned afterwards to check that each fixed finding is gone.

Options:
      --dry-run         show the changes as a diff; write nothing
      --rule ID         fix only findings of these rules (repeatable; globs like 'workload/*')
${CONFIG_USAGE}
${RENDER_USAGE}
      --no-render       treat charts and overlays as plain files
${HELP_USAGE}

Exit codes: 0 every fixable finding fixed (or --dry-run), 1 some finding is still there after its
fix, 2 input errors or a fix that broke rendering (the files are then restored).`;

interface PendingEdit {
  finding: Finding;
  target: EditTarget;
  op: FixOp;
  /** Rendered pointer segments of the op (relative to the object). */
  segs: string[];
}

function findingKey(f: Finding): string {
  return `${f.ruleId}|${f.resource.kind}|${f.resource.namespace ?? ''}|${f.resource.name}|${f.location.path}`;
}

function resourceFor(f: Finding, resources: Resource[]): Resource | undefined {
  const same = resources.filter((r) => r.kind === f.resource.kind && r.name === f.resource.name && (r.namespace ?? '') === (f.resource.namespace ?? '') && r.apiVersion === f.resource.apiVersion);
  if (same.length <= 1) return same[0];
  // Same object from several charts/overlays: the one whose locator gives this finding's location.
  return same.find((r) => {
    const rel = f.location.path.slice(r.basePath.length);
    const l = r.locator.locate(rel);
    return l.file === f.location.file && l.line === f.location.line;
  });
}

/** yaml keys for a pointer: numbers where the node on the way is a sequence. */
function keysFor(doc: Document, segs: string[]): (string | number)[] {
  const keys: (string | number)[] = [];
  let node: unknown = doc.contents;
  for (const s of segs) {
    if (isSeq(node)) {
      keys.push(Number(s));
      node = node.items[Number(s)];
    } else {
      keys.push(s);
      node = isMap(node) ? node.get(s, true) : undefined;
    }
  }
  return keys;
}

function scalarText(v: JsonValue): string {
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
}

/** YAML lines for `segs: value` nested under a template line, indented at `col`. */
function nestedLines(segs: string[], value: JsonValue, col: number): string[] {
  const out: string[] = [];
  segs.forEach((s, i) => {
    const pad = ' '.repeat(col + 2 * i);
    out.push(i === segs.length - 1 ? `${pad}${s}: ${scalarText(value)}` : `${pad}${s}:`);
  });
  return out;
}

/** A single-hunk unified diff (fixes touch few lines; enough to review them). */
export function diff(file: string, before: string, after: string): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  const ctx = 2;
  const s = Math.max(0, start - ctx);
  const eA = Math.min(a.length - 1, endA + ctx);
  const eB = Math.min(b.length - 1, endB + ctx);
  const lines = [`--- ${file}`, `+++ ${file}`, `@@ -${s + 1},${eA - s + 1} +${s + 1},${eB - s + 1} @@`];
  for (let i = s; i < start; i++) lines.push(` ${a[i]}`);
  for (let i = start; i <= endA; i++) lines.push(`-${a[i]}`);
  for (let i = start; i <= endB; i++) lines.push(`+${b[i]}`);
  for (let i = endA + 1; i <= eA; i++) lines.push(` ${a[i]}`);
  return lines.join('\n') + '\n';
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    'dry-run': { type: 'boolean' },
    ...RULE_OPTIONS,
    ...CONFIG_OPTIONS,
    ...RENDER_OPTIONS,
    ...HELP_OPTION,
  });
  if (wantsHelp(values.help, usage)) return 0;
  if (positionals.length === 0) throw new UsageError('no input: give files or directories to fix');
  if (positionals.includes('-')) throw new UsageError('cannot fix stdin: give files or directories');
  const config = loadConfig(values.config, values['no-config']);
  const opts = renderOptions(values);
  const only = ruleFilter(values.rule);
  const scan = async (): Promise<{ load: LoadResult; findings: Finding[]; errors: number }> => {
    const load = await loadInputs(positionals, undefined, values['no-render'] ? false : new RenderSession(opts));
    const report = runEngine(load, { rules: builtinRules, config, ...only });
    return { load, findings: report.findings.filter((f) => !f.suppressed), errors: report.errors.length };
  };

  const before = await scan();
  for (const e of before.load.errors) process.stderr.write(`rampart fix: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}\n`);
  const pending: PendingEdit[] = [];
  const notFixable: string[] = [];
  for (const f of before.findings) {
    if (!f.fix?.length) continue;
    const r = resourceFor(f, before.load.resources);
    if (!r) {
      notFixable.push(`${f.location.file}:${f.location.line} ${f.ruleId}: resource not found for the fix`);
      continue;
    }
    for (const op of f.fix) {
      const segs = parsePointer(op.path);
      let target: EditTarget | undefined;
      if (isEditable(r.locator)) target = r.locator.edit(op.path);
      else if (r.file !== '<stdin>') target = { type: 'yaml', abs: path.resolve(r.file), docIndex: r.docIndex, pointer: parsePointer(r.basePath), consumed: 0 };
      if (!target) {
        notFixable.push(`${f.location.file}:${f.location.line} ${f.ruleId}: no editable source for ${op.path} (inline patch, helper, loop, --set, generated or best-guess mapping); fix it by hand`);
        continue;
      }
      pending.push({ finding: f, target, op, segs });
    }
  }

  // Apply: YAML files as documents (comments survive), templates as lines (bottom-up).
  const originals = new Map<string, string>();
  const yamlDocs = new Map<string, Document.Parsed[]>();
  const lineEdits = new Map<string, { line: number; apply: (lines: string[]) => void }[]>();
  const read = (abs: string) => {
    if (!originals.has(abs)) originals.set(abs, readFileSync(abs, 'utf8'));
    return originals.get(abs)!;
  };
  for (const p of pending) {
    const rest = p.segs.slice(p.target.consumed);
    try {
      if (p.target.type === 'yaml') {
        const t = p.target;
        const text = read(t.abs);
        if (!yamlDocs.has(t.abs)) yamlDocs.set(t.abs, parseAllDocuments(text) as Document.Parsed[]);
        const doc = yamlDocs.get(t.abs)![t.docIndex];
        if (!doc) throw new Error(`document ${t.docIndex} not found`);
        const keys = keysFor(doc, [...t.pointer, ...rest]);
        if (p.op.op === 'set') doc.setIn(keys, doc.createNode(p.op.value));
        else doc.deleteIn(keys);
      } else {
        const t = p.target;
        read(t.abs);
        const list = lineEdits.get(t.abs) ?? [];
        const op = p.op;
        if (op.op === 'remove') throw new Error('removing a field from a template is not automated');
        if (rest.length === 0) {
          list.push({
            line: t.line,
            apply: (lines) => {
              const m = /^(\s*(?:-\s+)?[^:#]+:\s*)(.*)$/.exec(lines[t.line] ?? '');
              if (!m || typeof op.value === 'object') throw new Error('template line is not a scalar key');
              lines[t.line] = `${m[1]}${scalarText(op.value)}`;
            },
          });
        } else {
          list.push({ line: t.line, apply: (lines) => lines.splice(t.line + 1, 0, ...nestedLines(rest, op.value, t.childCol)) });
        }
        lineEdits.set(t.abs, list);
      }
    } catch (e) {
      notFixable.push(`${p.finding.location.file}:${p.finding.location.line} ${p.finding.ruleId}: ${(e as Error).message}`);
    }
  }
  const updated = new Map<string, string>();
  for (const [abs, docs] of yamlDocs) updated.set(abs, docs.map((d) => d.toString()).join(''));
  for (const [abs, edits] of lineEdits) {
    const lines = (updated.get(abs) ?? read(abs)).split('\n');
    for (const e of edits.sort((a, b) => b.line - a.line)) {
      try {
        e.apply(lines);
      } catch (err) {
        notFixable.push(`${abs}: ${(err as Error).message}`);
      }
    }
    updated.set(abs, lines.join('\n'));
  }
  const changed = [...updated].filter(([abs, text]) => text !== originals.get(abs));
  for (const n of notFixable) process.stderr.write(`rampart fix: not fixed: ${n}\n`);

  if (values['dry-run']) {
    for (const [abs, text] of changed) process.stdout.write(diff(path.relative(process.cwd(), abs) || abs, originals.get(abs)!, text));
    process.stdout.write(`${changed.length} file(s) would change for ${new Set(pending.map((p) => findingKey(p.finding))).size} finding(s)\n`);
    return before.errors > 0 ? 2 : 0;
  }
  for (const [abs, text] of changed) writeFileSync(abs, text);

  // Re-render and re-scan: each fixed finding must be gone, and nothing may stop rendering.
  const after = await scan();
  if (after.errors > before.errors) {
    for (const [abs] of changed) writeFileSync(abs, originals.get(abs)!);
    process.stderr.write(`rampart fix: the fixes broke rendering or parsing; files restored:\n`);
    for (const e of after.load.errors) process.stderr.write(`  ${e.file}: ${e.message}\n`);
    return 2;
  }
  const remaining = new Set(after.findings.map(findingKey));
  const attempted = new Map<string, Finding>();
  for (const p of pending) attempted.set(findingKey(p.finding), p.finding);
  let fixed = 0;
  const still: Finding[] = [];
  for (const [k, f] of attempted) {
    if (remaining.has(k)) still.push(f);
    else fixed++;
  }
  for (const [abs] of changed) process.stdout.write(`fixed: ${path.relative(process.cwd(), abs) || abs}\n`);
  for (const f of still) process.stdout.write(`still present after the fix: ${f.ruleId} ${f.resource.kind}/${f.resource.name} ${f.location.path} (${f.location.file}:${f.location.line})\n`);
  process.stdout.write(`${fixed} finding(s) fixed and verified, ${still.length} still present, ${notFixable.length} not fixable automatically\n`);
  if (before.errors > 0) return 2;
  return still.length > 0 ? 1 : 0;
}
