// Flags shared by the commands that read a live cluster (`scan`, `pss`, `rbac`, `netpol`), and the
// steps they share: pick the clusters, read them (bounded concurrency for fleets), and turn coverage
// gaps into named "not evaluated" entries. `scan`'s reports and roll-up are in cluster-scan.ts.
import path from 'node:path';
import type { AnyRule } from '../engine/rule.js';
import type { ClusterScanInfo } from '../engine/finding.js';
import type { Skipped } from '../model/types.js';
import { WORKLOAD_KINDS } from '../model/workloads.js';
import type { ClusterInput, ClusterTarget } from '../input/cluster/index.js';
import { progress, progressDone, UsageError } from './common.js';
import type { LoadResult } from '../input/files.js';

/** The cluster client is loaded only when a cluster is read (commands on files start faster). */
const clusterModule = () => import('../input/cluster/index.js');

/** Which cluster and how strictly: for commands whose -n means something of their own (rbac, netpol). */
export const CLUSTER_SOURCE_OPTIONS = {
  cluster: { type: 'boolean' },
  kubeconfig: { type: 'string' },
  context: { type: 'string', multiple: true },
  'all-contexts': { type: 'boolean' },
  'allow-partial': { type: 'boolean' },
  'no-kubelet-config': { type: 'boolean' },
  'skip-kind': { type: 'string', multiple: true },
} as const;

export const CLUSTER_OPTIONS = {
  ...CLUSTER_SOURCE_OPTIONS,
  namespace: { type: 'string', short: 'n' },
} as const;

/** `scan --cluster` only: write the results back as PolicyReports. */
export const CLUSTER_SCAN_OPTIONS = {
  ...CLUSTER_OPTIONS,
  'apply-reports': { type: 'boolean' },
} as const;

export const CLUSTER_USAGE = `      --cluster         read the live cluster of the current kubeconfig context (in a pod: its service account)
      --kubeconfig FILE kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)
      --context A[,B]   context(s) to read (repeatable or comma-separated; implies --cluster)
      --all-contexts    read every context of the kubeconfig (one report per cluster plus a roll-up)
  -n, --namespace NS    with --cluster: read namespaced kinds in NS only
      --allow-partial   kinds that could not be fully read (forbidden, failed) do not fail the run;
                        they are still named in the report
      --no-kubelet-config  do not ask each node's kubelet for its configuration (nodes/proxy)
      --skip-kind KIND  do not read KIND (repeatable, e.g. Secret when the role may not list them);
                        named in the report as not requested, the rules that read it not evaluated`;

export const CLUSTER_SCAN_USAGE = `${CLUSTER_USAGE}
      --apply-reports   write the results into each cluster as wgpolicyk8s.io/v1alpha2 PolicyReports
                        (one per namespace) and a ClusterPolicyReport, by server-side apply; reports
                        from earlier runs that no longer apply are deleted`;

export interface ClusterFlags {
  cluster?: boolean | undefined;
  kubeconfig?: string | undefined;
  context?: string[] | undefined;
  'all-contexts'?: boolean | undefined;
  /** Only a string limits what is read (netpol's repeatable -n filters its output instead). */
  namespace?: string | string[] | undefined;
  'allow-partial'?: boolean | undefined;
  'no-kubelet-config'?: boolean | undefined;
  'skip-kind'?: string[] | undefined;
  'apply-reports'?: boolean | undefined;
}

/** True when run as `kubectl rampart …` (kubectl runs the `kubectl-rampart` binary on PATH). */
export function invokedAsKubectlPlugin(argv1: string | undefined = process.argv[1]): boolean {
  return Boolean(argv1 && path.basename(argv1).startsWith('kubectl-rampart'));
}

/** Whether the command reads a live cluster: --cluster, a cluster flag, or the kubectl plugin with no paths. */
export function wantsCluster(values: ClusterFlags, positionals: string[]): boolean {
  if (values.cluster || values.kubeconfig || values.context?.length || values['all-contexts']) {
    if (positionals.length) throw new UsageError('give either paths or --cluster, not both');
    return true;
  }
  return invokedAsKubectlPlugin() && positionals.length === 0;
}

export interface ClusterLoad extends ClusterInput {
  info: ClusterScanInfo;
  target: ClusterTarget;
}

const FLEET_CONCURRENCY = 3;

async function targetsOf(values: ClusterFlags): Promise<ClusterTarget[]> {
  const { resolveTargets, KubeconfigError } = await clusterModule();
  const contexts = (values.context ?? []).flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean);
  try {
    return resolveTargets({ ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}), contexts, allContexts: Boolean(values['all-contexts']) });
  } catch (e) {
    if (e instanceof KubeconfigError) throw new UsageError(e.message);
    throw e;
  }
}

