// Objects carried in audit event bodies, as the scanner's model sees them. Only available at
// audit level Request/RequestResponse; patches carry a patch, so the resulting object is used.
import type { JsonObject, Resource } from '../../model/types.js';
import { asString, asStringMap, isObject } from '../../model/json.js';
import { allContainers, hasPodSpec } from '../../model/workloads.js';
import type { AuditEvent } from './event.js';
import type { PolicyRule } from '../rbac/policy.js';
import { parseRules } from '../rbac/policy.js';

/** API resources (plural names) whose objects carry a pod spec. */
export const WORKLOAD_RESOURCES = ['pods', 'podtemplates', 'replicationcontrollers', 'replicasets', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'deploymentconfigs'];

/** The full object the request wrote: the request body when it is a whole object, else the response. */
export function writtenObject(e: AuditEvent): JsonObject | undefined {
  return [e.requestObject, e.responseObject].find((o) => o && asString(o.apiVersion) && asString(o.kind) && isObject(o.spec)) ?? undefined;
}

/** A scanner Resource built from an event's body; its locator names the event instead of a file line. */
export function bodyResource(obj: JsonObject, e: AuditEvent, source?: string): Resource {
  const md = isObject(obj.metadata) ? obj.metadata : {};
  const name = asString(md.name) ?? e.objectRef?.name ?? asString(md.generateName) ?? '';
  const namespace = asString(md.namespace) ?? e.objectRef?.namespace;
  const file = source ?? `audit:${e.auditID}`;
  const r: Resource = {
    apiVersion: asString(obj.apiVersion)!,
    kind: asString(obj.kind)!,
    name,
    labels: asStringMap(md.labels),
    annotations: asStringMap(md.annotations),
    object: obj,
    file,
    docIndex: 0,
    basePath: '',
    locator: { locate: (path: string) => ({ file, line: 0, column: 0, path }) },
  };
  if (namespace) r.namespace = namespace;
  return r;
}

/** Image references of every container in the pod spec the event wrote ([] when there is none). */
export function bodyImages(e: AuditEvent): string[] {
  const obj = writtenObject(e);
  if (!obj) return [];
  const r = bodyResource(obj, e);
  if (!hasPodSpec(r)) return [];
  return allContainers(r).map((c) => asString(c.container.image) ?? '');
}

/** Image repository without tag or digest ("nginx", "registry.k8s.io/pause"), as Falco's image lists name them. */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0] ?? '';
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** Whether every image matches one of the trusted repositories (exact repository or a "prefix/" entry). */
export function allImagesTrusted(images: readonly string[], trusted: readonly string[]): boolean {
  if (images.length === 0 || trusted.length === 0) return false;
  return images.every((img) => {
    const repo = imageRepository(img);
    return trusted.some((t) => (t.endsWith('/') ? repo.startsWith(t) : repo === t));
  });
}

/** The `rules` a Role/ClusterRole write set (from the request body, or the stored object for patches). */
export function writtenRoleRules(e: AuditEvent): PolicyRule[] {
  const obj = [e.requestObject, e.responseObject].find((o) => o && Array.isArray(o.rules));
  return obj ? parseRules(obj.rules, '/rules', []) : [];
}

/** `roleRef.name` and subjects of a RoleBinding/ClusterRoleBinding write. */
export function writtenBinding(e: AuditEvent): { roleKind: string; roleName: string; subjects: string[] } | undefined {
  const obj = [e.requestObject, e.responseObject].find((o) => o && isObject(o.roleRef));
  if (!obj || !isObject(obj.roleRef)) return undefined;
  const subjects = (Array.isArray(obj.subjects) ? obj.subjects : []).filter(isObject).map((s) => `${asString(s.kind) ?? '?'}:${s.namespace ? `${asString(s.namespace)}/` : ''}${asString(s.name) ?? '?'}`);
  return { roleKind: asString(obj.roleRef.kind) ?? '', roleName: asString(obj.roleRef.name) ?? '', subjects };
}
