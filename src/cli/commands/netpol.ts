// `rampart netpol`: NetworkPolicy reachability from manifests — reach, matrix, who-can-reach.
import { once } from 'node:events';
import { createWriteStream, openSync } from 'node:fs';
import { loadInputs } from '../../input/files.js';
import { CLUSTER_SOURCE_OPTIONS, loadPathsOrCluster, wantsCluster, type ClusterFlags } from '../cluster-options.js';
import type { InputError, Resource } from '../../model/types.js';
import { terminalSafe } from '../../reports/terminal-safe.js';
import { clusterFromResources, computeMatrix, hasIpBlock, notEvaluatedReason, otherPoliciesIn, namespaceSummary, NetpolEngine, restrictMatrix, type Cluster } from '../../analyses/netpol/index.js';
import { HOSTNETWORK_NOTE, IPBLOCK_NOTE, parseEndpointSpec, QueryError, reach, whoCanReach, type ReachAnswer, type WhoCanReachAnswer } from '../../analyses/netpol/query.js';
import { matrixHtml, matrixJsonPieces, matrixTextLines, type MatrixGrouping } from '../../analyses/netpol/render.js';
import { emit, parse, UsageError } from '../common.js';

export const usage = `Usage: rampart netpol <subcommand> -f PATH... [options]

Answers reachability questions from manifests (Deployments, Pods, ..., Namespaces, NetworkPolicies)
with the exact semantics of the NetworkPolicy API.

Subcommands:
  reach --from A --to B [--port PORT/PROTO]    can A open a connection to B?
  matrix [-o text|json|html] [-n NS]... [--group workload|class]
                                               workload × workload connectivity
  who-can-reach X --port PORT/PROTO            every workload and external range that can reach X

Endpoints: NS/NAME (a workload or Pod name), NS/label=value,... (pod-template labels),
NAME (namespace "default"), or an IPv4 address or CIDR for traffic from/to outside the cluster.
Ports: 8080/TCP, 53/UDP, http/TCP (a named port, resolved against the destination's containers).

Options:
  -f, --filename PATH   manifests: files, directories (recursive) or - for stdin (repeatable;
                        positional paths work too)
      --cluster         read the live cluster instead (--kubeconfig FILE, --context C, --allow-partial
                        as for scan; see docs/cluster.md)
  -o, --format FORMAT   reach, who-can-reach: text|json; matrix: text|json|html (default text)
      --output FILE     write to FILE instead of stdout
      --expect V        reach only: exit 1 unless the answer is V (allowed|denied), for CI
  -n, --namespace NS    matrix only: show workloads of these namespaces (repeatable); every
                        policy is still evaluated
      --group G         matrix only (text, json): one line per workload pair (workload, the
                        default, np-guard's format) or per pair of pod classes (class: pods
                        every policy treats alike; compact for large clusters)
  -h, --help            show this help

Exit codes: 0 answered, 1 --expect not met, 2 usage or input errors (malformed policies, and
Cilium, Calico, Antrea or AdminNetworkPolicy objects, which are not evaluated, included: the
answer is still printed, but could be wrong).`;

interface Loaded {
  cluster: Cluster;
  engine: NetpolEngine;
  errors: InputError[];
}

/**
 * `onlyNamespaces`: the namespaces whose pods the answer is about (reach); CNI and AdminNetworkPolicy
 * objects elsewhere cannot change it. Undefined: every namespace counts (matrix, who-can-reach).
 */
