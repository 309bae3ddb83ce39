// The audit event model: audit.k8s.io Events read from untrusted JSON. Wrong field types never
// throw; an object that is not an Event is rejected with a reason (counted, never fatal).
import type { JsonObject, JsonValue } from '../../model/types.js';
import { asArray, asNumber, asObject, asString, asStringMap, isObject } from '../../model/json.js';

export interface ObjectRef {
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  apiGroup?: string;
  apiVersion?: string;
}

export interface EventUser {
  username: string;
  groups: string[];
  /** Only the keys of user.extra: values can carry credentials-adjacent data and are never needed. */
  extraKeys: string[];
}

export interface AuditEvent {
  auditID: string;
  stage: string;
  level: string;
  verb: string;
  requestURI: string;
  user: EventUser;
  impersonatedUser?: EventUser;
  sourceIPs: string[];
  userAgent: string;
  objectRef?: ObjectRef;
  /** HTTP status; 0 when the event has no responseStatus (RequestReceived stage). */
  code: number;
  annotations: Record<string, string>;
  /** RFC 3339; the first of requestReceivedTimestamp, stageTimestamp, timestamp (v1beta1). */
  timestamp: string;
  /** Milliseconds since the epoch of `timestamp`; NaN when absent or unparsable. */
  time: number;
  /** Present at audit level Request and RequestResponse. Never copied into alerts. */
  requestObject?: JsonObject;
  responseObject?: JsonObject;
}

export const EVENT_API_VERSIONS = ['audit.k8s.io/v1', 'audit.k8s.io/v1beta1'];

/** The array itself when every item is a string (the common case: no copy), else its strings. */
function strings(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  for (const x of v) if (typeof x !== 'string') return v.filter((g): g is string => typeof g === 'string');
  return v as string[];
}

/** The map itself when every value is a string, else a copy of its string values. */
function stringMap(v: unknown): Record<string, string> {
  if (!isObject(v)) return {};
  for (const k in v) if (typeof v[k] !== 'string') return asStringMap(v);
  return v as Record<string, string>;
}

/** Shared by every user without `extra` (most): frozen, so no one can fill it. */
const NO_KEYS: string[] = Object.freeze([]) as unknown as string[];

function user(v: unknown): EventUser | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  return {
    username: asString(o.username) ?? '',
    groups: strings(o.groups),
    extraKeys: isObject(o.extra) ? Object.keys(o.extra).sort() : NO_KEYS,
  };
}

const REF_FIELDS = ['resource', 'subresource', 'namespace', 'name', 'apiGroup', 'apiVersion'] as const;

function objectRef(v: unknown): ObjectRef | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const out: ObjectRef = {};
  for (const k of REF_FIELDS) {
    const s = o[k];
    if (typeof s === 'string' && s !== '') out[k] = s;
  }
  return out;
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Milliseconds of an RFC 3339 UTC timestamp as the API server writes it (2026-01-05T10:00:04.116000Z),
 * equal to Date.parse (fraction truncated to ms) at a fraction of its cost; anything else goes to Date.parse.
 */
export function parseTimestamp(s: string): number {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90) return Date.parse(s);
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 7);
  const d = digits(s, 8, 10);
  const h = digits(s, 11, 13);
  const mi = digits(s, 14, 16);
  const sec = digits(s, 17, 19);
  let ms = 0;
  if (n > 20) {
    if (s.charCodeAt(19) !== 46 || n === 21 || Number.isNaN(digits(s, 20, n - 1))) return Date.parse(s);
    ms = digits((s.slice(20, Math.min(23, n - 1)) + '00').slice(0, 3), 0, 3);
  }
  // Out-of-range fields: Date.parse decides (it rejects some, rolls others over).
  if (!(y >= 100 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && sec < 60)) return Date.parse(s);
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms);
}

