// Evaluates ValidatingAdmissionPolicies against one admission request, as the API server does:
// binding × policy match (matchConstraints, binding matchResources), params, matchConditions,
// lazy variables, validations and auditAnnotations. Errors follow failurePolicy; none reads as a pass.
import type { JsonObject, Resource } from '../../model/types.js';
import { selectorMatches } from '../../model/index.js';
import { redactText } from '../../model/redact.js';
import { CLUSTER_SCOPED } from '../rbac/resources.js';
import { Authorizer, BudgetExceeded, celText, toCel, type AuthzQuery } from './cel.js';
import type { Binding, Expr, LoadedPolicies, MatchResources, Policy, ResourceRule } from './policy.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface RequestUser {
  username: string;
  groups: string[];
  uid?: string;
}

/** The admission request a policy sees; for a scanned manifest, a CREATE (UPDATE when paired with --old). */
export interface VapRequest {
  operation: Operation;
  group: string;
  version: string;
  kind: string;
  /** Plural resource name. */
  resource: string;
  subResource: string;
  name: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  object: JsonObject | null;
  oldObject: JsonObject | null;
  userInfo: RequestUser;
  dryRun: boolean;
}

export interface VapContext {
  /** Every object known (scanned or read): params (also among the policies' own objects) and Namespaces are looked up here. */
  resources: readonly Resource[];
  /** Answers the `authorizer` binding (RBAC); `user` is the requester or the asked service account. */
  authorize(user: RequestUser, q: AuthzQuery): boolean;
  /** Steps per expression evaluation (default: the cel module's). */
  budget?: number;
}

export interface Violation {
  policy: Policy;
  binding: Binding;
  actions: Binding['validationActions'];
  message: string;
  reason: string;
  /** JSON Pointer into the object when the failing expression names one simple field path. */
  path?: string;
  params?: string;
  auditAnnotations?: Record<string, string>;
}

export interface EvalProblem {
  policy: Policy;
  binding: Binding;
  /** Pointer of the policy field whose expression failed. */
  pointer: string;
  message: string;
  /** failurePolicy Ignore: a note; Fail: not evaluated. */
  ignored: boolean;
}

export interface VapOutcome {
  violations: Violation[];
  problems: EvalProblem[];
}

