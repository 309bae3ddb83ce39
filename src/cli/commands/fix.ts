// `rampart fix`: plans fixes with the pure fix layer (src/fix/), writes them all-or-nothing, and
// re-scans until nothing more is fixable (at most MAX_PASSES), so a second run changes no byte.
// I/O lives here: reading and hashing the files to edit, path checks, atomic writes, rollback.
import { accessSync, chmodSync, chownSync, constants, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from '../../model/digest.js';
import path from 'node:path';
import { builtinRules } from '../../rules/index.js';
import { loadInputs } from '../../input/files.js';
import { isEditable, RenderSession, type EditTarget } from '../../input/render/index.js';
import { runEngine } from '../../engine/run.js';
import type { Finding } from '../../engine/finding.js';
import type { FixClass } from '../../engine/rule.js';
import type { JsonValue, Resource } from '../../model/types.js';
import { parsePointer, pointer } from '../../model/json.js';
import { applyTextEdits, editSource, findingIdentity, jsonEqual, planFixes, resourceFor, stillPresent, templateEdit, unifiedDiff, valueAt, type DocOp, type SkippedFix, type TextEdit } from '../../fix/index.js';
import { parseAllDocuments } from 'yaml';
import { KUBERNETES_YAML_OPTIONS } from '../../input/yaml.js';
import { loadCheckedConfig, parse, UsageError } from '../common.js';
import { CONFIG_OPTIONS, CONFIG_USAGE, HELP_OPTION, HELP_USAGE, INPUT_OPTIONS, inputPaths, podTemplatesNotEvaluated, RENDER_OPTIONS, RENDER_USAGE, renderOptions, RULE_OPTIONS, ruleSelection, wantsHelp } from '../scan-options.js';

export const usage = `Usage: rampart fix [PATH]... [options]

Applies the automatic fixes of findings to the source you edit: plain manifests, a chart's values
file or template, a Kustomize patch or base. Only the edited bytes change: comments, quoting, flow
style, octal modes, line endings and JSON layout stay as written. Fixes are classed: 'safe' ones
cannot change what a workload does and are applied by default; 'may-break' ones (read-only root,
dropped capabilities, runAsNonRoot, ...) can stop a workload and need --include may-break.
The files are re-scanned (charts and overlays re-rendered) until nothing more is fixable; a fix is
reported fixed only when the re-scan no longer has that rule's finding on that object and field.

Options:
      --dry-run         show the changes as a diff (secret values masked); write nothing
      --include CLASS   also apply fixes of this class: may-break (repeatable)
      --rule ID         fix only findings of these rules (repeatable; globs like 'workload/*')
${CONFIG_USAGE}
${RENDER_USAGE}
      --no-render       treat charts and overlays as plain files
${HELP_USAGE}

Writes are all-or-nothing: every file is planned first, must still hold what was scanned, and is
replaced by an atomic rename keeping its mode; on any failure every file is restored. Files outside
the given paths (or reached through a symlink leading out of them) are never written.

Exit codes: 0 every planned fix applied and verified (or --dry-run), 1 some finding is still there
after its fix, 2 input errors, a refused or failed write, or a fix that broke rendering (restored).`;

const MAX_PASSES = 5;
const FIX_CLASSES: readonly FixClass[] = ['safe', 'may-break'];

class FixAbort extends Error {}

interface FileState {
  /** The path written (symlinks resolved, checked to stay inside the inputs). */
  real: string;
  /** Content before this run, for rollback and the diff. */
  original: string;
  mode: number;
  uid: number;
  gid: number;
  /** Content this pass planned from, and its hash (checked again just before writing). */
  base: string;
  hash: string;
  next?: string;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const rel = (abs: string) => path.relative(process.cwd(), abs) || abs;

function classOf(ruleId: string): FixClass | undefined {
  return builtinRules.find((r) => r.meta.id === ruleId)?.meta.fixClass;
}

/** Inputs as real paths: edits must land inside one of them. */
function inputRoots(positionals: string[]): string[] {
  return positionals.flatMap((p) => {
    try {
      return [realpathSync(p)];
    } catch {
      return [];
    }
  });
}

const inside = (p: string, roots: string[]) => roots.some((r) => p === r || p.startsWith(r.endsWith(path.sep) ? r : r + path.sep));

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    'dry-run': { type: 'boolean' },
    include: { type: 'string', multiple: true },
    ...RULE_OPTIONS,
    ...INPUT_OPTIONS,
    ...CONFIG_OPTIONS,
    ...RENDER_OPTIONS,
    ...HELP_OPTION,
  });
  if (wantsHelp(values.help, usage)) return 0;
  const paths = inputPaths(positionals, values.filename, 'rampart fix manifests/');
  if (paths.includes('-')) throw new UsageError('cannot fix stdin: give files or directories');
  const include = new Set<FixClass>(['safe']);
  for (const v of (values.include ?? []).flatMap((x) => x.split(','))) {
    if (!FIX_CLASSES.includes(v as FixClass)) throw new UsageError(`--include: unknown fix class "${v}" (use: may-break)`);
    include.add(v as FixClass);
  }
  // Config rule ids and --rule are checked; a rule named exactly runs even when off by default.
  const { config, only } = ruleSelection(values, builtinRules, await loadCheckedConfig(values.config, values['no-config'], builtinRules.map((r) => r.meta.id)));
  const opts = renderOptions(values);
  const roots = inputRoots(paths);
  const scan = async () => {
    const session = values['no-render'] ? undefined : new RenderSession(opts);
    const load = await loadInputs(paths, undefined, session ?? false);
    load.skipped.push(...podTemplatesNotEvaluated(load.resources));
    const report = runEngine(load, { rules: builtinRules, config, ...(only ? { only } : {}) });
    return { load, session, findings: report.findings.filter((f) => !f.suppressed), errors: report.errors };
  };

  const files = new Map<string, FileState>();
  const attempted = new Map<string, Finding>();
  const skipped = new Map<string, SkippedFix & { where: string }>();
  const notFixable = new Set<string>();
  const readThisPass = new Set<string>();
  /** Document values of the texts read this pass (a file holding many objects is parsed once). */
  const parsedThisPass = new Map<string, (JsonValue | undefined)[]>();
  const write = (s: string) => process.stdout.write(s);
  const warn = (s: string) => process.stderr.write(`rampart fix: ${s}\n`);

  let current = await scan();
  const baselineErrors = current.errors.length;
  for (const e of current.errors) warn(`${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
  let passes = 0;
  try {
    for (; passes < MAX_PASSES; passes++) {
      const changed = planPass(current.findings, current.load.resources, current.session);
      if (changed.length === 0) break;
      if (values['dry-run']) break;
      commit(changed);
      current = await scan();
      if (current.errors.length > baselineErrors) {
        restoreAll();
        warn('the fixes broke rendering or parsing; every file was restored:');
        for (const e of current.errors) warn(`  ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
        return 2;
      }
    }
  } catch (e) {
    const wrote = restoreAll();
    if (!(e instanceof FixAbort)) throw e;
    warn(`${e.message}; ${wrote ? 'every file was restored' : 'nothing was changed'}`);
    return 2;
  }

  for (const s of skipped.values()) {
    if (s.reason === 'may-break') continue;
    warn(`not fixed: ${s.where} ${s.ruleId} ${s.path}: ${s.detail}`);
  }
  for (const n of notFixable) warn(`not fixed: ${n}`);
  const mayBreak = [...skipped.values()].filter((s) => s.reason === 'may-break');
  if (mayBreak.length) warn(`skipped ${mayBreak.length} may-break fix(es) (${[...new Set(mayBreak.map((s) => s.ruleId))].sort().join(', ')}): they can stop a workload; review and rerun with --include may-break`);

  const touched = [...files.entries()].filter(([, f]) => (f.next ?? f.base) !== f.original);
  if (values['dry-run']) {
    for (const [abs, f] of touched) write(unifiedDiff(rel(abs), f.original, f.next ?? f.base));
    write(`${touched.length} file(s) would change for ${attempted.size} finding(s); ${mayBreak.length} may-break fix(es) skipped\n`);
    return baselineErrors > 0 ? 2 : 0;
  }
  const still: Finding[] = [];
  for (const f of attempted.values()) if (stillPresent(f, current.findings)) still.push(f);
  for (const [abs] of touched) write(`fixed: ${rel(abs)}\n`);
  for (const f of still) write(`still present after the fix: ${f.ruleId} ${f.resource.kind}/${f.resource.name} ${f.location.path}\n`);
  write(`${attempted.size - still.length} finding(s) fixed and verified, ${still.length} still present, ${mayBreak.length} may-break fix(es) skipped, ${notFixable.size + [...skipped.values()].filter((s) => s.reason !== 'may-break').length} not fixable automatically (${passes} pass(es))\n`);
  if (baselineErrors > 0) return 2;
  return still.length > 0 ? 1 : 0;

  /** One planning pass: new text for every file to edit (held in `files`), the files that change. */
  function planPass(findings: Finding[], resources: Resource[], session: RenderSession | undefined): string[] {
    readThisPass.clear();
    parsedThisPass.clear();
    const byResource = new Map<Resource, Finding[]>();
    for (const f of findings) {
      if (!f.fix?.length) continue;
      const r = resourceFor(f, resources);
      if (!r) {
        notFixable.add(`${f.location.file}:${f.location.line} ${f.ruleId}: the object could not be told apart from another with the same name`);
        continue;
      }
      byResource.set(r, [...(byResource.get(r) ?? []), f]);
    }
    const yamlOps = new Map<string, (DocOp & { why: string; key: string })[]>();
    const tmplEdits = new Map<string, (TextEdit & { why: string; key: string })[]>();
    const planned: { r: Resource; req: Finding }[] = [];
    /** Ops (object + rendered path) that could not be written: their findings are not attempted. */
    const failed = new Set<string>();
    const fail = (key: string, message: string) => {
      failed.add(key);
      notFixable.add(message);
    };
    const resKey = (r: Resource) => `${r.file}|${r.docIndex}|${r.basePath}`;
    for (const [r, list] of byResource) {
      const plan = planFixes(r.object, list, { include: [...include], classOf });
      for (const s of plan.skipped) skipped.set(`${r.kind}|${r.namespace ?? ''}|${r.name}|${s.ruleId}|${s.path}|${s.reason}`, { ...s, where: `${r.kind}/${r.name}` });
      for (const op of plan.ops) {
        const why = `${r.kind}/${r.name} ${op.rules.join('+')} ${op.path}`;
        const key = `${resKey(r)}|${op.path}`;
        let target: EditTarget | undefined;
        if (isEditable(r.locator)) target = r.locator.edit(op.path);
        else if (r.file !== '<stdin>') target = { type: 'yaml', abs: path.resolve(r.file), docIndex: r.docIndex, pointer: parsePointer(r.basePath), consumed: 0 };
        if (!target) {
          fail(key, `${why}: no editable source (inline patch, helper, loop, --set, generated or best-guess mapping); fix it by hand`);
          continue;
        }
        const state = fileState(target.abs, why);
        if (!state) {
          failed.add(key);
          continue;
        }
        if (!isEditable(r.locator) && !sameObject(state.base, r)) throw new FixAbort(`${rel(target.abs)} changed since it was scanned (document ${r.docIndex + 1} no longer holds ${r.kind}/${r.name})`);
        // A rendered source: the text the source map read must be the text we edit.
        const scanned = target.type === 'yaml' ? session?.files.get(target.abs)?.text : session?.files.lines(target.abs)?.join('\n');
        if (scanned !== undefined && sha(scanned) !== state.hash) throw new FixAbort(`${rel(target.abs)} changed since it was scanned`);
        const rest = parsePointer(op.path).slice(target.consumed);
        if (target.type === 'yaml') {
          const list = yamlOps.get(target.abs) ?? [];
          list.push({ docIndex: target.docIndex, op: op.op, path: pointer(...target.pointer, ...rest), ...(op.op === 'set' ? { value: op.value ?? null } : {}), why, key });
          yamlOps.set(target.abs, list);
        } else {
          const e = templateEdit(state.base, target, rest, { op: op.op, ...(op.op === 'set' ? { value: op.value ?? null } : {}) });
          if (typeof e === 'string') fail(key, `${why}: ${e}`);
          else tmplEdits.set(target.abs, [...(tmplEdits.get(target.abs) ?? []), { ...e, why, key }]);
        }
      }
      for (const req of plan.addressed) planned.push({ r, req: req as Finding });
    }
    const changed: string[] = [];
    for (const abs of new Set([...yamlOps.keys(), ...tmplEdits.keys()])) {
      const state = files.get(abs)!;
      let text = state.base;
      const ops = yamlOps.get(abs) ?? [];
      if (ops.length) {
        // Two objects mapped to one source field must agree on its value.
        const byPath = new Map<string, (typeof ops)[number]>();
        const clash = new Set<string>();
        for (const o of ops) {
          const k = `${o.docIndex}|${o.path}`;
          const prev = byPath.get(k);
          if (prev && (prev.op !== o.op || !jsonEqual(prev.value, o.value))) clash.add(k);
          else byPath.set(k, o);
        }
        for (const o of ops) if (clash.has(`${o.docIndex}|${o.path}`)) fail(o.key, `${o.why}: objects rendered from ${rel(abs)} ${o.path} need different values; fix it by hand`);
        const out = editSource(text, [...byPath.entries()].filter(([k]) => !clash.has(k)).map(([, o]) => o), { json: path.extname(abs).toLowerCase() === '.json' });
        for (const f of out.failed) {
          const o = f.op as (typeof ops)[number];
          for (const x of ops) if (x.docIndex === o.docIndex && x.path === o.path) fail(x.key, `${x.why}: ${f.reason}`);
        }
        text = out.text;
      }
      const edits = tmplEdits.get(abs) ?? [];
      const okEdits = edits.filter((e, i) => !edits.some((o, j) => j < i && o.start < e.end && e.start < o.end));
      for (const e of edits) if (!okEdits.includes(e)) fail(e.key, `${e.why}: overlaps another edit of the same template line`);
      if (okEdits.length) text = applyTextEdits(text, okEdits);
      if (text !== state.base) {
        state.next = text;
        changed.push(abs);
      }
    }
    // Findings whose fixes were all written count as attempted (verified after the last pass).
    for (const { r, req } of planned) {
      const k = findingIdentity(req);
      if (!attempted.has(k) && (req.fix ?? []).every((o) => !failed.has(`${resKey(r)}|${o.path}`))) attempted.set(k, req);
    }
    return changed;
  }

  /** The file to edit, read once per pass; refused when outside the inputs or not a regular file. */
  function fileState(abs: string, why: string): FileState | undefined {
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      notFixable.add(`${why}: ${rel(abs)} cannot be read`);
      return undefined;
    }
    if (!inside(real, roots)) {
      notFixable.add(`${why}: ${rel(abs)} ${real !== path.resolve(abs) ? 'is a symlink leading outside' : 'is outside'} the given paths; not written`);
      return undefined;
    }
    const known = files.get(abs);
    if (known && readThisPass.has(abs)) return known;
    readThisPass.add(abs);
    let st;
    let text: string;
    try {
      st = statSync(real);
      if (!st.isFile()) {
        notFixable.add(`${why}: ${rel(abs)} is not a regular file`);
        return undefined;
      }
      text = readFileSync(real, 'utf8');
    } catch (e) {
      notFixable.add(`${why}: ${rel(abs)} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
    // Edits are offsets into UTF-8 text; another encoding would be written back damaged.
    if (text.includes('\uFFFD')) {
      notFixable.add(`${why}: ${rel(abs)} is not UTF-8 text; not edited`);
      return undefined;
    }
    const state: FileState = known ? { ...known, base: text, hash: sha(text) } : { real, original: text, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, base: text, hash: sha(text) };
    delete state.next;
    files.set(abs, state);
    return state;
  }

  /** Whether the file still holds, at the resource's place, the object that was scanned. */
  function sameObject(text: string, r: Resource): boolean {
    let docs = parsedThisPass.get(text);
    if (!docs) {
      try {
        const parsed = parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, uniqueKeys: false });
        docs = (Array.isArray(parsed) ? parsed : [parsed]).map((d) => (d.errors.length ? undefined : (d.toJS({ maxAliasCount: 1000 }) as JsonValue)));
      } catch {
        docs = [];
      }
      parsedThisPass.set(text, docs);
    }
    const doc = docs[r.docIndex];
    return doc !== undefined && jsonEqual(valueAt(doc, parsePointer(r.basePath)), r.object);
  }

  /** Writes every changed file or none: hash and permission checks first, temp files, then renames. */
  function commit(changed: string[]): void {
    for (const abs of changed) {
      const f = files.get(abs)!;
      let now: string;
      try {
        now = readFileSync(f.real, 'utf8');
        accessSync(f.real, constants.W_OK);
        accessSync(path.dirname(f.real), constants.W_OK);
      } catch (e) {
        throw new FixAbort(`cannot write ${rel(abs)}: ${(e as NodeJS.ErrnoException).code ?? 'not writable'}`);
      }
      if (sha(now) !== f.hash) throw new FixAbort(`${rel(abs)} changed since it was scanned`);
    }
    const temps: [string, string][] = [];
    const renamed: string[] = [];
    try {
      for (const abs of changed) {
        const f = files.get(abs)!;
        const tmp = path.join(path.dirname(f.real), `.${path.basename(f.real)}.rampart-${process.pid}.tmp`);
        writeFileSync(tmp, f.next!, { flag: 'wx', mode: 0o600 });
        temps.push([tmp, abs]);
        keepOwnership(tmp, f);
      }
      for (const [tmp, abs] of temps) {
        renameSync(tmp, files.get(abs)!.real);
        renamed.push(abs);
      }
    } catch (e) {
      for (const [tmp] of temps) rmSync(tmp, { force: true });
      restore(renamed);
      throw new FixAbort(`writing failed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); files restored`);
    }
    for (const abs of changed) {
      const f = files.get(abs)!;
      f.base = f.next!;
      f.hash = sha(f.base);
      delete f.next;
    }
  }

  /** The replacement gets the original's mode, and its owner when we may set it (running as root). */
  function keepOwnership(tmp: string, f: FileState): void {
    if (process.getuid?.() === 0) chownSync(tmp, f.uid, f.gid);
    chmodSync(tmp, f.mode);
  }

  function restore(list: string[]): void {
    for (const abs of list) {
      const f = files.get(abs)!;
      try {
        const tmp = path.join(path.dirname(f.real), `.${path.basename(f.real)}.rampart-${process.pid}.restore`);
        writeFileSync(tmp, f.original, { mode: 0o600 });
        keepOwnership(tmp, f);
        renameSync(tmp, f.real);
      } catch (e) {
        warn(`could not restore ${rel(abs)} (${(e as NodeJS.ErrnoException).code ?? 'error'}): restore it from version control`);
      }
    }
  }

  /** Puts back every file this run wrote; whether there was any. */
  function restoreAll(): boolean {
    const written = [...files.entries()].filter(([, f]) => f.base !== f.original).map(([abs]) => abs);
    restore(written);
    return written.length > 0;
  }
}
