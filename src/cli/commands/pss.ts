// `rampart pss`: evaluate pods and pod templates exactly as Pod Security Admission would, or
// (--suggest) say what enforce level each namespace could switch on today.
// The reader, analysis and rules are imported when the command runs, not for --help.
import type { PssReport, PssResult, SuggestNamespace, SuggestReport, SuggestWorkload } from '../../analyses/pss/report.js';
import { terminalSafe } from '../../reports/terminal-safe.js';
import { jsonPieces } from '../../reports/json.js';
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { InputError, Resource, Severity, Skipped } from '../../model/types.js';
import type { LoadResult } from '../../input/files.js';
import type { RenderSession } from '../../input/render/index.js';
import { severityRank } from '../../model/types.js';
import { heapDefaults, oldGenerationGrows, youngGenerationFixed } from '../heap.js';
import { emitAsync, loadCheckedConfig, parse, parseFailOn, progress, progressDone, UsageError } from '../common.js';
import { CONFIG_OPTIONS, HELP_OPTION, INPUT_OPTIONS, INPUT_USAGE, inputPaths, podTemplatesNotEvaluated, pssSettingsWithFlags, REPORT_OPTIONS, wantsHelp } from '../scan-options.js';
import { CLUSTER_OPTIONS, CLUSTER_USAGE, loadPathsOrCluster, wantsCluster } from '../cluster-options.js';

export const usage = `Usage: rampart pss [PATH|-]... [--level baseline|restricted] [--version v1.N|latest] [options]
       rampart pss --cluster [--from-namespaces|--suggest] [options]

Evaluates every Pod and pod template (Deployment, StatefulSet, DaemonSet, Job, CronJob, ...)
exactly as Kubernetes Pod Security Admission would at that level and policy version.

Options:
${INPUT_USAGE}
      --level L         baseline|restricted (default: config pss.level, else restricted)
      --version V       v1.N|latest (default: config pss.version, else latest = v1.37)
      --from-namespaces evaluate each pod at the enforce level/version of its Namespace's
                        pod-security.kubernetes.io labels when that Namespace is in the input
                        (pods of other namespaces use --level/--version)
      --suggest         per workload the strictest level it satisfies today, and per namespace
                        the strongest enforce label that admits all its workloads
  -o, --format F        text|json (default text)
      --output FILE     write the report to FILE instead of stdout
      --fail-on SEV     exit 1 when a pod is denied by a check of at least SEV
                        (critical|high|medium|low|info|never; default info = any denial)
      --config FILE     config file (default: .rampart.yaml found from the current directory up)
      --no-config       ignore any .rampart.yaml
${CLUSTER_USAGE}
  -h, --help            show this help

Exemptions (pss.exemptions.namespaces / runtimeClasses in .rampart.yaml) are reported as exempt.
Exit codes: 0 all admitted, 1 a pod would be denied, 2 input or usage errors (report still written).`;

interface Meta {
  errors: InputError[];
  skipped: Skipped[];
}

export async function run(argv: string[]): Promise<number> {
  const restoreHeap = streamingHeap();
  try {
    return await evaluate(argv);
  } finally {
    restoreHeap();
  }
}

/**
 * A small heap while inputs stream through. Each input's values are evaluated and released, so the
 * live heap stays at ~20 MB however large the input, and what accumulates between collections is
 * garbage. V8 would let the young generation grow to 3 x 16 MB and the old generation to ~4x its live
 * size before a full collection. Here the young generation keeps its starting size, and the old
 * generation grows to 2x. At 100k generated pods the peak RSS fell from ~210 to ~115 MB (at 25k from
 * ~212 MB, over its 3x input + 100 MB, to ~115 MB), for the same CPU or less: fewer fresh pages are
 * touched (docs/performance.md, "Session 27"). V8 reads both flags when it sizes a space, so they
 * take effect after start. They are put back when the command ends, so a caller's process running
 * other commands keeps V8's settings.
 */
function streamingHeap(): () => void {
  youngGenerationFixed();
  oldGenerationGrows(100);
  return heapDefaults;
}

