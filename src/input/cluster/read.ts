// Reads a live cluster into the same Resource model files produce, with a coverage row per kind.
// Fail closed: a kind that could not be fully read (forbidden, failed) becomes a `Skipped` entry that
// fails the run (unless the user allows partial coverage), so RBAC that hides objects never reads as
// a clean cluster. Secrets are listed as PartialObjectMetadata: no secret value leaves the API server.
import type { CoverageRow, NodeInfo } from '../../engine/finding.js';
import type { InputError, JsonObject, Locator, Resource, Skipped } from '../../model/types.js';
import { toResource } from '../resources.js';
import { ApiError, type KubeClient } from './client.js';
import { collectionPath, CRD_COLLECTION, discover, OPTIONAL_KINDS, podTemplateCollections, type Collection } from './discovery.js';

export const METADATA_ONLY_ACCEPT = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
/** Never kept: a copy of the whole object as last applied (for a Secret, its values). */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** Kinds whose objects are usually made by a controller from a template: read after the controllers. */
const CONTROLLED_KINDS = ['ReplicaSet', 'Job', 'Pod'];
/** Built-in controllers that make objects from a pod template (a static Pod's owner, a Node, is not one). */
const TEMPLATE_CONTROLLERS = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'ReplicationController', 'DeploymentConfig', 'ReplicaSet', 'Job'];

export interface ReadOptions {
  /** Limit namespaced kinds to this namespace (-n). */
  namespace?: string;
  /** Page size for lists. */
  pageSize?: number;
  /** Read the kubelet configuration of each node via nodes/{name}/proxy/configz (default true). */
  kubeletConfig?: boolean;
  /** Kinds deliberately not read (--skip-kind): named in the coverage as not requested. */
  skipKinds?: string[];
  /** Progress messages (the CLI shows them on a TTY only). */
  onProgress?(message: string): void;
  /** Opt-in kinds to read too (VAP_KINDS for `scan`). */
  optInKinds?: readonly string[];
}

export interface ClusterInput {
  context: string;
  server: string;
  resources: Resource[];
  errors: InputError[];
  skipped: Skipped[];
  coverage: CoverageRow[];
  /** Versions from the Node objects (kubelet, runtime, OS). */
  nodes: NodeInfo[];
  files: number;
}

/** `cluster://<context>/<namespace>/<Kind>/<name>`, or `cluster://<context>/<Kind>/<name>` when cluster-scoped. */
export function clusterObjectUri(context: string, kind: string, name: string, namespace?: string): string {
  const seg = (s: string) => encodeURIComponent(s);
  return `cluster://${seg(context)}/${namespace ? `${seg(namespace)}/` : ''}${seg(kind)}/${seg(name)}`;
}

/** A live object has no file line: its location names the object, and `path` the field. */
function clusterLocator(uri: string): Locator {
  return { locate: (p: string) => ({ file: uri, line: 0, column: 0, path: p }) };
}

/** The object without what is large and useless to rules, or secret: managedFields, last-applied. */
function slim(item: JsonObject): JsonObject {
  const md = item.metadata as JsonObject | undefined;
  if (md && typeof md === 'object') {
    delete md.managedFields;
    const ann = md.annotations as JsonObject | undefined;
    if (ann && typeof ann === 'object' && LAST_APPLIED in ann) delete ann[LAST_APPLIED];
  }
  return item;
}

function controllerKind(obj: JsonObject): string | undefined {
  const refs = (obj.metadata as JsonObject | undefined)?.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  for (const r of refs) if (r && typeof r === 'object' && !Array.isArray(r) && r.controller === true && typeof r.kind === 'string') return r.kind;
  return undefined;
}

export function clusterResource(context: string, c: Collection, raw: JsonObject): Resource | undefined {
  const apiVersion = c.group ? `${c.group}/${c.version}` : c.version;
  // List items carry no apiVersion/kind; PartialObjectMetadata items carry meta.k8s.io's.
  const obj: JsonObject = c.metadataOnly ? { apiVersion, kind: c.kind, metadata: raw.metadata ?? {} } : { apiVersion, kind: c.kind, ...raw };
  obj.apiVersion = apiVersion;
  obj.kind = c.kind;
  const md = (obj.metadata ?? {}) as JsonObject;
  const ns = typeof md.namespace === 'string' && md.namespace ? md.namespace : undefined;
  const r = toResource(slim(obj), clusterObjectUri(context, c.kind, String(md.name ?? ''), ns), 0, '', clusterLocator(clusterObjectUri(context, c.kind, String(md.name ?? ''), ns)));
  if (r && c.podSpecPath) r.podSpecPath = c.podSpecPath;
  return r;
}

function rowOf(c: Collection, namespace: string | undefined): CoverageRow {
  const row: CoverageRow = { kind: c.kind, group: c.group, version: c.version, resource: c.resource, status: 'read', read: 0 };
  if (c.metadataOnly) row.metadataOnly = true;
  if (c.namespaced && namespace) row.namespace = namespace;
  return row;
}

