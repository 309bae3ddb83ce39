// `rampart rbac`: who-can, can SUBJECT, paths [SUBJECT]. Flags and printing only; the work is in analyses/rbac.
import { mergeLoads, emptyLoad, type LoadResult } from '../../input/files.js';
import { CLUSTER_SOURCE_OPTIONS, loadPathsOrCluster, wantsCluster, type ClusterFlags } from '../cluster-options.js';
import { loadRbacDefaults } from '../../input/rbac-defaults.js';
import type { InputError } from '../../model/types.js';
import { policyFromResources, mergePolicies, type Policy } from '../../analyses/rbac/policy.js';
import { RbacIndex } from '../../analyses/rbac/authorizer.js';
import type { Request } from '../../analyses/rbac/match.js';
import { parseResourceArg, CLUSTER_SCOPED } from '../../analyses/rbac/resources.js';
import { permissionsOf, type Permission } from '../../analyses/rbac/permissions.js';
import { clusterFactsFrom } from '../../analyses/rbac/facts.js';
import { EscalationGraph, GOALS, describeNode, type Goal, type GraphNode, type Identity } from '../../analyses/rbac/escalation.js';
import { parseSubject, formatSubject } from '../../analyses/rbac/subjects.js';
import { terminalSafe } from '../../reports/terminal-safe.js';
import { userOf } from '../../analyses/rbac/escalation.js';
import { emit, loadConfig, parse, UsageError } from '../common.js';
import { isObject } from '../../model/json.js';

export const usage = `Usage: rampart rbac <who-can|can|paths> [options] -f PATH...

  rampart rbac who-can VERB RESOURCE [NAME] [-n NS | -A] [--subresource S] [--api-group G] -f PATH...
      Subjects allowed to do VERB on RESOURCE, with the bindings and roles that allow it.
      RESOURCE is a plural resource (pods, deployments.apps, pods/exec) or a non-resource URL (/metrics).
      Without -n the request is cluster-wide (ClusterRoleBindings only), as the authorizer sees a
      cluster-scoped or all-namespaces request; -A lists everyone allowed in at least one namespace.
  rampart rbac can SUBJECT [-n NS] [--group G]... -f PATH...
      Everything SUBJECT may do, cluster-wide and per namespace.
  rampart rbac paths [SUBJECT] [--to cluster-admin|secrets|nodes] -f PATH...
      Shortest privilege-escalation path for SUBJECT (default: every subject of the input's bindings and
      every service account that runs a workload), step by step with the binding and role of each step.
      Exits 1 when a path is found.

SUBJECT: User:NAME, Group:NAME, ServiceAccount:NS/NAME (or sa:NS:NAME, system:serviceaccount:NS:NAME).

Options:
  -f, --filename PATH   manifests (files, directories, - for stdin); repeatable
      --cluster         read the RBAC objects of the live cluster instead (--kubeconfig FILE, --context C,
                        --allow-partial as for scan; see docs/cluster.md)
  -o, --format FORMAT   text|json (default text)
      --output FILE     write to FILE instead of stdout
      --no-defaults     do not add the Kubernetes bootstrap roles and bindings (added by default)
      --default-namespace NS
                        namespace of objects without metadata.namespace, as \`kubectl apply -n NS\` would
                        place them (default: default)
      --config FILE     config file (default: .rampart.yaml found from the current directory up);
                        uses its rbac section (defaults, trustedSubjects)
      --no-config       ignore any .rampart.yaml
  -h, --help            show this help

Exit codes: 0 done, 1 (paths) an escalation path exists, 2 usage or input errors (incl. bindings whose role is not in the input).`;

export interface Loaded {
  index: RbacIndex;
  policy: Policy;
  load: LoadResult;
  errors: InputError[];
}

interface RbacSettings {
  defaults: boolean;
  trustedSubjects: Identity[];
}