async function evaluate(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    level: { type: 'string' },
    version: { type: 'string' },
    suggest: { type: 'boolean' },
    'from-namespaces': { type: 'boolean' },
    ...INPUT_OPTIONS,
    ...REPORT_OPTIONS,
    ...CONFIG_OPTIONS,
    ...CLUSTER_OPTIONS,
    ...HELP_OPTION,
  });
  if (wantsHelp(values.help, usage)) return 0;
  const format = (values.format ?? 'text').toLowerCase();
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown output format "${values.format}"; use text or json`);
  const wantsClusterRun = wantsCluster(values, [...positionals, ...(values.filename ?? [])]);
  const paths = wantsClusterRun ? [] : inputPaths(positionals, values.filename, 'rampart pss examples --level baseline');
  const [{ pssHeader, pssResults, suggestAccumulator, suggestNamespacesOf, suggestWorkloads }, { pssRules }, { releasePositions }] = await Promise.all([
    import('../../analyses/pss/report.js'),
    import('../../rules/pss/index.js'),
    import('../../input/yaml.js'),
  ]);
  const severity = new Map(pssRules.map((r) => [r.meta.id, r.meta.severity]));
  const checkSeverity = (check: string): Severity => severity.get(`pss/${check}`) ?? 'high';
  const config = await loadCheckedConfig(values.config, values['no-config']);
  const failOn = parseFailOn(values['fail-on'], 'info');
  const { settings } = pssSettingsWithFlags(config.settings.pss, { level: values.level, version: values.version }, (m) => m.replace('PSS level', '--level').replace('PSS version', '--version'));

  const cluster = wantsClusterRun ? await loadPathsOrCluster(values, [], pssRules) : undefined;
  const meta: Meta = { errors: [], skipped: [] };
  const templates: Skipped[] = [];
  // Files are evaluated as they are read and released. --from-namespaces and --suggest read the
  // inputs twice (the Namespaces first; charts are rendered again unless the render cache has them),
  // or at once when stdin, which cannot be read twice, is one of them.
  const fromNamespaces = Boolean(values['from-namespaces']);
  const needsNamespaces = fromNamespaces || Boolean(values.suggest);
  const whole = needsNamespaces && paths.includes('-');
  const session = new (await import('../../input/render/index.js')).RenderSession({});
  let namespaces: Resource[] | undefined;
  if (needsNamespaces && !whole && !cluster) {
    namespaces = [];
    for await (const load of eachLoad(paths, session, namespaceCandidates)) for (const r of load.resources) if (r.kind === 'Namespace') namespaces.push(r);
  }
  const loads = cluster ? once(cluster) : whole ? once(await mergeAll(eachLoad(paths, session))) : eachLoad(paths, session);
  /** Each load's errors and skipped inputs into the report as it is read; its resources for evaluation. */
  async function* read(): AsyncGenerator<readonly Resource[]> {
    progress('reading inputs…');
    for await (const load of loads) {
      meta.errors.push(...load.errors);
      meta.skipped.push(...load.skipped);
      templates.push(...podTemplatesNotEvaluated(load.resources));
      yield load.resources;
    }
    // Pod templates of unknown kinds follow every input's own skipped entries, as when read at once.
    meta.skipped.push(...templates);
    progressDone();
  }
  const inputs = read();
  /** What `make` gives for the next input that gives anything, its positions then released; false when every input is read. */
  const nextBatch = async <T>(make: (resources: readonly Resource[]) => Iterable<T>): Promise<T[] | false> => {
    for (;;) {
      const n = await inputs.next();
      if (n.done) return false;
      const out = [...make(n.value)];
      // Its findings are located: the position data cached for them would outlive the input.
      releasePositions();
      if (out.length) return out;
    }
  };
  const incomplete = () => meta.errors.length > 0 || meta.skipped.some((s) => s.failsClosed);
  const clusterField = cluster?.cluster ? { cluster: cluster.cluster } : {};

  if (values.suggest) {
    // With every input in one load (stdin, a cluster), its own Namespaces are the ones.
    const acc = suggestAccumulator(namespaces ?? []);
    const next = () =>
      nextBatch((resources) => {
        if (!namespaces) acc.nsObjects = suggestAccumulator(resources).nsObjects;
        return suggestWorkloads(resources, settings, acc);
      });
    const nsList = (function* () {
      yield* suggestNamespacesOf(acc, settings);
    })();
    await emitAsync(
      format === 'json'
        ? fedJson((workloads) => ({ version: settings.version.label, workloads, namespaces: nsList, summary: acc.summary, errors: meta.errors, skipped: meta.skipped, ...clusterField }), next)
        : (async function* () {
            yield `${SUGGEST_HEADING}\n`;
            for (let ws = await next(); ws; ws = await next()) yield suggestWorkloadLines(ws);
            yield suggestTail(settings.version.label, [...nsList], acc.summary, meta);
          })(),
      values.output,
    );
    return incomplete() || acc.summary.notEvaluated > 0 ? 2 : 0;
  }

  const options = { fromNamespaces, ...(namespaces ? { namespaces } : {}) };
  const threshold = failOn === 'never' ? Infinity : severityRank(failOn);
  const deniesAtThreshold = (r: PssResult) => !r.allowed && r.violations.some((v) => severityRank(checkSeverity(v.check)) >= threshold);
  let denied = false;
  const summary: PssReport['summary'] = { pods: 0, allowed: 0, denied: 0, exempt: 0, notEvaluated: 0 };
  const nextResults = () =>
    nextBatch(function* (resources) {
      for (const r of pssResults(resources, settings, options, summary)) {
        denied ||= deniesAtThreshold(r);
        yield r;
      }
    });
  // Streamed: each result is written as it is made (100k pods make a 346 MB report); the summary follows the results.
  await emitAsync(
    format === 'json'
      ? fedJson((results) => ({ ...pssHeader(settings), results, summary, errors: meta.errors, skipped: meta.skipped, ...clusterField }), nextResults)
      : (async function* () {
          for (let rs = await nextResults(); rs; rs = await nextResults()) yield resultLines(rs);
          yield footer(pssHeader(settings), summary, meta);
        })(),
    values.output,
  );
  if (incomplete() || summary.notEvaluated > 0) return 2;
  if (failOn === 'never') return 0;
  return denied ? 1 : 0;
}

/**
 * The JSON report `make` shapes around a generator field that yields the items `next` gives, one
 * input at a time: jsonPieces takes at most one item per piece, so the next batch is read before
 * a piece that may need it (and the fields after the items are made once every input is read).
 */
async function* fedJson<T>(make: (items: Generator<T>) => Record<string, unknown>, next: () => Promise<T[] | false>): AsyncGenerator<string> {
  let batch: T[] = [];
  let at = 0;
  let more = true;
  const items = (function* () {
    while (at < batch.length) yield batch[at++]!;
  })();
  const pieces = jsonPieces(make(items));
  for (;;) {
    if (at === batch.length && more) {
      const got = await next();
      if (got) [batch, at] = [got, 0];
      else more = false;
    }
    const p = pieces.next();
    if (p.done) return;
    yield p.value;
  }
}

async function* once<T>(value: T): AsyncGenerator<T> {
  yield value;
}

async function mergeAll(loads: AsyncIterable<LoadResult>): Promise<LoadResult> {
  const { emptyLoad, mergeLoads } = await import('../../input/files.js');
  const all = emptyLoad();
  for await (const l of loads) mergeLoads(all, l);
  return all;
}

/**
 * The inputs one load at a time (a plain file, the charts and overlays of a directory, stdin), in
 * the order and with the errors `loadInputs` gives, so that each can be evaluated and released
 * before the next is read.
 */
async function* eachLoad(paths: readonly string[], session: RenderSession, plainFile?: (file: string) => Promise<LoadResult>): AsyncGenerator<LoadResult> {
  const [{ emptyLoad, loadInputs, loadFile, displayPath, MANIFEST_EXTENSIONS }, { classify, discover }, { MemoryGuard }, { DEFAULT_LIMITS }] = await Promise.all([
    import('../../input/files.js'),
    import('../../input/render/index.js'),
    import('../../input/memory-guard.js'),
    import('../../input/yaml.js'),
  ]);
  const guard = new MemoryGuard();
  for (const input of paths) {
    if (input === '-' || classify(input) !== undefined || !(await isDirectory(input))) {
      yield await loadInputs([input], DEFAULT_LIMITS, session, guard);
      continue;
    }
    const d = discover(input, MANIFEST_EXTENSIONS);
    yield { ...emptyLoad(), errors: d.errors, skipped: d.skipped };
    if (d.units.length) {
      if (guard.allows(0)) yield* await session.renderAll(d.units);
      else yield { ...emptyLoad(), errors: d.units.map((u) => ({ file: displayPath(u.path), message: guard.reason! })) };
    }
    for (const f of d.plainFiles) yield await (plainFile ? plainFile(f) : loadFile(f, DEFAULT_LIMITS, guard, d.regularFiles.has(f)));
  }
}

/**
 * A plain file in the pass that only looks for Namespaces: parsed only when its text holds
 * `Namespace` or a backslash (an escape could spell it); anything it cannot read gives nothing here
 * and is named by the evaluating pass. Fifos and devices are not read (non-blocking open, checked).
 */
async function namespaceCandidates(file: string): Promise<LoadResult> {
  const [{ emptyLoad, loadText }, { decodeManifest, DEFAULT_LIMITS }] = await Promise.all([import('../../input/files.js'), import('../../input/yaml.js')]);
  let bytes: Buffer;
  try {
    const fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = await fh.stat();
      if (!st.isFile() || st.size > DEFAULT_LIMITS.maxBytes) return emptyLoad();
      bytes = await fh.readFile();
    } finally {
      await fh.close();
    }
  } catch {
    return emptyLoad();
  }
  const decoded = decodeManifest(bytes);
  if ('error' in decoded) return emptyLoad();
  return decoded.text.includes('Namespace') || decoded.text.includes('\\') ? loadText(decoded.text, file) : emptyLoad();
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false; // loadInputs names the path it cannot read
  }
}

function resourceName(r: { kind: string; namespace: string; name: string }): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

function problems(meta: Meta): string[] {
  const out: string[] = [];
  for (const e of meta.errors) out.push(`error: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
  for (const s of meta.skipped) if (s.failsClosed) out.push(`not evaluated: ${s.file}${s.line ? `:${s.line}` : ''}: ${s.reason}${s.hint ? ` (${s.hint})` : ''}`);
  return out;
}

