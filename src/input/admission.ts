// Reads an admission.k8s.io/v1 AdmissionReview as the API server sends it and turns its objects into
// the same Resource model the file scanner produces. Anything malformed is an error naming the field,
// answered with HTTP 400 by the front: guessing at a half-valid review could admit what it should not.
import type { JsonObject, Locator, Resource } from '../model/types.js';
import { asObject, asString, isObject, parsePointer } from '../model/json.js';
import { unknownPodTemplate } from '../model/workloads.js';
import { toResource } from './resources.js';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
const OPERATIONS: readonly string[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
}

/** The fields of an AdmissionRequest the webhook decides on (the rest is kept in `raw`). */
export interface AdmissionRequest {
  uid: string;
  kind: GroupVersionKind;
  resource: { group: string; version: string; resource: string };
  subResource?: string;
  name?: string;
  namespace?: string;
  operation: Operation;
  userInfo: UserInfo;
  dryRun: boolean;
  object?: JsonObject;
  oldObject?: JsonObject;
}

export type ParsedReview = { ok: true; request: AdmissionRequest } | { ok: false; error: string; uid?: string };

/** Parses the body of a POST from the API server. Never throws. */
export function parseAdmissionReview(body: string): ParsedReview {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (e) {
    return { ok: false, error: `body is not valid JSON: ${(e as Error).message}` };
  }
  if (!isObject(v)) return { ok: false, error: 'body is not a JSON object' };
  if (v.kind !== 'AdmissionReview') return { ok: false, error: `kind must be AdmissionReview, got ${JSON.stringify(v.kind ?? null)}` };
  if (v.apiVersion !== ADMISSION_API_VERSION) {
    return { ok: false, error: `apiVersion must be ${ADMISSION_API_VERSION} (set admissionReviewVersions: ["v1"] in the webhook configuration), got ${JSON.stringify(v.apiVersion ?? null)}` };
  }
  const req = asObject(v.request);
  if (!req) return { ok: false, error: 'request is missing' };
  const uid = asString(req.uid);
  if (!uid) return { ok: false, error: 'request.uid is missing' };
  const operation = asString(req.operation);
  if (!operation || !OPERATIONS.includes(operation)) return { ok: false, uid, error: `request.operation must be one of ${OPERATIONS.join(', ')}` };
  const kind = gvk(req.kind);
  if (!kind) return { ok: false, uid, error: 'request.kind must be {group, version, kind}' };
  const res = asObject(req.resource);
  const resource = { group: asString(res?.group) ?? '', version: asString(res?.version) ?? '', resource: asString(res?.resource) ?? '' };
  const ui = asObject(req.userInfo) ?? {};
  const groups = Array.isArray(ui.groups) ? ui.groups.filter((g): g is string => typeof g === 'string') : [];
  const userInfo: UserInfo = { username: asString(ui.username) ?? '', groups };
  if (asString(ui.uid)) userInfo.uid = asString(ui.uid)!;
  const request: AdmissionRequest = { uid, kind, resource, operation: operation as Operation, userInfo, dryRun: req.dryRun === true };
  const sub = asString(req.subResource);
  if (sub) request.subResource = sub;
  if (asString(req.name)) request.name = asString(req.name)!;
  if (asString(req.namespace)) request.namespace = asString(req.namespace)!;
  for (const field of ['object', 'oldObject'] as const) {
    const o = req[field];
    if (o === undefined || o === null) continue;
    if (!isObject(o)) return { ok: false, uid, error: `request.${field} must be an object` };
    request[field] = o;
  }
  if ((request.operation === 'CREATE' || request.operation === 'UPDATE') && !request.object) {
    return { ok: false, uid, error: `request.object is missing for ${request.operation}` };
  }
  return { ok: true, request };
}

function gvk(v: unknown): GroupVersionKind | undefined {
  const o = asObject(v);
  const kind = asString(o?.kind);
  const version = asString(o?.version);
  if (!o || !kind || !version) return undefined;
  return { group: asString(o.group) ?? '', version, kind };
}

/** Where a finding on an admitted object points: the request, then the JSON Pointer (no file, no line). */
export function admissionLabel(req: AdmissionRequest): string {
  const ns = req.namespace ?? '';
  return `admission:${req.kind.kind}/${ns ? `${ns}/` : ''}${req.name ?? objectName(req.object) ?? ''}`;
}

function objectName(o: JsonObject | undefined): string | undefined {
  const md = asObject(o?.metadata);
  return asString(md?.name) ?? asString(md?.generateName);
}

/**
 * The request's object as a Resource. The API server sends objects with apiVersion and kind set;
 * it sends the namespace of namespaced requests in `request.namespace` even when the object's
 * metadata omits it (kubectl create -n), so the request's namespace wins.
 */
export function admissionResource(req: AdmissionRequest, which: 'object' | 'oldObject' = 'object'): Resource | undefined {
  const raw = req[which];
  if (!raw) return undefined;
  const obj: JsonObject = { ...raw };
  if (!asString(obj.apiVersion)) obj.apiVersion = req.kind.group ? `${req.kind.group}/${req.kind.version}` : req.kind.version;
  if (!asString(obj.kind)) obj.kind = req.kind.kind;
  const file = admissionLabel(req);
  const locator: Locator = { locate: (p: string) => ({ file, line: 0, column: 0, path: p }) };
  const r = toResource(obj, file, 0, '', locator);
  if (r && req.namespace && !r.namespace) r.namespace = req.namespace;
  // A custom kind with a pod template (an Argo Workflow, an in-house operator's CR): at the door it is
  // judged by its template's shape rather than admitted unjudged; `scan` names such kinds instead.
  const generic = r ? unknownPodTemplate(r) : undefined;
  if (r && generic) r.podSpecPath = parsePointer(generic);
  return r;
}
