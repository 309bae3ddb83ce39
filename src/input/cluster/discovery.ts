// Discovery: which of the kinds Rampart reads the cluster serves (and at which version), and which
// CustomResourceDefinitions describe objects that carry a pod template (Argo Rollouts, Knative
// Services, KEDA ScaledJobs, OpenKruise CloneSets…), found from their schemas rather than a name list.
import type { KubeClient } from './client.js';

/** One collection to list. */
export interface Collection {
  group: string;
  version: string;
  /** Plural resource name. */
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Read as PartialObjectMetadata only: no value ever leaves the API server (Secrets). */
  metadataOnly?: boolean;
  /** For custom kinds: where the pod spec is (from the CRD schema). */
  podSpecPath?: string[];
}

/** A kind Rampart wants, with the versions it understands in order of preference. */
interface Wanted {
  group: string;
  versions: string[];
  resource: string;
  kind: string;
  metadataOnly?: boolean;
  /** Read only by the commands that ask for it (see `discover`). */
  optIn?: boolean;
}

/** The cluster's own ValidatingAdmissionPolicies: read by `scan --cluster` and the webhook, not by pss, rbac or netpol. */
export const VAP_KINDS = ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'];

/**
 * What the rules and analyses read. Pods and ReplicaSets/Jobs come last so that objects evaluated
 * through their controller can be recognised while paging (see read.ts).
 */
export const WANTED: Wanted[] = [
  { group: '', versions: ['v1'], resource: 'namespaces', kind: 'Namespace' },
  { group: '', versions: ['v1'], resource: 'nodes', kind: 'Node' },
  { group: '', versions: ['v1'], resource: 'serviceaccounts', kind: 'ServiceAccount' },
  { group: '', versions: ['v1'], resource: 'secrets', kind: 'Secret', metadataOnly: true },
  { group: '', versions: ['v1'], resource: 'configmaps', kind: 'ConfigMap' },
  { group: '', versions: ['v1'], resource: 'services', kind: 'Service' },
  { group: 'networking.k8s.io', versions: ['v1'], resource: 'networkpolicies', kind: 'NetworkPolicy' },
  { group: 'networking.k8s.io', versions: ['v1'], resource: 'ingresses', kind: 'Ingress' },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'clusterroles', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'clusterrolebindings', kind: 'ClusterRoleBinding' },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'roles', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'rolebindings', kind: 'RoleBinding' },
  // The cluster's own ValidatingAdmissionPolicies (evaluated by `scan --cluster`); v1beta1 on 1.28–1.29.
  { group: 'admissionregistration.k8s.io', versions: ['v1', 'v1beta1'], resource: 'validatingadmissionpolicies', kind: 'ValidatingAdmissionPolicy', optIn: true },
  { group: 'admissionregistration.k8s.io', versions: ['v1', 'v1beta1'], resource: 'validatingadmissionpolicybindings', kind: 'ValidatingAdmissionPolicyBinding', optIn: true },
  { group: 'apps', versions: ['v1'], resource: 'deployments', kind: 'Deployment' },
  { group: 'apps', versions: ['v1'], resource: 'statefulsets', kind: 'StatefulSet' },
  { group: 'apps', versions: ['v1'], resource: 'daemonsets', kind: 'DaemonSet' },
  { group: 'batch', versions: ['v1'], resource: 'cronjobs', kind: 'CronJob' },
  { group: '', versions: ['v1'], resource: 'replicationcontrollers', kind: 'ReplicationController' },
  { group: 'apps.openshift.io', versions: ['v1'], resource: 'deploymentconfigs', kind: 'DeploymentConfig' },
  { group: 'apps', versions: ['v1'], resource: 'replicasets', kind: 'ReplicaSet' },
  { group: 'batch', versions: ['v1'], resource: 'jobs', kind: 'Job' },
  { group: '', versions: ['v1'], resource: 'pods', kind: 'Pod' },
];

/** Kinds that are optional by nature: not being served is normal (OpenShift-only). */
export const OPTIONAL_KINDS = new Set(['DeploymentConfig']);

export const CRD_COLLECTION: Collection = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false };

export interface DiscoveryResult {
  collections: Collection[];
  /** Wanted kinds the server does not serve. */
  notServed: Wanted[];
  /** Group versions whose discovery failed: their kinds cannot be read (fail closed). */
  failed: { group: string; version: string; resource: string; kind: string; message: string }[];
}

interface ApiResource {
  name?: unknown;
  kind?: unknown;
  namespaced?: unknown;
  verbs?: unknown;
}