/** Each line is made terminal-safe whole: nothing in it is meant to drive the terminal, and a name with a newline must not forge a line. */
function resultLines(results: readonly PssResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const where = `${r.location.file}:${r.location.line}`;
    if (r.exempt) {
      lines.push(`EXEMPT   ${resourceName(r.resource)}  (${where}): ${r.exempt}`);
      continue;
    }
    if (r.notEvaluated) {
      lines.push(`ERROR    ${resourceName(r.resource)}  (${where}): cannot be evaluated`);
      for (const m of r.notEvaluated) lines.push(`  - line ${m.line} ${m.path}: ${m.message}`);
    } else lines.push(`${r.allowed ? 'ALLOWED' : 'DENIED '}  ${resourceName(r.resource)}  (${where})${r.policy ? `  [${r.policy.level}:${r.policy.version} from ${r.policy.source}]` : ''}`);
    for (const v of r.violations) {
      lines.push(`  - ${v.check}: ${v.reason}`);
      for (const f of v.fields) lines.push(`      line ${f.line}:${f.column}  ${f.path}`);
    }
  }
  return lines.map(terminalSafe).join('\n') + '\n';
}

function footer(at: Pick<PssReport, 'level' | 'version' | 'evaluatedAs'>, s: PssReport['summary'], meta: Meta): string {
  const lines = ['', `${s.pods} pod${s.pods === 1 ? '' : 's'} evaluated at ${at.level}:${at.version}${at.version === 'latest' ? ` (${at.evaluatedAs})` : ''}: ${s.allowed} allowed, ${s.denied} denied, ${s.exempt} exempt, ${s.notEvaluated} not evaluated`, ...problems(meta)];
  return lines.map(terminalSafe).join('\n') + '\n';
}