export async function load(paths: string[], clusterFlags: ClusterFlags = {}, onlyNamespaces?: string[]): Promise<Loaded> {
  if (paths.length === 0 && !wantsCluster(clusterFlags, paths)) throw new UsageError('no input: give manifests with -f PATH (files, directories or -), or --cluster');
  const res = await loadPathsOrCluster(clusterFlags, paths, []);
  const errors: InputError[] = [...res.errors];
  for (const s of res.skipped) if (s.failsClosed) errors.push({ file: s.file, ...(s.line ? { line: s.line } : {}), message: s.reason });
  const cluster = clusterFromResources(res.resources);
  for (const p of cluster.policies) {
    for (const pr of p.problems) {
      const loc = p.resource ? locate(p.resource, pr.path) : undefined;
      errors.push({ file: loc?.file ?? '', ...(loc ? { line: loc.line, column: loc.column } : {}), message: `NetworkPolicy ${p.id} not evaluated: ${pr.message} (at ${pr.path})` });
    }
  }
  // Fail closed: a CNI or AdminNetworkPolicy object may allow or deny what the answer says.
  const relevant = onlyNamespaces ? [...new Set(onlyNamespaces.flatMap((ns) => otherPoliciesIn(cluster.otherPolicies, ns)))] : cluster.otherPolicies;
  for (const o of relevant) {
    const loc = locate(o.resource, '');
    errors.push({ file: loc.file, line: loc.line, column: loc.column, message: `${notEvaluatedReason(o)}: answers about those pods may differ from what is printed` });
  }
  return { cluster, engine: new NetpolEngine(cluster), errors };
}

/** Caveats that decide some answers of this matrix. */
function matrixNotes(engine: NetpolEngine): string[] {
  const notes: string[] = [];
  if (engine.policies.some(hasIpBlock)) notes.push(IPBLOCK_NOTE);
  if (engine.pods.some((p) => p.hostNetwork)) notes.push(HOSTNETWORK_NOTE);
  return notes;
}

function locate(r: Resource, path: string) {
  return r.locator.locate(path);
}

/**
 * Names come from untrusted manifests: never let them drive the terminal or forge lines. A matrix
 * piece is one line and its newline: a newline inside it came from a name and shows as `\\n`.
 */
function safeLine(piece: string): string {
  return piece.endsWith('\n') ? terminalSafe(piece.slice(0, -1)) + '\n' : terminalSafe(piece);
}

/** Lines built from untrusted names, each escaped on its own before they are joined. */
function safeLines(lines: readonly string[]): string {
  return lines.map(terminalSafe).join('\n') + '\n';
}