function rbacSettings(values: { config?: string; 'no-config'?: boolean; 'no-defaults'?: boolean }): RbacSettings {
  const cfg = loadConfig(values.config, values['no-config']);
  const s = isObject(cfg.settings.rbac) ? cfg.settings.rbac : {};
  const trusted = Array.isArray(s.trustedSubjects) ? (s.trustedSubjects as string[]) : [];
  return {
    defaults: !values['no-defaults'] && s.defaults !== false,
    trustedSubjects: trusted.map((t) => parseSubject(t)).filter((x): x is Identity => !!x),
  };
}

/** Kinds that have no namespace; everything else lands in the default namespace when it names none. */
const CLUSTER_KINDS = new Set([
  'ClusterRole', 'ClusterRoleBinding', 'Namespace', 'Node', 'PersistentVolume', 'CustomResourceDefinition', 'StorageClass', 'PriorityClass',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'APIService', 'CSIDriver', 'CSINode', 'IngressClass', 'RuntimeClass',
  'PodSecurityPolicy', 'CertificateSigningRequest', 'VolumeAttachment', 'ClusterIssuer', 'FlowSchema', 'PriorityLevelConfiguration',
]);

export async function loadPolicy(files: string[] | undefined, noDefaults: boolean | undefined, defaultNamespace?: string, clusterFlags: ClusterFlags = {}): Promise<Loaded> {
  const live = wantsCluster(clusterFlags, files ?? []);
  if (!live && (!files || files.length === 0)) throw new UsageError('no input: give manifests with -f PATH, or --cluster');
  // A live cluster holds its own bootstrap roles: the bundled defaults are not added.
  if (live) noDefaults = true;
  const load = await loadPathsOrCluster(clusterFlags, files ?? [], []);
  if (defaultNamespace) for (const r of load.resources) if (r.namespace === undefined && !CLUSTER_KINDS.has(r.kind)) r.namespace = defaultNamespace;
  const user = policyFromResources(load.resources);
  let policy = user;
  const all = emptyLoad();
  mergeLoads(all, load);
  if (!noDefaults) {
    const defaults = await loadRbacDefaults();
    policy = mergePolicies(policyFromResources(defaults.resources), user);
    all.errors.push(...defaults.errors);
  }
  const index = new RbacIndex(policy, { assumeClusterAdmin: !noDefaults });
  const errors: InputError[] = [...all.errors];
  for (const s of load.skipped) if (s.failsClosed) errors.push({ file: s.file, ...(s.line ? { line: s.line } : {}), message: `not evaluated: ${s.reason}` });
  for (const i of index.issues) {
    const pos = i.resource?.locator.locate(i.path);
    errors.push({ file: i.resource?.file ?? '', ...(pos ? { line: pos.line, column: pos.column } : {}), message: i.message });
  }
  return { index, policy, load, errors };
}

const COMMON = {
  filename: { type: 'string', short: 'f', multiple: true },
  format: { type: 'string', short: 'o' },
  output: { type: 'string' },
  'no-defaults': { type: 'boolean' },
  'default-namespace': { type: 'string' },
  config: { type: 'string' },
  'no-config': { type: 'boolean' },
  ...CLUSTER_SOURCE_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

function format(v: string | undefined): 'text' | 'json' {
  const f = v ?? 'text';
  if (f !== 'text' && f !== 'json') throw new UsageError(`unknown output format "${f}"; use text or json`);
  return f;
}

function errorLines(errors: InputError[]): string[] {
  return errors.map((e) => `error: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.message}`);
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '-h' || sub === '--help') {
    process.stdout.write(usage + '\n');
    return sub ? 0 : 2;
  }
  if (sub === 'who-can') return whoCan(rest);
  if (sub === 'can') return can(rest);
  if (sub === 'paths') return paths(rest);
  throw new UsageError(`unknown subcommand "${sub}"; use who-can, can or paths`);
}