/** Resource plural as the API server's REST mapper guesses it for a kind. */
export function resourceOf(kind: string): string {
  const k = kind.toLowerCase();
  if (k === 'endpoints') return k;
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** The CREATE (or UPDATE, with the old object) request for a scanned object. */
export function requestFor(r: Resource, user: RequestUser, old?: JsonObject): VapRequest {
  const { group, version } = splitApiVersion(r.apiVersion);
  const resource = resourceOf(r.kind);
  const namespace = CLUSTER_SCOPED.has(resource) ? '' : (r.namespace ?? 'default');
  return { operation: old ? 'UPDATE' : 'CREATE', group, version, kind: r.kind, resource, subResource: '', name: r.name, namespace, object: r.object, oldObject: old ?? null, userInfo: user, dryRun: false };
}

// Groups a resource moved between: under matchPolicy Equivalent a rule for one matches the other.
const EQUIVALENT_GROUPS: Record<string, string[]> = {
  deployments: ['apps', 'extensions'],
  daemonsets: ['apps', 'extensions'],
  replicasets: ['apps', 'extensions'],
  ingresses: ['networking.k8s.io', 'extensions'],
  networkpolicies: ['networking.k8s.io', 'extensions'],
  podsecuritypolicies: ['policy', 'extensions'],
};

function resourceMatches(pattern: string, resource: string, sub: string): boolean {
  const [pr, ps] = pattern.split('/');
  if (ps === undefined) return sub === '' && (pr === '*' || pr === resource);
  return (pr === '*' || pr === resource) && (ps === '*' || ps === sub);
}

function ruleMatches(rule: ResourceRule, req: VapRequest, equivalent: boolean): boolean {
  if (!rule.operations.some((o) => o === '*' || o === req.operation)) return false;
  if (!rule.resources.some((p) => resourceMatches(p, req.resource, req.subResource))) return false;
  if (rule.resourceNames.length > 0 && !rule.resourceNames.includes(req.name)) return false;
  if (rule.scope === 'Cluster' && req.namespace !== '') return false;
  if (rule.scope === 'Namespaced' && req.namespace === '') return false;
  const groupOk = (g: string) => rule.apiGroups.some((x) => x === '*' || x === g);
  if (groupOk(req.group) && rule.apiVersions.some((v) => v === '*' || v === req.version)) return true;
  // Equivalent: the same resource in another version or in the group it moved from is converted and matched.
  return equivalent && (groupOk(req.group) || (EQUIVALENT_GROUPS[req.resource] ?? []).some((g) => g !== req.group && groupOk(g)));
}

function labelsOf(o: JsonObject | null): Record<string, string> {
  const md = o?.metadata;
  const l = md && typeof md === 'object' && !Array.isArray(md) ? md.labels : undefined;
  return l && typeof l === 'object' && !Array.isArray(l) ? (Object.fromEntries(Object.entries(l).filter(([, v]) => typeof v === 'string')) as Record<string, string>) : {};
}

// Objects by kind, built once per resource list (a scan or a webhook context), so that each request
// looks up its Namespace and params without a pass over every object.
const byKindCache = new WeakMap<readonly Resource[], Map<string, Resource[]>>();
function ofKind(resources: readonly Resource[], kind: string): readonly Resource[] {
  let m = byKindCache.get(resources);
  if (!m) {
    m = new Map();
    for (const r of resources) {
      const list = m.get(r.kind);
      if (list) list.push(r);
      else m.set(r.kind, [r]);
    }
    byKindCache.set(resources, m);
  }
  return m.get(kind) ?? [];
}

function namespaceObject(ctx: VapContext, ns: string): Resource | undefined {
  return ns ? ofKind(ctx.resources, 'Namespace').find((r) => r.apiVersion === 'v1' && r.name === ns) : undefined;
}

/** `forBinding`: a binding's matchResources without resourceRules narrows by its selectors only. */
function matches(m: MatchResources | undefined, req: VapRequest, ctx: VapContext, forBinding = false): boolean {
  if (!m) return true;
  const equivalent = m.matchPolicy === 'Equivalent';
  if (!(forBinding && m.resourceRules.length === 0) && !m.resourceRules.some((r) => ruleMatches(r, req, equivalent))) return false;
  if (m.excludeResourceRules.some((r) => ruleMatches(r, req, equivalent))) return false;
  if (m.objectSelector && !selectorMatches(m.objectSelector, labelsOf(req.object)) && !(req.oldObject && selectorMatches(m.objectSelector, labelsOf(req.oldObject)))) return false;
  if (m.namespaceSelector) {
    // A Namespace is matched by its own labels; cluster-scoped objects are never excluded by it.
    if (req.resource === 'namespaces' && req.group === '') return selectorMatches(m.namespaceSelector, labelsOf(req.object ?? req.oldObject));
    if (req.namespace === '') return true;
    const nsObj = namespaceObject(ctx, req.namespace);
    // The API server always sets this label, so it is known even when the Namespace was not scanned.
    const labels = { ...(nsObj?.labels ?? {}), 'kubernetes.io/metadata.name': req.namespace };
    if (!selectorMatches(m.namespaceSelector, labels)) return false;
  }
  return true;
}

/** The params objects a binding selects; undefined when the policy takes none. */
function paramsFor(policy: Policy, binding: Binding, req: VapRequest, ctx: VapContext, given: readonly Resource[]): Resource[] | undefined {
  const pk = policy.paramKind;
  if (!pk) return undefined;
  const ref = binding.paramRef;
  if (!ref) return [];
  return [...ofKind(given, pk.kind), ...ofKind(ctx.resources, pk.kind)].filter((r) => {
    if (r.apiVersion !== pk.apiVersion) return false;
    if (ref.name !== undefined && r.name !== ref.name) return false;
    if (ref.selector && !selectorMatches(ref.selector, r.labels)) return false;
    const ns = ref.namespace ?? req.namespace;
    return r.namespace === undefined || r.namespace === ns;
  });
}

/** Field path an expression names, for simple `object.a.b.c` references (one distinct path only). */
export function pointerOf(source: string): string | undefined {
  const paths = new Set<string>();
  for (const m of source.matchAll(/(?<![\w.])object((?:\.\??[A-Za-z_]\w*)+)(\s*\()?/g)) {
    const segs = m[1]!.replace(/\?/g, '').split('.').slice(1);
    if (m[2]) segs.pop(); // a method call (`.contains(`, `.all(`), not a field
    if (segs.length) paths.add(segs.join('/'));
  }
  if (paths.size !== 1) return undefined;
  return `/${[...paths][0]}`;
}

/** Values of a Secret (as written and decoded): a message built by a policy must never quote them. */
function secretValues(o: JsonObject | null | undefined): string[] {
  if (!o || o.kind !== 'Secret') return [];
  const out: string[] = [];
  for (const field of ['data', 'stringData']) {
    const d = o[field];
    if (!d || typeof d !== 'object' || Array.isArray(d)) continue;
    for (const v of Object.values(d)) {
      if (typeof v !== 'string' || v === '') continue;
      out.push(v);
      if (field === 'data') out.push(Buffer.from(v, 'base64').toString('utf8'));
    }
  }
  return out.filter((v) => v.length >= 3);
}

class ExprError extends Error {
  constructor(
    readonly pointer: string,
    message: string,
  ) {
    super(message);
  }
}

function requestBinding(req: VapRequest): Record<string, unknown> {
  const gvk = { group: req.group, version: req.version, kind: req.kind };
  const gvr = { group: req.group, version: req.version, resource: req.resource };
  return toCel({
    operation: req.operation,
    userInfo: { username: req.userInfo.username, groups: req.userInfo.groups, ...(req.userInfo.uid ? { uid: req.userInfo.uid } : {}) },
    kind: gvk,
    resource: gvr,
    requestKind: gvk,
    requestResource: gvr,
    subResource: req.subResource,
    name: req.name,
    namespace: req.namespace,
    dryRun: req.dryRun,
    options: {},
  }) as Record<string, unknown>;
}

function runOne(policy: Policy, e: Expr, bindings: Record<string, unknown>, budget: number | undefined): unknown {
  try {
    return e.program.run(bindings, budget);
  } catch (err) {
    const why = err instanceof BudgetExceeded ? `stopped: ${err.message} (a hostile or too costly expression)` : (err as Error).message;
    throw new ExprError(e.pointer, `policy ${policy.name} ${e.pointer}: "${e.program.source}": ${why}`);
  }
}

/** Evaluates every binding of every (non-broken) policy that matches the request. */
export function evaluateRequest(loaded: LoadedPolicies, req: VapRequest, ctx: VapContext): VapOutcome {
  const out: VapOutcome = { violations: [], problems: [] };
  const known = [...secretValues(req.object), ...secretValues(req.oldObject)];
  // The CEL variables are built once, when a first policy matches (most requests match none).
  let vars: Record<string, unknown> | undefined;
  const base = () => (vars ??= celBindings(req, ctx));
  for (const binding of loaded.bindings) {
    const policy = loaded.policies.get(binding.policyName);
    if (!policy || policy.broken) continue;
    if (!matches(policy.matchConstraints, req, ctx) || !matches(binding.matchResources, req, ctx, true)) continue;
    const params = paramsFor(policy, binding, req, ctx, loaded.objects);
    if (params !== undefined && params.length === 0) {
      if (binding.paramRef?.parameterNotFoundAction === 'Allow') continue;
      const why = binding.paramRef ? `no ${policy.paramKind!.kind} params found for binding ${binding.name}` : `binding ${binding.name} has no paramRef but policy ${policy.name} requires params`;
      out.violations.push({ policy, binding, actions: binding.validationActions, message: why, reason: 'Invalid' });
      continue;
    }
    for (const param of params ?? [undefined]) {
      try {
        const secrets = param ? [...known, ...secretValues(param.object)] : known;
        const before = out.violations.length;
        evaluateOne(policy, binding, { ...base(), params: param ? toCel(param.object) : null }, ctx.budget, out, param);
        for (const v of out.violations.slice(before)) v.message = redactText(v.message, secrets);
      } catch (e) {
        if (!(e instanceof ExprError)) throw e;
        out.problems.push({ policy, binding, pointer: e.pointer, message: redactText(e.message, known), ignored: policy.failurePolicy === 'Ignore' });
      }
    }
  }
  return out;
}

/** Whether the policy reads `errored()` or `error()` of an authorizer decision (then it handles errors itself). */
function handlesAuthzErrors(policy: Policy): boolean {
  const all = [...policy.variables, ...policy.matchConditions].map((x) => x.expression).concat(policy.validations.map((v) => v.expression));
  return all.some((e) => /\.\s*error(ed)?\s*\(/.test(e.program.source));
}

/**
 * Fail closed on authorizer errors (RBAC that could not be fully read): an expression whose outcome
 * let the object through while a decision errored is not evaluated, unless the policy checks `errored()`/`error()`.
 */
function guardAuthz(policy: Policy, e: Expr, authz: Authorizer | undefined, errorsBefore: number): void {
  if (!authz || authz.errors.length === errorsBefore || handlesAuthzErrors(policy)) return;
  throw new ExprError(e.pointer, `policy ${policy.name} ${e.pointer}: "${e.program.source}": the authorizer could not decide (${authz.errors[errorsBefore]}) and the policy does not check errored(), so its pass is not trusted`);
}

function celBindings(req: VapRequest, ctx: VapContext): Record<string, unknown> {
  const nsRes = namespaceObject(ctx, req.namespace);
  return {
    object: req.object ? toCel(req.object) : null,
    oldObject: req.oldObject ? toCel(req.oldObject) : null,
    namespaceObject: nsRes ? toCel(nsRes.object) : null,
    request: requestBinding(req),
    authorizer: new Authorizer(
      (q) => ctx.authorize(q.serviceAccount ? { username: `system:serviceaccount:${q.serviceAccount.namespace}:${q.serviceAccount.name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${q.serviceAccount.namespace}`, 'system:authenticated'] } : req.userInfo, q),
      { group: req.group, resource: req.resource, subresource: req.subResource, namespace: req.namespace, name: req.name },
    ),
  };
}

function evaluateOne(policy: Policy, binding: Binding, base: Record<string, unknown>, budget: number | undefined, out: VapOutcome, param: Resource | undefined): void {
  const bindings: Record<string, unknown> = { ...base };
  const authz = base.authorizer instanceof Authorizer ? base.authorizer : undefined;
  const errorsAt = () => authz?.errors.length ?? 0;
  // Variables are computed when first read, once, and may read earlier variables.
  const variables: Record<string, unknown> = {};
  for (const v of policy.variables) {
    let done = false;
    let value: unknown;
    Object.defineProperty(variables, v.name, {
      enumerable: true,
      get: () => {
        if (!done) {
          value = runOne(policy, v.expression, bindings, budget);
          done = true;
        }
        return value;
      },
    });
  }
  bindings.variables = variables;
  for (const mc of policy.matchConditions) {
    const before = errorsAt();
    const r = runOne(policy, mc.expression, bindings, budget);
    if (r === false) guardAuthz(policy, mc.expression, authz, before);
    if (typeof r !== 'boolean') throw new ExprError(mc.expression.pointer, `policy ${policy.name} ${mc.expression.pointer}: matchCondition "${mc.name}" returned ${celText(r)}, not a bool`);
    if (!r) return;
  }
  let annotations: Record<string, string> | undefined;
  for (const a of policy.auditAnnotations) {
    const v = runOne(policy, a.valueExpression, bindings, budget);
    if (v === null) continue;
    if (typeof v !== 'string') throw new ExprError(a.valueExpression.pointer, `policy ${policy.name} ${a.valueExpression.pointer}: auditAnnotation "${a.key}" returned ${celText(v)}, not a string`);
    (annotations ??= {})[`${policy.name}/${a.key}`] = v;
  }
  for (const val of policy.validations) {
    const before = errorsAt();
    const r = runOne(policy, val.expression, bindings, budget);
    if (r === true) guardAuthz(policy, val.expression, authz, before);
    if (typeof r !== 'boolean') throw new ExprError(val.expression.pointer, `policy ${policy.name} ${val.expression.pointer}: validation returned ${celText(r)}, not a bool`);
    if (r) continue;
    let message = val.message ?? `failed expression: ${val.expression.program.source}`;
    if (val.messageExpression) {
      // As the API server does: a messageExpression that fails or yields nothing falls back to message.
      try {
        const m = val.messageExpression.program.run(bindings, budget);
        if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) message = m;
      } catch {
        /* fall back to the static message */
      }
    }
    const v: Violation = { policy, binding, actions: binding.validationActions, message, reason: val.reason ?? 'Invalid' };
    const path = pointerOf(val.expression.program.source);
    if (path) v.path = path;
    if (param) v.params = `${param.kind} ${param.namespace ? `${param.namespace}/` : ''}${param.name}`;
    if (annotations) v.auditAnnotations = annotations;
    out.violations.push(v);
  }
}
