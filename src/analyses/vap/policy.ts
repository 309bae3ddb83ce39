// ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding objects (admissionregistration.k8s.io/v1)
// read from Resources, every expression compiled once. Problems are located at the policy's file,
// line and field, and make the policy "not evaluated" (never a silent pass).
import type { InputError, JsonObject, JsonValue, Resource } from '../../model/types.js';
import type { LabelSelector } from '../../model/index.js';
import { compile, type Program } from './cel.js';
import { checkAgainstSchema, matchedTypes } from './schema-check.js';
import { ASSUMED_BOUNDS, estimate, figure, PER_EXPRESSION_COST_LIMIT, PER_POLICY_COST_LIMIT, type Shape } from './cost.js';

export const VAP_GROUP = 'admissionregistration.k8s.io';
export const VAP_KIND = 'ValidatingAdmissionPolicy';
export const VAP_BINDING_KIND = 'ValidatingAdmissionPolicyBinding';

export interface ResourceRule {
  operations: string[];
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  resourceNames: string[];
  scope: string;
}

export interface MatchResources {
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  resourceRules: ResourceRule[];
  excludeResourceRules: ResourceRule[];
  matchPolicy: 'Equivalent' | 'Exact';
}

/** A compiled expression with the pointer of the field that holds it (for locating errors). */
export interface Expr {
  program: Program;
  pointer: string;
}

export interface Validation {
  expression: Expr;
  message?: string;
  messageExpression?: Expr;
  reason?: string;
}

export interface Policy {
  name: string;
  resource: Resource;
  failurePolicy: 'Fail' | 'Ignore';
  paramKind?: { apiVersion: string; kind: string };
  matchConstraints?: MatchResources;
  matchConditions: { name: string; expression: Expr }[];
  variables: { name: string; expression: Expr }[];
  validations: Validation[];
  auditAnnotations: { key: string; valueExpression: Expr }[];
  /** Compile or shape errors: the policy is not evaluated at all. */
  broken: boolean;
}

export interface ParamRef {
  name?: string;
  namespace?: string;
  selector?: LabelSelector;
  parameterNotFoundAction: 'Allow' | 'Deny';
}

export interface Binding {
  name: string;
  resource: Resource;
  policyName: string;
  paramRef?: ParamRef;
  matchResources?: MatchResources;
  validationActions: ('Deny' | 'Warn' | 'Audit')[];
}

export interface LoadedPolicies {
  policies: Map<string, Policy>;
  bindings: Binding[];
  /** The other objects given with the policies (params such as ConfigMaps or custom kinds). */
  objects: Resource[];
  errors: InputError[];
}

const isObj = (v: JsonValue | undefined): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const strs = (v: JsonValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const objs = (v: JsonValue | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObj) : []);

export function isVapKind(r: Resource): boolean {
  return r.apiVersion.startsWith(`${VAP_GROUP}/`) && (r.kind === VAP_KIND || r.kind === VAP_BINDING_KIND);
}

function errorAt(r: Resource, pointer: string, message: string): InputError {
  const loc = r.locator.locate(pointer);
  return { file: loc.file || r.file, line: loc.line, column: loc.column, message: `${r.kind} ${r.name} ${pointer}: ${message}` };
}

