// Typed, fail-closed reads of an untrusted pod. Kubernetes decodes a pod into typed structs
// before Pod Security Admission sees it; a field of the wrong type would be refused there, so
// here it is recorded as malformed (never thrown, never silently treated as absent).
import type { JsonObject, JsonValue } from '../../model/types.js';
import { isObject, pointer } from '../../model/json.js';
import type { CheckResult, ContainerType, ContainerView, Malformed, PodInput } from './types.js';

type Kind = 'boolean' | 'string' | 'integer' | 'object' | 'array';

const LABEL: Record<ContainerType, string> = {
  initContainers: 'init container',
  containers: 'container',
  ephemeralContainers: 'ephemeral container',
};

/** Upstream visits init containers, then containers, then ephemeral containers. */
const VISIT_ORDER: ContainerType[] = ['initContainers', 'containers', 'ephemeralContainers'];

export class PodReader {
  readonly malformed: Malformed[] = [];
  /** Set by the evaluator so that malformed fields are attributed to the check reading them. */
  currentCheck: string | undefined;
  readonly spec: JsonObject;
  readonly annotations: Record<string, string>;
  // Fields, not getters: every check reads them, and under the scan's compiler a getter is a call
  // (and this one a new string each time).
  readonly specPath: string;
  readonly podSecurityContextPath: string;
  private containerCache: ContainerView[] | undefined;

  constructor(readonly input: PodInput) {
    this.specPath = input.specPath;
    this.podSecurityContextPath = `${input.specPath}/securityContext`;
    const spec = input.spec;
    if (isObject(spec)) this.spec = spec;
    else {
      this.spec = {};
      this.bad(input.specPath, spec === undefined || spec === null ? 'pod spec is missing' : 'pod spec is not an object');
    }
    // No prototype: annotation keys are untrusted and are looked up with `in`.
    this.annotations = Object.create(null) as Record<string, string>;
    const md = input.metadata;
    if (md !== undefined && md !== null && !isObject(md)) this.bad(input.metadataPath, 'metadata is not an object');
    const ann = isObject(md) ? md.annotations : undefined;
    if (isObject(ann)) {
      for (const [k, v] of Object.entries(ann)) {
        if (typeof v === 'string') this.annotations[k] = v;
        else if (v !== null) this.bad(`${input.metadataPath}/annotations${pointer(k)}`, 'annotation value is not a string');
      }
    } else if (ann !== undefined && ann !== null) this.bad(`${input.metadataPath}/annotations`, 'annotations is not a map');
  }

  bad(path: string, message: string): void {
    // The same field may be read by several checks; report it once per check.
    if (this.malformed.some((m) => m.path === path && m.check === this.currentCheck)) return;
    const m: Malformed = { path, message };
    if (this.currentCheck) m.check = this.currentCheck;
    this.malformed.push(m);
  }

  /** Reads `obj[key]` as `kind`; absent and null are undefined; a wrong type is recorded as malformed. */
  get(obj: JsonObject | undefined, key: string, basePath: string, kind: 'boolean'): boolean | undefined;
  get(obj: JsonObject | undefined, key: string, basePath: string, kind: 'string'): string | undefined;
  get(obj: JsonObject | undefined, key: string, basePath: string, kind: 'integer'): number | undefined;
  get(obj: JsonObject | undefined, key: string, basePath: string, kind: 'object'): JsonObject | undefined;
  get(obj: JsonObject | undefined, key: string, basePath: string, kind: 'array'): JsonValue[] | undefined;
  get(obj: JsonObject | undefined, key: string, basePath: string, kind: Kind): JsonValue | undefined {
    if (!obj) return undefined;
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (matches(v, kind)) return v;
    this.bad(`${basePath}${pointer(key)}`, `${key} must be ${ARTICLE[kind]}, not ${describe(v)}`);
    return undefined;
  }

