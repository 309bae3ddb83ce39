// `rampart paths`: attack paths from the internet to cluster-admin and all secrets, and the choke points that cut them.
import { rbacScanSettings } from '../../input/rbac-defaults.js';
import { ResourceIndex } from '../../model/index.js';
import type { InputError } from '../../model/types.js';
import { analysePaths, buildAttackGraph, onlyNewPaths } from '../../analyses/paths/index.js';
import { pathsRules } from '../../rules/paths/index.js';
import { CLUSTER_OPTIONS, CLUSTER_USAGE, loadPathsOrCluster, wantsCluster } from '../cluster-options.js';
import { pathsDot, pathsJson, pathsMermaid, pathsText } from '../../analyses/paths/render.js';
import { terminalSafe } from '../../reports/terminal-safe.js';
import { emit, parse, UsageError } from '../common.js';
import { readPathsBaseline } from '../paths-baseline.js';

export const usage = `Usage: rampart paths [PATH...|--cluster] [-f PATH]... [options]

Builds one attack graph from the manifests — externally exposed Services and Ingress routes,
NetworkPolicy reachability between workloads, container breakouts to the node, mounted
ServiceAccount tokens and RBAC escalation — and lists the paths from the internet to
cluster-admin and to all secrets (shortest first), each step with its file:line and the rule
that would cut it, then the choke points: the fewest single-line changes that cut every path.

Options:
  -f, --filename PATH   manifests: files, directories (recursive) or - for stdin (repeatable;
                        positional paths work too)
  -o, --format FORMAT   text|json|dot|mermaid (default text)
      --output FILE     write to FILE instead of stdout
      --max-paths N     paths listed per target (default 1000)
      --baseline FILE   a previous \`rampart paths -o json\`: list only paths not in it (same target
                        through the same workloads, accounts and nodes; lines may have moved)
      --vulns FILE      Trivy or Grype JSON report (repeatable): workloads running an image with a
                        critical CVE become entry points (see docs/vulns.md)
      --no-defaults     do not add the Kubernetes bootstrap roles and bindings
${CLUSTER_USAGE}
  -h, --help            show this help

Exit codes: 0 no (new) path, 1 a (new) path to a target exists, 2 usage or input errors (anything
not evaluated is named; the paths are still printed).`;

/** Names come from untrusted manifests: never let them drive the terminal or break a line of dot/mermaid. */
function safe(text: string): string {
  return text.split('\n').map(terminalSafe).join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    filename: { type: 'string', short: 'f', multiple: true },
    format: { type: 'string', short: 'o' },
    output: { type: 'string' },
    'max-paths': { type: 'string' },
    baseline: { type: 'string' },
    vulns: { type: 'string', multiple: true },
    'no-defaults': { type: 'boolean' },
    ...CLUSTER_OPTIONS,
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  const format = values.format ?? 'text';
  if (!['text', 'json', 'dot', 'mermaid'].includes(format)) throw new UsageError(`unknown format "${format}" (text|json|dot|mermaid)`);
  const maxPaths = values['max-paths'] === undefined ? 1000 : Number(values['max-paths']);
  if (!Number.isInteger(maxPaths) || maxPaths < 1) throw new UsageError('--max-paths needs a positive whole number');
  const cluster = wantsCluster(values, [...(values.filename ?? []), ...positionals]);
  const paths = cluster ? [] : [...(values.filename ?? []), ...positionals];
  if (!cluster && paths.length === 0) throw new UsageError('no input: give manifests as PATH or -f PATH (files, directories or -), or --cluster');
  const known = values.baseline !== undefined ? readPathsBaseline(values.baseline) : undefined;
  const load = await loadPathsOrCluster(values, paths, pathsRules);
  const errors: InputError[] = [...load.errors];
  for (const s of load.skipped) if (s.failsClosed) errors.push({ file: s.file, ...(s.line ? { line: s.line } : {}), message: `not evaluated: ${s.reason}` });
  const rbac = await rbacScanSettings(undefined, values['no-defaults'], load.resources);
  errors.push(...rbac.errors);
  const settings: Record<string, unknown> = { rbac: rbac.settings };
  if (values.vulns?.length) {
    const { loadVulnReports } = await import('../../input/vulns.js');
    const vulns = loadVulnReports(values.vulns);
    settings.vulns = { images: vulns.images };
    errors.push(...vulns.errors);
  }
  const graph = buildAttackGraph(new ResourceIndex(load.resources), settings);
  const all = analysePaths(graph, { maxPaths });
  const result = known ? onlyNewPaths(all, known) : all;
  const errorText = errors.map((e) => `error: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}\n`).join('');
  if (format === 'json') {
    const json = pathsJson(graph, result) as { summary: Record<string, unknown> };
    if (known) json.summary.baseline = { file: values.baseline, known: all.paths.length - result.paths.length };
    emit(JSON.stringify({ ...json, ...(load.cluster ? { cluster: load.cluster } : {}), errors }, null, 2) + '\n', values.output);
  }
  else if (format === 'dot') emit(safe(pathsDot(graph, result)), values.output);
  else if (format === 'mermaid') emit(safe(pathsMermaid(graph, result)), values.output);
  else emit(safe((known ? `Baseline ${values.baseline}: ${all.paths.length - result.paths.length} known path(s) left out; new paths only.\n` : '') + pathsText(graph, result) + errorText), values.output);
  if (format !== 'text' && errorText) process.stderr.write(safe(errorText));
  if (errors.length || graph.notEvaluated.length) return 2;
  return result.paths.length ? 1 : 0;
}