function selector(v: JsonValue | undefined): LabelSelector | undefined {
  if (!isObj(v)) return undefined;
  const sel: LabelSelector = {};
  if (isObj(v.matchLabels)) sel.matchLabels = Object.fromEntries(Object.entries(v.matchLabels).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
  if (Array.isArray(v.matchExpressions)) sel.matchExpressions = objs(v.matchExpressions).map((e) => ({ key: str(e.key) ?? '', operator: str(e.operator) ?? '', values: strs(e.values) }));
  return sel;
}

function resourceRules(v: JsonValue | undefined): ResourceRule[] {
  return objs(v).map((r) => ({
    operations: strs(r.operations),
    apiGroups: strs(r.apiGroups),
    apiVersions: strs(r.apiVersions),
    resources: strs(r.resources),
    resourceNames: strs(r.resourceNames),
    scope: str(r.scope) ?? '*',
  }));
}

function matchResources(v: JsonValue | undefined): MatchResources | undefined {
  if (!isObj(v)) return undefined;
  const m: MatchResources = {
    resourceRules: resourceRules(v.resourceRules),
    excludeResourceRules: resourceRules(v.excludeResourceRules),
    matchPolicy: v.matchPolicy === 'Exact' ? 'Exact' : 'Equivalent',
  };
  const ns = selector(v.namespaceSelector);
  const ob = selector(v.objectSelector);
  if (ns) m.namespaceSelector = ns;
  if (ob) m.objectSelector = ob;
  return m;
}

/** Reads the VAPs and bindings among `resources`; every expression is compiled here, once. */
export function loadPolicies(resources: readonly Resource[]): LoadedPolicies {
  const out: LoadedPolicies = { policies: new Map(), bindings: [], objects: [], errors: [] };
  for (const r of resources) {
    if (!isVapKind(r)) {
      out.objects.push(r);
      continue;
    }
    const spec = isObj(r.object.spec) ? r.object.spec : {};
    if (r.kind === VAP_KIND) {
      const p = loadPolicy(r, spec, out.errors);
      if (out.policies.has(p.name)) out.errors.push(errorAt(r, '/metadata/name', 'a policy of this name is defined twice; the first one is used'));
      else out.policies.set(p.name, p);
    } else {
      const b = loadBinding(r, spec, out.errors);
      if (b) out.bindings.push(b);
    }
  }
  for (const b of out.bindings) {
    if (!out.policies.has(b.policyName)) out.errors.push(errorAt(b.resource, '/spec/policyName', `policy "${b.policyName}" is not among the policies given; the binding is not evaluated`));
  }
  return out;
}

function loadPolicy(r: Resource, spec: JsonObject, errors: InputError[]): Policy {
  const before = errors.length;
  const expr = (v: JsonValue | undefined, pointer: string): Expr | undefined => {
    const source = str(v);
    if (source === undefined || source.trim() === '') {
      errors.push(errorAt(r, pointer, 'expression is missing'));
      return undefined;
    }
    const c = compile(source);
    if (!c.ok) {
      errors.push(errorAt(r, pointer, `${c.message}${c.offset !== undefined ? ` (at character ${c.offset + 1} of "${source}")` : ` in "${source}"`}`));
      return undefined;
    }
    return { program: c.program, pointer };
  };
  const named = (list: JsonValue | undefined, base: string, field: string) =>
    objs(list).flatMap((o, i) => {
      const e = expr(o[field], `${base}/${i}/${field}`);
      return e ? [{ name: str(o.name) ?? str(o.key) ?? String(i), expression: e }] : [];
    });
  const validations: Validation[] = [];
  objs(spec.validations).forEach((v, i) => {
    const e = expr(v.expression, `/spec/validations/${i}/expression`);
    const me = v.messageExpression !== undefined ? expr(v.messageExpression, `/spec/validations/${i}/messageExpression`) : undefined;
    if (!e) return;
    const val: Validation = { expression: e };
    if (str(v.message)) val.message = str(v.message)!;
    if (me) val.messageExpression = me;
    if (str(v.reason)) val.reason = str(v.reason)!;
    validations.push(val);
  });
  const auditAnnotations = named(spec.auditAnnotations, '/spec/auditAnnotations', 'valueExpression').map((a) => ({ key: a.name, valueExpression: a.expression }));
  if (validations.length === 0 && auditAnnotations.length === 0 && errors.length === before) {
    errors.push(errorAt(r, '/spec', 'the policy has neither validations nor auditAnnotations'));
  }
  const paramKind = isObj(spec.paramKind) && str(spec.paramKind.kind) ? { apiVersion: str(spec.paramKind.apiVersion) ?? '', kind: str(spec.paramKind.kind)! } : undefined;
  const p: Policy = {
    name: r.name,
    resource: r,
    failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
    matchConditions: named(spec.matchConditions, '/spec/matchConditions', 'expression'),
    variables: named(spec.variables, '/spec/variables', 'expression'),
    validations,
    auditAnnotations,
    broken: false,
  };
  if (paramKind) p.paramKind = paramKind;
  const mc = matchResources(spec.matchConstraints);
  if (mc) p.matchConstraints = mc;
  else errors.push(errorAt(r, '/spec', 'matchConstraints is required'));
  if (errors.length === before) checkCost(r, p, errors);
  if (errors.length === before) checkSchema(r, p, errors);
  p.broken = errors.length > before;
  return p;
}

/** Every expression of a policy, variables first; `visit` gets the earlier variables' results by name. */
export function visitExpressions<T>(p: Policy, visit: (e: Expr, variables: ReadonlyMap<string, T>) => T): void {
  const variables = new Map<string, T>();
  for (const v of p.variables) variables.set(v.name, visit(v.expression, variables));
  const rest = [...p.matchConditions.map((m) => m.expression), ...p.validations.flatMap((v) => (v.messageExpression ? [v.expression, v.messageExpression] : [v.expression])), ...p.auditAnnotations.map((a) => a.valueExpression)];
  for (const e of rest) visit(e, variables);
}

/** Field and type errors against the schemas of the built-in kinds the policy matches (when all are known). */
function checkSchema(r: Resource, p: Policy, errors: InputError[]): void {
  const roots = matchedTypes(p.matchConstraints);
  if (!roots) return;
  visitExpressions<string[] | undefined>(p, (e, variables) => {
    const { problems, type } = checkAgainstSchema(e.program.ast, roots, variables);
    for (const x of problems) errors.push(errorAt(r, e.pointer, `type error against the schema: ${x.message} (at character ${x.offset + 1} of "${e.program.source}")`));
    return type;
  });
}

const ASSUMPTION = `assuming lists of at most ${figure(ASSUMED_BOUNDS.listItems)} items and strings of at most ${figure(ASSUMED_BOUNDS.stringLength)} characters where nothing bounds them`;

/** Rejects a policy whose expressions' estimated worst case is over the API server's limits (per expression, per policy). */
function checkCost(r: Resource, p: Policy, errors: InputError[]): void {
  let total = 0;
  let over = false;
  visitExpressions<Shape>(p, (e, shapes) => {
    const s = estimate(e.program.ast, shapes);
    total += s.cost;
    if (s.cost > PER_EXPRESSION_COST_LIMIT) {
      over = true;
      errors.push(errorAt(r, e.pointer, `estimated worst-case cost ${figure(s.cost)} exceeds the per-expression limit of ${figure(PER_EXPRESSION_COST_LIMIT)} (${ASSUMPTION}); walk fewer or shorter lists (fewer nested comprehensions)`));
    }
    return s;
  });
  if (total > PER_POLICY_COST_LIMIT && !over) errors.push(errorAt(r, '/spec', `estimated worst-case cost of all its expressions ${figure(total)} exceeds the per-policy limit of ${figure(PER_POLICY_COST_LIMIT)} (${ASSUMPTION})`));
}

function loadBinding(r: Resource, spec: JsonObject, errors: InputError[]): Binding | undefined {
  const policyName = str(spec.policyName);
  if (!policyName) {
    errors.push(errorAt(r, '/spec', 'policyName is required'));
    return undefined;
  }
  const actions = strs(spec.validationActions).filter((a): a is 'Deny' | 'Warn' | 'Audit' => a === 'Deny' || a === 'Warn' || a === 'Audit');
  if (actions.length === 0) {
    errors.push(errorAt(r, '/spec/validationActions', 'validationActions must name Deny, Warn or Audit'));
    return undefined;
  }
  const b: Binding = { name: r.name, resource: r, policyName, validationActions: actions };
  if (isObj(spec.paramRef)) {
    const pr = spec.paramRef;
    const ref: ParamRef = { parameterNotFoundAction: pr.parameterNotFoundAction === 'Allow' ? 'Allow' : 'Deny' };
    if (str(pr.name)) ref.name = str(pr.name)!;
    if (str(pr.namespace)) ref.namespace = str(pr.namespace)!;
    const sel = selector(pr.selector);
    if (sel) ref.selector = sel;
    b.paramRef = ref;
  }
  const mr = matchResources(spec.matchResources);
  if (mr) b.matchResources = mr;
  return b;
}

/**
 * Policies of two sources as one: `over`'s policies replace `base`'s of the same name (a file's
 * version of a cluster policy), and the bindings of both bind them.
 */
export function mergePolicies(base: LoadedPolicies, over: LoadedPolicies): LoadedPolicies {
  return {
    policies: new Map([...base.policies, ...over.policies]),
    bindings: [...base.bindings, ...over.bindings],
    objects: [...over.objects, ...base.objects],
    errors: [...base.errors, ...over.errors],
  };
}