  /** Items of an array field that are objects; other items are malformed. */
  objects(obj: JsonObject | undefined, key: string, basePath: string): { item: JsonObject; path: string }[] {
    const arr = this.get(obj, key, basePath, 'array');
    if (!arr) return [];
    const out: { item: JsonObject; path: string }[] = [];
    const at = `${basePath}/${escapeToken(key)}/`;
    for (let i = 0; i < arr.length; i++) {
      const item = arr[i]!;
      if (isObject(item)) out.push({ item, path: at + i });
      else if (item !== null) this.bad(at + i, `${key} item is ${describe(item)}, not an object`);
    }
    return out;
  }

  /** Items of a string-array field; other items are malformed. */
  strings(obj: JsonObject | undefined, key: string, basePath: string): { value: string; path: string }[] {
    const arr = this.get(obj, key, basePath, 'array');
    if (!arr) return [];
    const out: { value: string; path: string }[] = [];
    const at = `${basePath}/${escapeToken(key)}/`;
    for (let i = 0; i < arr.length; i++) {
      const item = arr[i]!;
      if (typeof item === 'string') out.push({ value: item, path: at + i });
      else this.bad(at + i, `${key} item must be a string, not ${describe(item)}`);
    }
    return out;
  }

  /** Every container in upstream's visiting order. */
  containers(): ContainerView[] {
    if (this.containerCache) return this.containerCache;
    const out: ContainerView[] = [];
    const saved = this.currentCheck;
    this.currentCheck = undefined; // container-list problems belong to the pod, not to one check
    for (const type of VISIT_ORDER) {
      for (const { item, path } of this.objects(this.spec, type, this.specPath)) {
        const name = this.get(item, 'name', path, 'string') ?? '';
        out.push({ obj: item, name, type, index: Number(path.slice(path.lastIndexOf('/') + 1)), path, scPath: `${path}/securityContext`, label: `${LABEL[type]} "${name}"` });
      }
    }
    this.currentCheck = saved;
    this.containerCache = out;
    return out;
  }

  /** The pod-level securityContext. */
  podSecurityContext(): JsonObject | undefined {
    return this.get(this.spec, 'securityContext', this.specPath, 'object');
  }

  securityContext(c: ContainerView): JsonObject | undefined {
    const sc = c.obj.securityContext;
    // The common cases without a call; anything else goes through get(), which records a wrong type.
    if (sc === undefined) return undefined;
    return isObject(sc) ? sc : this.get(c.obj, 'securityContext', c.path, 'object');
  }

  /** `spec.os.name == "windows"` (upstream's Windows relaxations from v1.25). */
  isWindows(): boolean {
    const os = this.spec.os;
    if (os === undefined) return false;
    if (isObject(os) && typeof os.name === 'string') return os.name === 'windows';
    return this.get(this.get(this.spec, 'os', this.specPath, 'object'), 'name', `${this.specPath}/os`, 'string') === 'windows';
  }

  /** `spec.hostUsers: false` puts the pod in a user namespace (relaxations from v1.35). */
  inUserNamespace(): boolean {
    const v = this.spec.hostUsers;
    if (v === undefined || typeof v === 'boolean') return v === false;
    return this.get(this.spec, 'hostUsers', this.specPath, 'boolean') === false;
  }
}

/** A JSON Pointer reference token (RFC 6901), without the work when there is nothing to escape. */
function escapeToken(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;
}

type PodCheck = (pod: PodReader) => CheckResult;

/** `check`, except that a Windows pod passes (the restricted checks' relaxation from v1.25). */
export function exceptWindows(check: PodCheck): PodCheck {
  return (pod) => (pod.isWindows() ? { allowed: true, offences: [] } : check(pod));
}

/** `check`, except that a pod in a user namespace passes (the relaxation from v1.35). */
export function exceptUserNamespace(check: PodCheck): PodCheck {
  return (pod) => (pod.inUserNamespace() ? { allowed: true, offences: [] } : check(pod));
}

const ARTICLE: Record<Kind, string> = { boolean: 'a boolean', string: 'a string', integer: 'an integer', object: 'an object', array: 'a list' };

function matches(v: JsonValue, kind: Kind): boolean {
  switch (kind) {
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
  }
}

function describe(v: JsonValue): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v === 'number' && !Number.isInteger(v) ? 'the fraction' : 'the ' + typeof v} ${String(v)}`;
}
