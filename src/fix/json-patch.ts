// Plans as plain JSON edits: applying them to an object, and RFC 6902 JSONPatch for admission `/mutate`.
import type { JsonObject, JsonValue } from '../model/types.js';
import { isObject, parsePointer, pointer } from '../model/json.js';
import type { FixPlan, PlannedOp } from './types.js';

/** The value at a pointer, or undefined when any segment is missing. */
export function valueAt(root: JsonValue | undefined, segs: readonly string[]): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (const s of segs) {
    if (Array.isArray(cur)) {
      const i = /^\d+$/.test(s) ? Number(s) : NaN;
      cur = i < cur.length ? cur[i] : undefined;
    } else if (isObject(cur)) cur = Object.prototype.hasOwnProperty.call(cur, s) ? cur[s] : undefined;
    else return undefined;
  }
  return cur;
}

function clone<T extends JsonValue>(v: T): T {
  return structuredClone(v);
}

/** Nested objects for the missing segments: ['a','b'], v → {a: {b: v}}. */
export function nest(segs: readonly string[], value: JsonValue): JsonValue {
  let v = value;
  for (let i = segs.length - 1; i >= 0; i--) v = { [segs[i]!]: v };
  return v;
}

export interface JsonOp {
  op: 'set' | 'remove';
  path: string;
  value?: JsonValue;
}

/**
 * Applies ops to a copy of `root` the way the source edits do: missing objects on the way are
 * created; an op whose way is blocked by a scalar or a missing list item throws.
 */
export function applyOps<T extends JsonValue>(root: T, ops: readonly JsonOp[]): T {
  const out = clone(root);
  for (const o of ops) {
    const segs = parsePointer(o.path);
    if (segs.length === 0) throw new Error('a fix cannot replace the whole object');
    let parent: JsonValue = out;
    for (const s of segs.slice(0, -1)) {
      let next = Array.isArray(parent) ? parent[Number(s)] : isObject(parent) ? parent[s] : undefined;
      if (next === undefined || next === null) {
        if (o.op === 'remove') break;
        if (!isObject(parent)) throw new Error(`${o.path}: list item ${s} does not exist`);
        next = {};
        parent[s] = next;
      }
      if (!isObject(next) && !Array.isArray(next)) throw new Error(`${o.path}: ${s} is not an object`);
      parent = next;
    }
    const last = segs[segs.length - 1]!;
    if (o.op === 'remove') {
      if (isObject(parent) && valueAt(out, segs) !== undefined) delete parent[last];
      continue;
    }
    if (isObject(parent)) parent[last] = clone(o.value ?? null);
    else if (Array.isArray(parent) && /^\d+$/.test(last) && Number(last) < parent.length) parent[Number(last)] = clone(o.value ?? null);
    else throw new Error(`${o.path}: cannot set inside a ${Array.isArray(parent) ? 'list' : 'scalar'}`);
  }
  return out;
}

export interface JsonPatchOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: JsonValue;
}

/**
 * RFC 6902 JSONPatch for the planned ops on `object` (the object the plan was made for): `replace`
 * where the field exists, `add` of the missing subtree where it does not, `remove` only of what exists.
 */
export function toJsonPatch(plan: Pick<FixPlan, 'ops'>, object: JsonObject): JsonPatchOp[] {
  const patch: JsonPatchOp[] = [];
  let cur: JsonObject = clone(object);
  for (const o of plan.ops as PlannedOp[]) {
    const segs = parsePointer(o.path);
    if (o.op === 'remove') {
      if (valueAt(cur, segs) === undefined) continue;
      patch.push({ op: 'remove', path: o.path });
    } else {
      let depth = 0;
      while (depth < segs.length && valueAt(cur, segs.slice(0, depth + 1)) !== undefined) depth++;
      if (depth === segs.length) patch.push({ op: 'replace', path: o.path, value: clone(o.value ?? null) });
      else {
        const parent = valueAt(cur, segs.slice(0, depth));
        // A null on the way (`securityContext:` left empty) is replaced by the new subtree.
        if (parent === null && depth > 0) patch.push({ op: 'replace', path: pointer(...segs.slice(0, depth)), value: nest(segs.slice(depth), o.value ?? null) });
        else patch.push({ op: 'add', path: pointer(...segs.slice(0, depth + 1)), value: nest(segs.slice(depth + 1), o.value ?? null) });
      }
    }
    cur = applyOps(cur, [o]);
  }
  return patch;
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}
