// Findings → fix ops → one plan per object, with conflicts settled before any text is touched:
// two rules editing capabilities.drop merge (ALL subsumes NET_RAW); ops that cannot work on this
// object (runAsNonRoot next to runAsUser 0, a read-only root for an image that writes to it) are
// dropped with a reason; may-break ops wait for `--include may-break`.
import type { JsonObject, JsonValue } from '../model/types.js';
import { asArray, asObject, asString, isObject, parsePointer, pointer } from '../model/json.js';
import type { FixClass, FixOp, FixPlan, FixRequest, PlannedOp, PlanOptions, SkippedFix } from './types.js';
import { jsonEqual, valueAt } from './json-patch.js';
import { imageRunsAsRoot, unmountedWritePaths } from './runtime-facts.js';

interface Contribution {
  req: FixRequest;
  op: FixOp;
  fixClass: FixClass;
  classReason?: string;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** The pod spec and the containers an op under it concerns (one container, or all for a pod-level field). */
function podContext(object: JsonObject, segs: string[]): { pod: JsonObject; containers: JsonObject[] } | undefined {
  const at = segs.findIndex((s, i) => CONTAINER_LISTS.has(s) && /^\d+$/.test(segs[i + 1] ?? ''));
  if (at >= 0) {
    const pod = asObject(valueAt(object, segs.slice(0, at)));
    const c = asObject(valueAt(object, segs.slice(0, at + 2)));
    return pod && c ? { pod, containers: [c] } : undefined;
  }
  // Pod-level field: `<podSpec>/securityContext/<field>`.
  if (segs.length < 2 || segs[segs.length - 2] !== 'securityContext') return undefined;
  const pod = asObject(valueAt(object, segs.slice(0, -2)));
  if (!pod) return undefined;
  const containers = [...CONTAINER_LISTS].flatMap((k) => asArray(pod[k]).flatMap((c) => (isObject(c) ? [c] : [])));
  return { pod, containers };
}

/** Why an op cannot work on this object (undefined: it can), or a class the object proves. */
function judge(object: JsonObject, op: FixOp): { unsafe?: string; fixClass?: FixClass; classReason?: string } {
  const segs = parsePointer(op.path);
  // A mistyped field on the way (a list or a string where a mapping belongs) is the user's to sort out.
  for (let i = 1; i < segs.length; i++) {
    const v = valueAt(object, segs.slice(0, i));
    if (v === undefined || v === null) break;
    const wantsIndex = /^\d+$/.test(segs[i]!);
    if (Array.isArray(v) ? !wantsIndex : !isObject(v)) return { unsafe: `${pointer(...segs.slice(0, i))} is not ${Array.isArray(v) ? 'a mapping' : 'an object'}; fix it by hand` };
  }
  if (op.op !== 'set' || op.value !== true) return {};
  const field = segs[segs.length - 1];
  if (field === 'runAsNonRoot') {
    const ctx = podContext(object, segs);
    if (!ctx) return {};
    const podUser = asObject(ctx.pod.securityContext)?.runAsUser;
    const users = ctx.containers.map((c) => ({ c, uid: asObject(c.securityContext)?.runAsUser ?? podUser }));
    const root = users.find((u) => u.uid === 0 || u.uid === '0');
    if (root) return { unsafe: `runAsUser 0 stays for container "${asString(root.c.name) ?? ''}": the kubelet would refuse to start it; set a non-root runAsUser first` };
    if (users.length > 0 && users.every((u) => typeof u.uid === 'number' && Number.isInteger(u.uid) && u.uid > 0)) {
      return { fixClass: 'safe', classReason: 'runAsUser is a non-zero uid, so the kubelet check already passes' };
    }
    const rootImage = users.find((u) => u.uid === undefined && imageRunsAsRoot(u.c.image));
    if (rootImage) return { unsafe: `image ${asString(rootImage.c.image)} runs as root: the kubelet would refuse to start container "${asString(rootImage.c.name) ?? ''}"; set a non-root runAsUser first` };
    return {};
  }
  if (field === 'readOnlyRootFilesystem') {
    const ctx = podContext(object, segs);
    const c = ctx?.containers.length === 1 ? ctx.containers[0]! : undefined;
    if (!c) return {};
    const mounts = asArray(c.volumeMounts).flatMap((m) => {
      const p = isObject(m) ? asString(m.mountPath) : undefined;
      return p ? [p] : [];
    });
    const missing = unmountedWritePaths(c.image, mounts);
    if (missing.length) return { unsafe: `image ${asString(c.image)} writes to ${missing.join(', ')} and the pod mounts no volume there; add emptyDir volumes first` };
  }
  return {};
}

const isDropPath = (p: string) => p.endsWith('/capabilities/drop');

/**
 * drop = what is there plus what the rules ask for. `ALL` counts only as written in upper case (Pod
 * Security Admission compares it exactly); it then makes any single capability redundant. Single
 * capabilities compare as the runtime reads them (any case, optional CAP_ prefix).
 */
function mergedDrop(object: JsonObject, path: string, values: JsonValue[]): JsonValue[] | undefined {
  const existing = asArray(valueAt(object, parsePointer(path)));
  const wanted: string[] = [];
  for (const v of values) {
    if (!Array.isArray(v)) return undefined;
    for (const x of v) if (typeof x === 'string' && !wanted.includes(x)) wanted.push(x);
  }
  const norm = (x: string) => x.toUpperCase().replace(/^CAP_/, '');
  const present = (list: JsonValue[], w: string) => list.some((x) => typeof x === 'string' && (x === 'ALL' || (w !== 'ALL' && norm(x) === norm(w))));
  if (wanted.includes('ALL')) return present(existing, 'ALL') ? existing : [...existing, 'ALL'];
  const out = [...existing];
  for (const w of wanted) if (!present(out, w)) out.push(w);
  return out;
}

const isPrefix = (a: string, b: string) => a !== b && b.startsWith(`${a}/`);

export function planFixes(object: JsonObject, requests: readonly FixRequest[], opts: PlanOptions): FixPlan {
  const include = new Set<FixClass>(opts.include ?? ['safe']);
  const skipped: SkippedFix[] = [];
  const contributions: Contribution[] = [];
  const blocked = new Set<FixRequest>();
  for (const req of requests) {
    if (!req.fix?.length) continue;
    const ruleClass = opts.classOf(req.ruleId);
    for (const op of req.fix) {
      const skip = (reason: SkippedFix['reason'], detail: string) => {
        skipped.push({ ruleId: req.ruleId, path: op.path, reason, detail });
        blocked.add(req);
      };
      if (!ruleClass) {
        skip('not-advertised', 'the rule advertises no automatic fix');
        continue;
      }
      const j = judge(object, op);
      if (j.unsafe) {
        skip('unsafe', j.unsafe);
        continue;
      }
      const fixClass = j.fixClass ?? ruleClass;
      if (!include.has(fixClass)) {
        skip('may-break', 'may break the workload; applied only with --include may-break');
        continue;
      }
      contributions.push({ req, op, fixClass, ...(j.classReason ? { classReason: j.classReason } : {}) });
    }
  }

  // Group by path and settle each group; then paths nested in one another conflict.
  let live = contributions.filter((c) => !blocked.has(c.req));
  for (;;) {
    const groups = new Map<string, Contribution[]>();
    for (const c of live) groups.set(c.op.path, [...(groups.get(c.op.path) ?? []), c]);
    const ops: PlannedOp[] = [];
    const conflicted = new Set<FixRequest>();
    for (const [path, group] of groups) {
      const first = group[0]!.op;
      let value: JsonValue | undefined = first.op === 'set' ? first.value : undefined;
      const allSame = group.every((c) => c.op.op === first.op && (c.op.op === 'remove' || jsonEqual(c.op.value, value)));
      if (first.op === 'set' && isDropPath(path) && group.every((c) => c.op.op === 'set')) {
        value = mergedDrop(object, path, group.map((c) => (c.op as { value: JsonValue }).value));
        if (value === undefined) for (const c of group) conflicted.add(c.req);
      } else if (!allSame) {
        for (const c of group) conflicted.add(c.req);
        continue;
      }
      const op: PlannedOp = { op: first.op, path, fixClass: group.some((c) => c.fixClass === 'may-break') ? 'may-break' : 'safe', rules: [...new Set(group.map((c) => c.req.ruleId))] };
      if (op.op === 'set') op.value = value ?? null;
      const reason = group.find((c) => c.classReason)?.classReason;
      if (reason && op.fixClass === 'safe') op.classReason = reason;
      ops.push(op);
    }
    for (const a of ops) for (const b of ops) if (isPrefix(a.path, b.path)) for (const c of live) if (c.op.path === a.path || c.op.path === b.path) conflicted.add(c.req);
    if (conflicted.size === 0) {
      const addressed = requests.filter((r) => r.fix?.length && !blocked.has(r));
      // Stable order: by path, so edits and JSONPatch read top-down.
      ops.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      return { ops, skipped, addressed };
    }
    for (const r of conflicted) {
      blocked.add(r);
      for (const op of r.fix ?? []) skipped.push({ ruleId: r.ruleId, path: op.path, reason: 'conflict', detail: 'another fix edits the same field differently; fix it by hand' });
    }
    live = live.filter((c) => !blocked.has(c.req));
  }
}