async function whoCan(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...COMMON,
    namespace: { type: 'string', short: 'n' },
    'all-namespaces': { type: 'boolean', short: 'A' },
    subresource: { type: 'string' },
    'api-group': { type: 'string' },
  });
  if (values.help) return help();
  const fmt = format(values.format);
  const [verb, resourceArg, name, ...extra] = positionals;
  if (!verb || !resourceArg || extra.length) throw new UsageError('who-can takes VERB RESOURCE [NAME]');
  let req: Request;
  if (resourceArg.startsWith('/')) {
    if (values.namespace || values.subresource || values['api-group'] || name) throw new UsageError('a non-resource URL takes no namespace, subresource, API group or name');
    req = { kind: 'nonResource', verb, path: resourceArg };
  } else {
    const r = parseResourceArg(resourceArg, values['api-group'], values.subresource);
    const namespace = CLUSTER_SCOPED.has(r.resource) ? (r.resource === 'namespaces' && name ? name : '') : (values.namespace ?? '');
    req = { kind: 'resource', verb, namespace, apiGroup: r.apiGroup, resource: r.resource, subresource: r.subresource, name: name ?? '' };
  }
  const { index, errors } = await loadPolicy(values.filename, !rbacSettings(values).defaults, values['default-namespace'], values);
  if (values['all-namespaces'] && values.namespace) throw new UsageError('use either -n NS or --all-namespaces');
  // RoleBindings never grant cluster-scoped resources, so -A changes nothing for them.
  const subjects = index.whoCan(req, { allNamespaces: !!values['all-namespaces'] && req.kind === 'resource' && !CLUSTER_SCOPED.has(req.resource) });
  if (fmt === 'json') {
    emit(JSON.stringify({ request: req, ...(values['all-namespaces'] ? { allNamespaces: true } : {}), subjects, errors }, null, 2) + '\n', values.output);
  } else {
    const what = req.kind === 'resource' ? `${req.verb} ${req.resource}${req.subresource ? '/' + req.subresource : ''}${req.apiGroup ? ' (' + req.apiGroup + ')' : ''}${req.name ? ' ' + req.name : ''} ${req.namespace ? 'in namespace ' + req.namespace : values['all-namespaces'] ? 'in any namespace' : 'cluster-wide'}` : `${req.verb} ${req.path}`;
    const lines = [`Who can ${what}: ${subjects.length} subject${subjects.length === 1 ? '' : 's'}`];
    for (const s of subjects) {
      lines.push(`  ${formatSubject(s)}`);
      for (const v of s.via) lines.push(`      via ${v.bindingKind} ${v.namespace ? v.namespace + '/' : ''}${v.binding} -> ${v.roleKind} ${v.role}`);
    }
    lines.push(...errorLines(errors));
    emit(lines.map(terminalSafe).join('\n') + '\n', values.output);
  }
  return errors.length ? 2 : 0;
}

function subjectArg(text: string | undefined): Identity {
  if (!text) throw new UsageError('give a SUBJECT: User:NAME, Group:NAME or ServiceAccount:NS/NAME');
  const s = parseSubject(text);
  if (!s) throw new UsageError(`cannot read subject "${text}": use User:NAME, Group:NAME or ServiceAccount:NS/NAME`);
  return s;
}

function describePermission(p: Permission): string {
  const via = `[${p.via.bindingKind} ${p.via.binding} -> ${p.via.roleKind} ${p.via.role}${p.via.ruleFrom ? ` (aggregated from ${p.via.ruleFrom})` : ''}]`;
  if (p.nonResourceURLs && !p.resources) return `${p.verbs.join(',')} ${p.nonResourceURLs.join(',')}  ${via}`;
  const groups = (p.apiGroups ?? []).map((g) => (g === '' ? 'core' : g)).join(',');
  return `${p.verbs.join(',')} ${(p.resources ?? []).join(',')} [${groups}]${p.resourceNames ? ` names=${p.resourceNames.join(',')}` : ''}${p.nonResourceURLs ? ` urls=${p.nonResourceURLs.join(',')}` : ''}  ${via}`;
}