/** Writes pieces as they come (64 KiB at a time), waiting when the reader is slower: output of any size in flat memory. */
async function writeStreamed(pieces: Iterable<string>, file: string | undefined): Promise<void> {
  const out = file ? createWriteStream('', { fd: openSync(file, 'w') }) : process.stdout;
  let buf = '';
  for (const p of pieces) {
    buf += p;
    if (buf.length >= 65536) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  if (file) await new Promise<void>((resolve, reject) => out.end(buf, () => resolve()).once('error', reject));
  else if (buf) out.write(buf);
}

function* concat(...parts: Iterable<string>[]): Generator<string> {
  for (const p of parts) yield* p;
}

function* mapPieces(pieces: Iterable<string>, f: (s: string) => string): Generator<string> {
  for (const p of pieces) yield f(p);
}

function errorLines(errors: InputError[]): string {
  return errors.map((e) => `${terminalSafe(`error: ${e.file}${e.line ? `:${e.line}` : ''}${e.column ? `:${e.column}` : ''}: ${e.message}`)}\n`).join('');
}

function reachText(a: ReachAnswer): string {
  const out: string[] = [];
  out.push(`${a.allowed ? 'ALLOWED' : 'DENIED'}: ${a.from} -> ${a.to}${a.port ? ` on ${a.port}` : ''}${a.port ? '' : ` (ports: ${a.ports})`}`);
  for (const dir of ['egress', 'ingress'] as const) {
    const d = a[dir];
    const side = dir === 'egress' ? 'source egress' : 'destination ingress';
    if (!d.isolated) out.push(`  ${side}: not isolated (no policy selects it), all traffic allowed`);
    else out.push(`  ${side}: ${d.allowed ? 'allowed' : 'denied'}; selected by ${d.selectedBy.join(', ')}${d.policies.length ? `; allowed by ${d.policies.join(', ')}` : '; no rule matches'}`);
  }
  if (a.pairs.length > 1) for (const p of a.pairs) out.push(`  pair ${p.from} -> ${p.to}: ${p.allowed ? 'allowed' : 'denied'} (${p.ports})`);
  for (const n of a.notes) out.push(`  note: ${n}`);
  return safeLines(out);
}

function whoText(a: WhoCanReachAnswer): string {
  const out = [`${a.sources.length} source(s) can reach ${a.target} on ${a.port}:`];
  for (const s of a.sources) {
    const via = [...s.egressPolicies.map((p) => `egress ${p}`), ...s.ingressPolicies.map((p) => `ingress ${p}`)];
    out.push(`  ${s.peer}${via.length ? `  (via ${via.join(', ')})` : '  (not isolated)'}`);
  }
  for (const n of a.notes) out.push(`note: ${n}`);
  return safeLines(out);
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '-h' || sub === '--help') {
    process.stdout.write(usage + '\n');
    return sub ? 0 : 2;
  }
  const { values, positionals } = parse(rest, {
    filename: { type: 'string', short: 'f', multiple: true },
    format: { type: 'string', short: 'o' },
    output: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    port: { type: 'string' },
    expect: { type: 'string' },
    namespace: { type: 'string', short: 'n', multiple: true },
    group: { type: 'string' },
    ...CLUSTER_SOURCE_OPTIONS,
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  const format = values.format ?? 'text';
  const paths = [...(values.filename ?? [])];
  try {
    switch (sub) {
      case 'reach': {
        if (!['text', 'json'].includes(format)) throw new UsageError(`reach: unknown format "${format}" (text|json)`);
        if (!values.from || !values.to) throw new UsageError('reach needs --from and --to');
        if (values.expect !== undefined && values.expect !== 'allowed' && values.expect !== 'denied') throw new UsageError('--expect must be allowed or denied');
        paths.push(...positionals);
        const ends = [values.from, values.to].map(parseEndpointSpec).flatMap((e) => (e.kind === 'pods' ? [e.namespace] : []));
        const { engine, errors } = await load(paths, values, ends);
        const answer = reach(engine, values.from, values.to, values.port);
        emit(format === 'json' ? JSON.stringify({ ...answer, errors }, null, 2) + '\n' : reachText(answer) + errorLines(errors), values.output);
        if (errors.length) return 2;
        if (values.expect && (values.expect === 'allowed') !== answer.allowed) return 1;
        return 0;
      }
      case 'matrix': {
        if (!['text', 'json', 'html'].includes(format)) throw new UsageError(`matrix: unknown format "${format}" (text|json|html)`);
        const group = (values.group ?? 'workload') as MatrixGrouping;
        if (group !== 'workload' && group !== 'class') throw new UsageError(`matrix: unknown --group "${values.group}" (workload|class)`);
        paths.push(...positionals);
        const { engine, errors } = await load(paths, values);
        const full = computeMatrix(engine);
        const only = values.namespace;
        const m = only?.length ? restrictMatrix(full, (w) => only.includes(w.namespace)) : full;
        if (format === 'html' && m.workloads.length > 300) process.stderr.write(`rampart netpol: the HTML grid has ${m.workloads.length}×${m.workloads.length} cells; use -n NS to show fewer namespaces\n`);
        const notes = matrixNotes(engine);
        const opts = { namespaces: namespaceSummary(m), group, notes };
        if (format === 'html') {
          emit(matrixHtml(m), values.output);
          if (errors.length) process.stderr.write(errorLines(errors));
        } else if (format === 'json') await writeStreamed(matrixJsonPieces(m, opts, { errors }), values.output);
        else await writeStreamed(concat(mapPieces(matrixTextLines(m, opts), safeLine), [errorLines(errors)]), values.output);
        return errors.length ? 2 : 0;
      }
      case 'who-can-reach': {
        if (!['text', 'json'].includes(format)) throw new UsageError(`who-can-reach: unknown format "${format}" (text|json)`);
        const [target, ...more] = positionals;
        if (!target) throw new UsageError('who-can-reach needs a target: NS/NAME or NS/label=value');
        if (!values.port) throw new UsageError('who-can-reach needs --port PORT/PROTO');
        paths.push(...more);
        const { engine, errors } = await load(paths, values);
        const answer = whoCanReach(engine, computeMatrix(engine), target, values.port);
        emit(format === 'json' ? JSON.stringify({ ...answer, errors }, null, 2) + '\n' : whoText(answer) + errorLines(errors), values.output);
        return errors.length ? 2 : 0;
      }
      default:
        throw new UsageError(`unknown subcommand "${sub}" (reach, matrix, who-can-reach)`);
    }
  } catch (e) {
    if (e instanceof QueryError) throw new UsageError(e.message);
    throw e;
  }
}