/** Serves-what for the group versions named, with bounded concurrency via the client; opt-in kinds only when named in `optIn`. */
export async function discover(client: KubeClient, optIn: ReadonlySet<string> = new Set()): Promise<DiscoveryResult> {
  const groupsDoc = (await client.getJson('/apis')) as { groups?: { name?: string; versions?: { version?: string }[] }[] };
  const served = new Map<string, Set<string>>([['', new Set(['v1'])]]);
  for (const g of groupsDoc.groups ?? []) if (g.name) served.set(g.name, new Set((g.versions ?? []).map((v) => v.version ?? '')));
  const out: DiscoveryResult = { collections: [], notServed: [], failed: [] };
  // Every served version a wanted kind understands: a group may serve v1 without the kind yet
  // (admissionregistration v1 had only webhooks before 1.30), so later versions are tried in order.
  const candidates = new Map<Wanted, string[]>();
  const gvs = new Set<string>();
  for (const w of WANTED) {
    if (w.optIn && !optIn.has(w.kind)) continue;
    const vs = w.versions.filter((x) => served.get(w.group)?.has(x)).map((v) => (w.group ? `${w.group}/${v}` : v));
    if (!vs.length) {
      out.notServed.push(w);
      continue;
    }
    candidates.set(w, vs);
    for (const gv of vs) gvs.add(gv);
  }
  const docs = new Map(
    await Promise.all(
      [...gvs].map(async (gv): Promise<[string, { resources: ApiResource[] } | { error: string }]> => {
        try {
          const doc = (await client.getJson(gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`)) as { resources?: ApiResource[] };
          return [gv, { resources: doc.resources ?? [] }];
        } catch (e) {
          return [gv, { error: (e as Error).message }];
        }
      }),
    ),
  );
  for (const [w, vs] of candidates) {
    let found = false;
    for (const gv of vs) {
      const [group, version] = gv.includes('/') ? gv.split('/') : ['', gv];
      const l = docs.get(gv)!;
      if ('error' in l) {
        // Not knowing whether this version serves it: the kind cannot be read (fail closed).
        out.failed.push({ group: group!, version: version!, resource: w.resource, kind: w.kind, message: `discovery of ${gv} failed: ${l.error}` });
        found = true;
        break;
      }
      const r = l.resources.find((x) => x.name === w.resource);
      if (!r || !(Array.isArray(r.verbs) && r.verbs.includes('list'))) continue;
      const c: Collection = { group: group!, version: version!, resource: w.resource, kind: w.kind, namespaced: r.namespaced === true };
      if (w.metadataOnly) c.metadataOnly = true;
      out.collections.push(c);
      found = true;
      break;
    }
    if (!found) out.notServed.push(w);
  }
  return out;
}

type Schema = { type?: unknown; properties?: Record<string, Schema>; items?: Schema; 'x-kubernetes-preserve-unknown-fields'?: unknown };

/**
 * The path of a pod spec in a CRD's schema: the shallowest object under `spec` whose properties
 * include `containers` as an array of objects with `image` or `name` (PodSpec's shape).
 */
export function podSpecPathInSchema(schema: Schema | undefined): string[] | undefined {
  if (!schema?.properties?.spec) return undefined;
  const queue: { s: Schema; path: string[] }[] = [{ s: schema.properties.spec, path: ['spec'] }];
  while (queue.length) {
    const { s, path } = queue.shift()!;
    if (path.length > 8) continue;
    const containers = s.properties?.containers;
    if (containers?.type === 'array' && containers.items?.properties && ('image' in containers.items.properties || 'name' in containers.items.properties)) return path;
    for (const [k, child] of Object.entries(s.properties ?? {})) if (child && typeof child === 'object') queue.push({ s: child, path: [...path, k] });
  }
  return undefined;
}

interface CrdObject {
  spec?: {
    group?: string;
    scope?: string;
    names?: { plural?: string; kind?: string };
    versions?: { name?: string; served?: boolean; storage?: boolean; schema?: { openAPIV3Schema?: Schema } }[];
  };
}

/** Custom kinds whose objects carry a pod template, from the CRD objects (the storage version when served). */
export function podTemplateCollections(crds: unknown[]): Collection[] {
  const out: Collection[] = [];
  for (const raw of crds) {
    const spec = (raw as CrdObject).spec;
    if (!spec?.group || !spec.names?.plural || !spec.names.kind) continue;
    const versions = (spec.versions ?? []).filter((v) => v.served && v.name);
    const v = versions.find((x) => x.storage) ?? versions[0];
    if (!v?.name) continue;
    const p = podSpecPathInSchema(v.schema?.openAPIV3Schema);
    if (!p) continue;
    out.push({ group: spec.group, version: v.name, resource: spec.names.plural, kind: spec.names.kind, namespaced: spec.scope !== 'Cluster', podSpecPath: p });
  }
  return out;
}

export function collectionPath(c: Collection, namespace?: string): string {
  const base = c.group ? `/apis/${c.group}/${c.version}` : `/api/${c.version}`;
  return c.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${c.resource}` : `${base}/${c.resource}`;
}