const SUGGEST_HEADING = 'Workloads (strictest level each satisfies today):';

function suggestWorkloadLines(workloads: readonly SuggestWorkload[]): string {
  const lines: string[] = [];
  for (const w of workloads) {
    const tag = w.exempt ? `exempt (${w.exempt})` : `${w.strictest}${w.evaluated ? '' : ' (NOT EVALUATED: malformed fields)'}`;
    lines.push(`  ${tag.padEnd(11)} ${resourceName(w.resource)}  (${w.location.file}:${w.location.line})`);
  }
  return lines.map(terminalSafe).join('\n') + '\n';
}

function suggestTail(version: string, namespaces: readonly SuggestNamespace[], s: SuggestReport['summary'], meta: Meta): string {
  const lines: string[] = ['', `Namespaces (strongest enforce label that admits all their workloads, policy ${version}):`];
  for (const n of namespaces) {
    const name = n.namespace || '(no namespace in manifest)';
    const limited = n.enforce === 'restricted' ? '' : `; limited by ${n.limitedBy.privileged ? `${n.limitedBy.privileged} privileged-only` : ''}${n.limitedBy.privileged && n.limitedBy.baseline ? ', ' : ''}${n.limitedBy.baseline ? `${n.limitedBy.baseline} baseline-only` : ''} workload(s)`;
    const cur = n.current ? `; current enforce: ${n.current.enforce ?? '(none)'}${n.current.enforceVersion ? `@${n.current.enforceVersion}` : ''}${n.currentDenies ? ' (would DENY some workloads)' : ''}` : '';
    lines.push(`  ${name}: pod-security.kubernetes.io/enforce=${n.enforce} enforce-version=${n.labels['pod-security.kubernetes.io/enforce-version']}  (${n.workloads} workload${n.workloads === 1 ? '' : 's'}${limited}${cur})`);
    if (n.notEvaluated) lines.push(`    warning: ${n.notEvaluated} workload(s) could not be evaluated; fix them before enforcing`);
  }
  lines.push('', `${s.workloads} workloads: ${s.restricted} restricted, ${s.baseline} baseline, ${s.privileged} privileged-only, ${s.exempt} exempt, ${s.notEvaluated} not evaluated`);
  lines.push(...problems(meta));
  return lines.map(terminalSafe).join('\n') + '\n';
}