async function can(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...COMMON, namespace: { type: 'string', short: 'n' }, group: { type: 'string', multiple: true } });
  if (values.help) return help();
  const fmt = format(values.format);
  if (positionals.length > 1) throw new UsageError('can takes one SUBJECT');
  const subject = subjectArg(positionals[0]);
  const { index, errors } = await loadPolicy(values.filename, !rbacSettings(values).defaults, values['default-namespace'], values);
  const user = userOf(subject);
  if (values.group) user.groups = [...new Set([...user.groups, ...values.group])];
  const perms = permissionsOf(index, user, values.namespace);
  if (fmt === 'json') {
    emit(JSON.stringify({ subject, ...perms, errors }, null, 2) + '\n', values.output);
  } else {
    const lines = [`${formatSubject(subject)} (user "${user.name}", groups ${user.groups.join(', ')})`, '', 'Cluster-wide (ClusterRoleBindings; also in every namespace):'];
    if (perms.clusterWide.length === 0) lines.push('  (nothing)');
    for (const p of perms.clusterWide) lines.push('  ' + describePermission(p));
    for (const [ns, list] of Object.entries(perms.namespaces)) {
      lines.push('', `Namespace ${ns} (RoleBindings):`);
      for (const p of list) lines.push('  ' + describePermission(p));
    }
    lines.push(...errorLines(errors));
    emit(lines.map(terminalSafe).join('\n') + '\n', values.output);
  }
  return errors.length ? 2 : 0;
}

function nodeJson(n: GraphNode): Record<string, string> {
  if (n.kind === 'Cap') return { kind: 'Capability', namespace: n.namespace };
  return n.kind === 'Goal' ? { kind: 'Goal', name: n.name } : { kind: n.kind, name: n.name, ...(n.namespace ? { namespace: n.namespace } : {}) };
}

async function paths(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { ...COMMON, to: { type: 'string', multiple: true } });
  if (values.help) return help();
  const fmt = format(values.format);
  if (positionals.length > 1) throw new UsageError('paths takes at most one SUBJECT');
  const goals = (values.to ?? ['cluster-admin']) as Goal[];
  for (const g of goals) if (!GOALS.includes(g)) throw new UsageError(`--to must be one of ${GOALS.join(', ')} (got "${g}")`);
  const subject = positionals[0] ? subjectArg(positionals[0]) : undefined;
  const settings = rbacSettings(values);
  const { index, policy, load, errors } = await loadPolicy(values.filename, !settings.defaults, values['default-namespace'], values);
  const graph = new EscalationGraph(index, clusterFactsFrom(load.resources, policy));
  const trusted = new Set(settings.trustedSubjects.map((t) => describeNode(t)));
  const found = graph.paths(goals, subject ? [subject] : graph.startingSubjects().filter((s) => !trusted.has(describeNode(s))));
  if (fmt === 'json') {
    const out = found.map((p) => ({
      subject: nodeJson(p.subject),
      goal: p.goal,
      cost: p.cost,
      steps: p.steps.map((s) => ({ from: nodeJson(s.from), to: nodeJson(s.to), fact: s.fact, action: s.action, via: s.via })),
    }));
    emit(JSON.stringify({ goals, paths: out, errors }, null, 2) + '\n', values.output);
  } else {
    const lines: string[] = [];
    if (found.length === 0) lines.push(`No escalation path to ${goals.join(', ')}${subject ? ` for ${formatSubject(subject)}` : ''}.`);
    for (const p of found) {
      lines.push(`${describeNode(p.subject)} -> ${describeNode({ kind: 'Goal', name: p.goal })} in ${p.steps.length} step${p.steps.length === 1 ? '' : 's'}:`);
      p.steps.forEach((s, i) => {
        lines.push(`  ${i + 1}. ${s.action}${s.fact ? `  (fact ${s.fact})` : ''}`);
        lines.push(`     ${describeNode(s.from)} -> ${describeNode(s.to)}`);
        for (const v of s.via) lines.push(`     via ${v.bindingKind} ${v.namespace ? v.namespace + '/' : ''}${v.binding} -> ${v.roleKind} ${v.role} rule ${v.rule}${v.ruleFrom ? ` of ${v.ruleFrom}` : ''}`);
      });
      lines.push('');
    }
    lines.push(...errorLines(errors));
    emit(lines.map(terminalSafe).join('\n') + '\n', values.output);
  }
  return errors.length ? 2 : found.length ? 1 : 0;
}

function help(): number {
  process.stdout.write(usage + '\n');
  return 0;
}