/** An Event, or the reason the value is not one. */
export function parseEvent(v: JsonValue | undefined): AuditEvent | string {
  if (!isObject(v)) return 'not a JSON object';
  const kind = asString(v.kind);
  if (kind !== 'Event') return v.kind === undefined ? 'no "kind" (expected kind: Event)' : `kind ${JSON.stringify(v.kind)} is not Event`;
  const apiVersion = asString(v.apiVersion);
  if (apiVersion !== undefined && !EVENT_API_VERSIONS.includes(apiVersion)) return `apiVersion "${apiVersion}" is not ${EVENT_API_VERSIONS.join(' or ')}`;
  const auditID = asString(v.auditID);
  if (!auditID) return 'no auditID';
  const verb = asString(v.verb);
  if (!verb) return 'no verb';
  const u = user(v.user);
  if (!u) return 'no user';
  const timestamp = asString(v.requestReceivedTimestamp) ?? asString(v.stageTimestamp) ?? asString(v.timestamp) ?? '';
  const e: AuditEvent = {
    auditID,
    stage: asString(v.stage) ?? '',
    level: asString(v.level) ?? '',
    verb,
    requestURI: asString(v.requestURI) ?? '',
    user: u,
    sourceIPs: strings(v.sourceIPs),
    userAgent: asString(v.userAgent) ?? '',
    code: asNumber(asObject(v.responseStatus)?.code) ?? 0,
    annotations: stringMap(v.annotations),
    timestamp,
    time: timestamp ? parseTimestamp(timestamp) : NaN,
  };
  const imp = user(v.impersonatedUser);
  if (imp) e.impersonatedUser = imp;
  const ref = objectRef(v.objectRef);
  if (ref) e.objectRef = ref;
  const req = asObject(v.requestObject);
  if (req) e.requestObject = req;
  const resp = asObject(v.responseObject);
  if (resp) e.responseObject = resp;
  return e;
}

/** `EventList` items (the webhook backend's batch), or undefined when the value is not an EventList. */
export function eventListItems(v: JsonValue | undefined): JsonValue[] | undefined {
  if (!isObject(v) || v.kind !== 'EventList') return undefined;
  return asArray(v.items);
}

// ---- identity helpers -------------------------------------------------------------------------

export const SA_PREFIX = 'system:serviceaccount:';

/** The identity that acted: the impersonated user when impersonation was used. */
export function actor(e: AuditEvent): EventUser {
  return e.impersonatedUser ?? e.user;
}

export function isServiceAccount(username: string): boolean {
  return username.startsWith(SA_PREFIX);
}

/** "ns/name" of a service-account user, or undefined. */
export function serviceAccountOf(username: string): { namespace: string; name: string } | undefined {
  if (!isServiceAccount(username)) return undefined;
  const [namespace, name] = username.slice(SA_PREFIX.length).split(':');
  return namespace && name ? { namespace, name } : undefined;
}

export function isAnonymous(u: EventUser): boolean {
  return u.username === 'system:anonymous' || u.groups.includes('system:unauthenticated');
}

/**
 * Control-plane and node components (kube-controller-manager, scheduler, kubelets, the API
 * server itself) and the controllers' service accounts in kube-system. A human is anything else
 * that is not a service account.
 */
export function isSystemComponent(u: EventUser): boolean {
  const n = u.username;
  if (n.startsWith('system:') && !isServiceAccount(n) && n !== 'system:anonymous') return true;
  if (u.groups.includes('system:nodes')) return true;
  return n.startsWith(`${SA_PREFIX}kube-system:`);
}

export function isHuman(u: EventUser): boolean {
  return !isServiceAccount(u.username) && !isSystemComponent(u) && !isAnonymous(u);
}

export function resourceOf(e: AuditEvent): string {
  return e.objectRef?.resource ?? '';
}

export function subresourceOf(e: AuditEvent): string {
  return e.objectRef?.subresource ?? '';
}

/** `resource[/subresource]` or the request path for non-resource requests. */
export function target(e: AuditEvent): string {
  const r = resourceOf(e);
  if (!r) return e.requestURI.split('?')[0] ?? '';
  const s = subresourceOf(e);
  return s ? `${r}/${s}` : r;
}

/** "kind ns/name" for messages; names only, never values. */
export function describeObject(e: AuditEvent): string {
  const ref = e.objectRef;
  if (!ref) return e.requestURI.split('?')[0] || '(no object)';
  const name = ref.name ?? asString(asObject(e.requestObject?.metadata)?.name) ?? asString(asObject(e.responseObject?.metadata)?.name);
  const where = ref.namespace ? `${ref.namespace}/` : '';
  return `${target(e)} ${where}${name ?? '(collection)'}`.trim();
}

export const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
export const READ_VERBS = new Set(['get', 'list', 'watch']);

export function succeeded(e: AuditEvent): boolean {
  return e.code > 0 && e.code < 400;
}
