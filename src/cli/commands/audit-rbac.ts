// `rampart audit rbac`: least privilege from evidence. What each identity did (the audit log)
// joined with what it is granted (RBAC manifests, through the authorizer).
import { stringify } from 'yaml';
import { UsageCollector, identityReport, READ_ONLY_VERBS, type IdentityReport } from '../../analyses/audit/least-privilege.js';
import { serviceAccountOf } from '../../analyses/audit/event.js';
import { EscalationGraph, type Identity } from '../../analyses/rbac/escalation.js';
import { clusterFactsFrom } from '../../analyses/rbac/facts.js';
import { emit, loadConfig, parse, UsageError } from '../common.js';
import { CONFIG_OPTIONS, HELP_OPTION, wantsHelp } from '../scan-options.js';
import { forEachEvent } from '../../fronts/audit/run.js';
import { loadPolicy } from './rbac.js';

export const usage = `Usage: rampart audit rbac [LOG|-]... -f RBAC_PATH... [options]

Joins what each identity did in the audit log with what the RBAC manifests grant it: used vs
granted, unused grants, the minimal Role/ClusterRole + binding that allows exactly what was used,
and identities that hold an escalation path to cluster-admin but only ever read.

Options:
  -f, --filename PATH   RBAC manifests (Roles, ClusterRoles, bindings; files or directories; repeatable)
      --identity NAME   only this identity (user name or system:serviceaccount:NS:NAME; repeatable)
  -o, --format FORMAT   text|json|yaml (yaml: the minimal objects only, ready to apply; default text)
      --output FILE     write to FILE instead of stdout
      --no-defaults     do not add the Kubernetes bootstrap roles and bindings
      --config FILE     config file (default: .rampart.yaml found upwards); --no-config ignores it
  -h, --help            show this help

Exit codes: 0 done, 1 an identity holds an escalation path to cluster-admin but only read, 2 input errors.`;

interface Report extends IdentityReport {
  escalation?: { goal: string; steps: string[] };
  /** Holds a path to cluster-admin and never used more than reads. */
  overPrivileged: boolean;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    filename: { type: 'string', short: 'f', multiple: true },
    identity: { type: 'string', multiple: true },
    format: { type: 'string', short: 'o' },
    output: { type: 'string' },
    'no-defaults': { type: 'boolean' },
    ...CONFIG_OPTIONS,
    ...HELP_OPTION,
  });
  if (wantsHelp(values.help, usage)) return 0;
  const format = values.format ?? 'text';
  if (!['text', 'json', 'yaml'].includes(format)) throw new UsageError(`unknown format "${format}"; use text, json or yaml`);
  const config = loadConfig(values.config, values['no-config']);
  const { index, policy, load, errors } = await loadPolicy(values.filename, values['no-defaults']);
  const collector = new UsageCollector();
  const only = values.identity ? new Set(values.identity) : undefined;
  const r = await forEachEvent(positionals, (e) => collector.add(e), config);
  const graph = new EscalationGraph(index, clusterFactsFrom(load.resources, policy));
  const reports: Report[] = [];
  for (const [name, u] of [...collector.identities].sort(([a], [b]) => a.localeCompare(b))) {
    if (only && !only.has(name)) continue;
    const rep: Report = { ...identityReport(name, u, index), overPrivileged: false };
    const sa = serviceAccountOf(name);
    const id: Identity = sa ? { kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace } : { kind: 'User', name };
    const [path] = graph.paths(['cluster-admin'], [id]);
    if (path) {
      rep.escalation = { goal: path.goal, steps: path.steps.map((s) => s.action) };
      rep.overPrivileged = rep.readOnly;
    }
    reports.push(rep);
  }
  const allErrors = [...errors, ...r.errors];
  if (format === 'yaml') emit(reports.flatMap((x) => x.minimal).map((o) => stringify(o)).join('---\n'), values.output);
  else if (format === 'json') emit(JSON.stringify({ stats: { ...r.stats(), identities: reports.length }, identities: reports, errors: allErrors }, null, 2) + '\n', values.output);
  else emit(text(reports, allErrors), values.output);
  if (allErrors.length || r.failedClosed()) return 2;
  return reports.some((x) => x.overPrivileged) ? 1 : 0;
}

function text(reports: Report[], errors: { file: string; line?: number; message: string }[]): string {
  const out: string[] = [];
  for (const x of reports) {
    const used = x.grants.filter((g) => g.usedBy > 0).length;
    out.push(`${x.identity}: ${x.requests} requests (${x.distinct} distinct${x.readOnly ? ', read-only' : ''}); ${x.grants.length} granted rules, ${used} used, ${x.unusedGrants} unused`);
    if (x.overPrivileged) out.push(`  OVER-PRIVILEGED: holds a path to cluster-admin but only used ${[...READ_ONLY_VERBS].join('/')}: ${x.escalation!.steps.join(' -> ')}`);
    else if (x.escalation) out.push(`  escalation path to cluster-admin: ${x.escalation.steps.join(' -> ')}`);
    // Bootstrap grants every identity holds (discovery, self-reviews) are in the JSON, not in this summary.
    for (const g of x.grants.filter((g) => g.unused.length && !g.binding.startsWith('system:')))
      out.push(`  ${g.usedBy ? 'partly unused' : 'unused'}: ${g.bindingKind} ${g.namespace ? g.namespace + '/' : ''}${g.binding} -> ${g.roleKind} ${g.role} rule ${g.rule}: ${g.unused.join('; ')}`);
    for (const u of x.notGranted) out.push(`  used but not granted by these manifests: ${u.verb} ${u.path ?? `${u.apiGroup ? u.apiGroup + '/' : ''}${u.resource}${u.subresource ? '/' + u.subresource : ''} ${u.namespace ? 'in ' + u.namespace : 'cluster-wide'}${u.name ? ' ' + u.name : ''}`}`);
    out.push(`  minimal: ${x.minimal.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole').map((o) => `${o.kind as string} ${((o.metadata as { namespace?: string }).namespace ?? '') && (o.metadata as { namespace?: string }).namespace + '/'}${(o.metadata as { name: string }).name}`).join(', ')} (rampart audit rbac -o yaml)`);
    out.push('');
  }
  for (const e of errors) out.push(`error: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
  return out.join('\n') + '\n';
}