function failRow(row: CoverageRow, e: unknown): void {
  if (e instanceof ApiError && e.status === 403) row.status = 'forbidden';
  else if (e instanceof ApiError && e.status === 404) row.status = 'not-served';
  else row.status = 'failed';
  row.message = (e as Error).message;
}

/** Reads everything the rules need from one cluster. Never throws for a kind: it is a coverage row. */
export async function readCluster(client: KubeClient, opts: ReadOptions = {}): Promise<ClusterInput> {
  const ctx = client.target.context;
  const out: ClusterInput = { context: ctx, server: client.target.server, resources: [], errors: [], skipped: [], coverage: [], nodes: [], files: 0 };
  const say = opts.onProgress ?? (() => undefined);
  say(`${ctx}: discovery…`);
  const d = await discover(client, new Set(opts.optInKinds ?? []));
  for (const w of d.notServed) {
    out.coverage.push({ kind: w.kind, group: w.group, version: w.versions[0]!, resource: w.resource, status: 'not-served', read: 0 });
  }
  for (const f of d.failed) out.coverage.push({ kind: f.kind, group: f.group, version: f.version, resource: f.resource, status: 'failed', read: 0, message: f.message });

  // Custom kinds with a pod template, from the CRDs (cluster-scoped: needs list on CRDs).
  const crdRow = rowOf(CRD_COLLECTION, undefined);
  const collections = [...d.collections];
  try {
    const crds: unknown[] = [];
    await client.list(collectionPath(CRD_COLLECTION), { limit: opts.pageSize ?? 500, onPage: (items) => crds.push(...items), onRestart: () => (crds.length = 0) });
    crdRow.read = crds.length;
    const custom = podTemplateCollections(crds);
    collections.push(...custom);
  } catch (e) {
    failRow(crdRow, e);
    crdRow.message = `${crdRow.message ?? ''}; custom kinds with a pod template (Argo Rollouts, KEDA ScaledJobs…) could not be found`;
  }
  out.coverage.push(crdRow);

  const skip = new Set(opts.skipKinds ?? []);
  if (opts.kubeletConfig === false) skip.add('KubeletConfiguration');
  for (const c of collections.filter((x) => skip.has(x.kind))) out.coverage.push({ ...rowOf(c, opts.namespace), status: 'not-requested', message: 'not requested (--skip-kind)' });
  const toRead = collections.filter((x) => !skip.has(x.kind));
  const known = new Set([...collections.map((c) => c.kind), ...d.notServed.map((w) => w.kind), ...d.failed.map((f) => f.kind), 'KubeletConfiguration']);
  for (const k of skip) {
    // A misspelt kind must not pass for a deliberate choice.
    if (!known.has(k)) out.errors.push({ file: `cluster://${encodeURIComponent(ctx)}`, message: `--skip-kind ${k}: Rampart reads no such kind (it reads ${[...known].sort().join(', ')})` });
  }
  const complete = new Set<string>();
  let total = 0;
  const readOne = async (c: Collection) => {
    const row = rowOf(c, opts.namespace);
    out.coverage.push(row);
    const mine: Resource[] = [];
    let via = 0;
    const isControlled = CONTROLLED_KINDS.includes(c.kind);
    try {
      await client.list(collectionPath(c, opts.namespace), {
        limit: opts.pageSize ?? 500,
        ...(c.metadataOnly ? { accept: METADATA_ONLY_ACCEPT } : {}),
        onRestart: () => {
          mine.length = 0;
          via = 0;
        },
        onPage: (items) => {
          for (const item of items) {
            if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
            // A Pod of a ReplicaSet (a ReplicaSet of a Deployment…) is evaluated through its controller's
            // template, once, instead of once per replica; only when that controller's kind was fully read.
            const owner = isControlled ? controllerKind(item as JsonObject) : undefined;
            if (owner && complete.has(owner)) {
              via++;
              continue;
            }
            const r = clusterResource(ctx, c, item as JsonObject);
            if (r) mine.push(r);
          }
          total += items.length;
          say(`${ctx}: read ${total} objects (${c.resource}…)`);
        },
      });
      if (c.kind === 'Secret') await markTokenSecrets(client, collectionPath(c, opts.namespace), mine, opts.pageSize ?? 500);
      row.read = mine.length + via;
      if (via) row.viaController = via;
      for (const r of mine) out.resources.push(r);
      if (TEMPLATE_CONTROLLERS.includes(c.kind) || c.podSpecPath) complete.add(c.kind);
    } catch (e) {
      failRow(row, e);
    }
  };
  const phase = async (cs: Collection[]) => void (await Promise.all(cs.map(readOne)));
  // Controllers first, then what they own, so owned objects are recognised while paging.
  await phase(toRead.filter((c) => !CONTROLLED_KINDS.includes(c.kind)));
  for (const k of CONTROLLED_KINDS) await phase(toRead.filter((c) => c.kind === k));

  if (!skip.has('KubeletConfiguration')) await readKubeletConfigs(client, out);
  else out.coverage.push({ kind: 'KubeletConfiguration', group: 'kubelet.config.k8s.io', version: 'v1beta1', resource: 'nodes/proxy', status: 'not-requested', read: 0, message: 'not requested (--no-kubelet-config)' });

  out.nodes = out.resources.filter((r) => r.kind === 'Node').map(nodeInfo);
  out.coverage.sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind));
  for (const row of out.coverage) {
    if (row.status === 'not-requested') {
      // Deliberately out of scope: named, but it does not fail the run.
      out.skipped.push({ file: `cluster://${encodeURIComponent(ctx)}`, reason: `${row.kind} ${row.message ?? 'not requested'}`, failsClosed: false });
      continue;
    }
    if (row.status === 'read') continue;
    if (row.status === 'not-served') continue; // nothing of that kind can exist: nothing is hidden
    out.skipped.push({
      file: `cluster://${encodeURIComponent(ctx)}`,
      reason: `${row.kind} (${row.group ? row.group + '/' : ''}${row.version} ${row.resource}${row.namespace ? ` in ${row.namespace}` : ''}) ${row.status}: ${row.message ?? ''}`.trim(),
      failsClosed: true,
    });
  }
  if (OPTIONAL_KINDS.size) out.coverage = out.coverage.filter((r) => !(OPTIONAL_KINDS.has(r.kind) && r.status === 'not-served'));
  return out;
}