/** Reads one cluster; a cluster that cannot be reached is an error in its report, never a crash. */
async function loadOne(target: ClusterTarget, values: ClusterFlags, rules: readonly AnyRule[], optInKinds: readonly string[]): Promise<ClusterLoad> {
  const { ApiError, CredentialError, KubeClient, readCluster } = await clusterModule();
  const allowPartial = Boolean(values['allow-partial']);
  const info: ClusterScanInfo = { context: target.context, server: target.server, allowPartial, coverage: [] };
  const namespace = typeof values.namespace === 'string' ? values.namespace : undefined;
  if (namespace) info.namespace = namespace;
  let client: InstanceType<typeof KubeClient> | undefined;
  try {
    client = new KubeClient(target);
    const input = await readCluster(client, {
      ...(namespace ? { namespace } : {}),
      kubeletConfig: !values['no-kubelet-config'],
      optInKinds,
      skipKinds: (values['skip-kind'] ?? []).flatMap((k) => k.split(',')).map((k) => k.trim()).filter(Boolean),
      onProgress: progress,
    });
    info.coverage = input.coverage;
    if (input.nodes.length) info.nodes = input.nodes;
    input.skipped = input.skipped.map((s) => nameRules(s, rules, allowPartial));
    return { ...input, info, target };
  } catch (e) {
    if (!(e instanceof ApiError || e instanceof CredentialError)) throw e;
    const file = `cluster://${encodeURIComponent(target.context)}`;
    return { context: target.context, server: target.server, resources: [], skipped: [], coverage: [], nodes: [], files: 0, errors: [{ file, message: `cluster not read: ${e.message}` }], info, target };
  } finally {
    client?.close();
  }
}

/**
 * Reads the selected clusters, at most FLEET_CONCURRENCY at once, and hands each to `use` as soon as
 * it is read; results come back in the order given. Only what `use` returns is kept, so a fleet
 * holds one cluster's objects per worker, not every cluster's.
 */
/** `optInKinds`: kinds only this command reads (discovery.ts VAP_KINDS for scan). */
export async function forEachCluster<T>(values: ClusterFlags, rules: readonly AnyRule[], use: (load: ClusterLoad) => Promise<T>, optInKinds: readonly string[] = []): Promise<T[]> {
  const targets = await targetsOf(values);
  const out: T[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      out[i] = await use(await loadOne(targets[i]!, values, rules, optInKinds));
    }
  };
  await Promise.all(Array.from({ length: Math.min(FLEET_CONCURRENCY, targets.length) }, worker));
  progressDone();
  return out;
}

/** One cluster for commands that take one (pss, rbac, netpol): its resources, errors and skipped. */
export async function loadSingleCluster(values: ClusterFlags, rules: readonly AnyRule[]): Promise<ClusterLoad> {
  if (values['all-contexts'] || (values.context ?? []).join(',').includes(',')) throw new UsageError('this command reads one cluster at a time: give one --context');
  return (await forEachCluster(values, rules, async (l) => l))[0]!;
}

/** The inputs of a command that takes paths or a cluster: the cluster when asked for (or as the kubectl plugin). */
export async function loadPathsOrCluster(values: ClusterFlags, paths: string[], rules: readonly AnyRule[]): Promise<LoadResult & { cluster?: ClusterScanInfo }> {
  if (!wantsCluster(values, paths)) return (await import('../input/files.js')).loadInputs(paths);
  const l = await loadSingleCluster(values, rules);
  return { resources: l.resources, errors: l.errors, skipped: l.skipped, files: 0, bytes: 0, cluster: l.info };
}

/** "Secret … forbidden" becomes "… forbidden; not evaluated: rules a, b, c"; a gap fails closed unless partial is allowed. */
function nameRules(s: Skipped, rules: readonly AnyRule[], allowPartial: boolean): Skipped {
  const kind = s.reason.split(' ')[0] ?? '';
  const readers = rules
    .filter((r) => r.meta.kinds?.includes(kind) || (r.meta.kinds === WORKLOAD_KINDS && WORKLOAD_KINDS.includes(kind)))
    .map((r) => r.meta.id);
  const named = readers.length ? `; not evaluated: ${readers.slice(0, 6).join(', ')}${readers.length > 6 ? ` and ${readers.length - 6} more rules` : ''}` : `; rules that read ${kind} were not evaluated`;
  const accepted = s.failsClosed && allowPartial;
  return { ...s, reason: s.reason + named, failsClosed: s.failsClosed && !allowPartial, ...(accepted ? { hint: 'accepted with --allow-partial' } : {}) };
}