function nodeInfo(r: Resource): NodeInfo {
  const ni = ((r.object.status as JsonObject | undefined)?.nodeInfo ?? {}) as JsonObject;
  const n: NodeInfo = { name: r.name };
  for (const k of ['kubeletVersion', 'containerRuntimeVersion', 'osImage', 'kernelVersion'] as const) if (typeof ni[k] === 'string') n[k] = ni[k];
  return n;
}

export const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token';

/**
 * Metadata has no `type`, but the RBAC analysis must know which Secrets are service-account tokens:
 * a second metadata-only list with a field selector on the type names them, still without a value.
 */
async function markTokenSecrets(client: KubeClient, path: string, secrets: Resource[], pageSize: number): Promise<void> {
  const tokens = new Set<string>();
  await client.list(`${path}?fieldSelector=${encodeURIComponent(`type=${SA_TOKEN_TYPE}`)}`, {
    limit: pageSize,
    accept: METADATA_ONLY_ACCEPT,
    onPage: (items) => {
      for (const it of items as { metadata?: { namespace?: string; name?: string } }[]) tokens.add(`${it.metadata?.namespace ?? ''}/${it.metadata?.name ?? ''}`);
    },
    onRestart: () => tokens.clear(),
  });
  for (const r of secrets) if (tokens.has(`${r.namespace ?? ''}/${r.name}`)) r.object.type = SA_TOKEN_TYPE;
}

/** The kubelet configuration of each node, as the kubelet itself reports it (configz). */
async function readKubeletConfigs(client: KubeClient, out: ClusterInput): Promise<void> {
  const nodes = out.resources.filter((r) => r.kind === 'Node');
  const row: CoverageRow = { kind: 'KubeletConfiguration', group: 'kubelet.config.k8s.io', version: 'v1beta1', resource: 'nodes/proxy', status: 'read', read: 0 };
  out.coverage.push(row);
  const nodesRow = out.coverage.find((c) => c.kind === 'Node');
  if (nodesRow && nodesRow.status !== 'read') {
    row.status = 'failed';
    row.message = 'nodes could not be listed, so their kubelets could not be asked';
    return;
  }
  const problems: string[] = [];
  await Promise.all(
    nodes.map(async (n) => {
      try {
        const doc = (await client.getJson(`/api/v1/nodes/${encodeURIComponent(n.name)}/proxy/configz`)) as { kubeletconfig?: JsonObject };
        if (!doc.kubeletconfig || typeof doc.kubeletconfig !== 'object') throw new Error('configz has no kubeletconfig');
        const obj: JsonObject = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', metadata: { name: n.name }, ...doc.kubeletconfig };
        const uri = clusterObjectUri(out.context, 'Node', n.name) + '/configz';
        const r = toResource(obj, uri, 0, '', clusterLocator(uri));
        if (r) out.resources.push(r);
        row.read++;
      } catch (e) {
        if (e instanceof ApiError && e.status === 403) row.status = 'forbidden';
        else if (row.status !== 'forbidden') row.status = 'failed';
        problems.push(`${n.name}: ${(e as Error).message}`);
      }
    }),
  );
  if (problems.length) row.message = `${problems.length} of ${nodes.length} kubelets not read (${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''})`;
}
