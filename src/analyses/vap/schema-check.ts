// Type-checks policy expressions against the schemas of the built-in kinds the policy matches (from
// kubernetes-types, see scripts/gen-k8s-schema.mjs): a field that exists in none of them, a string
// method on a number or a bool, a comprehension over a scalar, or a comparison of a number, string or
// bool field with a literal of another type. Only what is certain is reported: when the policy may
// match a kind whose schema is unknown (a custom resource, a subresource, `*`), or the path crosses a
// free-form field, nothing is said.
import { K8S_KINDS, K8S_SCHEMA_VERSION, K8S_TYPES } from './k8s-schema.generated.js';
import { resourceOf, splitApiVersion } from './evaluate.js';
import type { MatchResources } from './policy.js';

/** A type code of the generated schema (s, n, b, x, o, [T, {T, T<key>); undefined: not known. */
type Types = string[] | undefined;

export interface SchemaProblem {
  /** Character offset in the expression. */
  offset: number;
  message: string;
}

interface Node {
  op: string;
  args: unknown;
  start?: number;
}

const isNode = (v: unknown): v is Node => !!v && typeof v === 'object' && typeof (v as Node).op === 'string' && 'args' in (v as object);
const children = (args: unknown, out: Node[] = []): Node[] => {
  if (isNode(args)) out.push(args);
  else if (Array.isArray(args)) for (const a of args) children(a, out);
  return out;
};

const KINDS = Object.entries(K8S_KINDS).map(([gvk, key]) => {
  const i = gvk.lastIndexOf('/');
  const { group, version } = splitApiVersion(gvk.slice(0, i));
  const kind = gvk.slice(i + 1);
  return { group, version, resource: resourceOf(kind), code: `T${key}` };
});
const KNOWN_GROUPS = new Set(KINDS.map((k) => k.group));

/** Root types of `object` for the kinds the policy's rules match; undefined when one of them is not known. */
export function matchedTypes(m: MatchResources | undefined): Types {
  if (!m || m.resourceRules.length === 0) return undefined;
  const out = new Set<string>();
  for (const rule of m.resourceRules) {
    for (const res of rule.resources) {
      if (res.includes('/')) return undefined; // a subresource: the object is not the kind's
      // `*` or a resource in a group we do not know may be a custom resource
      if (res === '*' || rule.apiGroups.some((g) => g === '*' || !KNOWN_GROUPS.has(g))) return undefined;
      const found = KINDS.filter((k) => k.resource === res && rule.apiGroups.includes(k.group) && (rule.apiVersions.includes('*') || rule.apiVersions.includes(k.version)));
      if (!found.length) return undefined;
      for (const k of found) out.add(k.code);
    }
  }
  return [...out];
}

const typeName = (code: string): string => {
  if (code.startsWith('T')) return code.slice(code.lastIndexOf('.') + 1);
  if (code.startsWith('[')) return `list of ${typeName(code.slice(1))}`;
  if (code.startsWith('{')) return `map of ${typeName(code.slice(1))}`;
  return { s: 'string', n: 'number', b: 'bool', x: 'int-or-string', o: 'any' }[code] ?? code;
};

const STRING_METHODS = new Set(['startsWith', 'endsWith', 'contains', 'matches', 'lowerAscii', 'upperAscii', 'trim', 'split', 'replace', 'substring', 'charAt', 'find', 'findAll', 'indexOf', 'lastIndexOf', 'format', 'reverse']);
const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

/**
 * Problems of one expression. `roots` are the types of `object`/`oldObject`; `variables` the types
 * of the policy's variables checked before it.
 */
export function checkAgainstSchema(ast: unknown, roots: Types, variables: ReadonlyMap<string, Types> = new Map()): { problems: SchemaProblem[]; type: Types } {
  const problems: SchemaProblem[] = [];
  const scope = new Map<string, Types>();
  const report = (n: Node, message: string) => problems.push({ offset: n.start ?? 0, message });

  const infer = (n: Node): Types => {
    const a = n.args;
    switch (n.op) {
      case 'id':
        if (scope.has(a as string)) return scope.get(a as string);
        if (a === 'object' || a === 'oldObject') return roots;
        if (a === 'namespaceObject') return ['Tcore/v1.Namespace'];
        return undefined;
      case '.':
      case '.?': {
        const [recv, field] = a as [Node, string];
        if (recv.op === 'id' && recv.args === 'variables' && !scope.has('variables')) return variables.get(field);
        return select(n, infer(recv), field);
      }
      case '[]':
      case '[?]': {
        const [recv, index] = a as [Node, Node];
        const r = infer(recv);
        infer(index);
        if (!r) return undefined;
        const out = r.filter((c) => c.startsWith('[') || c.startsWith('{')).map((c) => c.slice(1));
        return out.length === r.length ? out : undefined;
      }
      case 'rcall':
        return rcall(n);
      case 'value':
        return [typeof a === 'string' ? 's' : typeof a === 'boolean' ? 'b' : typeof a === 'bigint' || typeof a === 'number' ? 'n' : 'o'];
      default: {
        const parts = children(a);
        const types = parts.map(infer);
        if (COMPARISONS.has(n.op) && parts.length === 2) compare(n, parts as [Node, Node], types as [Types, Types]);
        return undefined;
      }
    }
  };

  const select = (n: Node, r: Types, field: string): Types => {
    if (!r) return undefined;
    const out: string[] = [];
    for (const c of r) {
      if (c === 'o' || c === 'x') return undefined;
      if (c.startsWith('{')) out.push(c.slice(1));
      else if (c.startsWith('T')) {
        const t = K8S_TYPES[c.slice(1)]?.[field];
        if (t) out.push(t);
      }
    }
    if (!out.length) {
      report(n, `"${field}" is not a field of ${[...new Set(r.map(typeName))].join(' or ')} (Kubernetes ${K8S_SCHEMA_VERSION.replace(/\.\d+$/, '')} schema)`);
      return undefined;
    }
    return out;
  };

  const rcall = (n: Node): Types => {
    const [name, recvNode, list] = n.args as [string, Node, unknown];
    const args = children(list);
    if (name === 'bind' && recvNode.op === 'id' && recvNode.args === 'cel' && args.length === 3) {
      const saved = scope.get(String(args[0]!.args));
      const had = scope.has(String(args[0]!.args));
      scope.set(String(args[0]!.args), infer(args[1]!));
      const out = infer(args[2]!);
      if (had) scope.set(String(args[0]!.args), saved);
      else scope.delete(String(args[0]!.args));
      return out;
    }
    const r = infer(recvNode);
    const scalars = r?.every((c) => c === 'n' || c === 'b' || c.startsWith('T'));
    if (COMPREHENSIONS.has(name) && args.length >= 2 && args[0]!.op === 'id') {
      if (r && (scalars || r.every((c) => c === 's'))) report(n, `${name}() needs a list or map, and this is a ${[...new Set(r.map(typeName))].join(' or ')}`);
      const v = String(args[0]!.args);
      const elem: Types = r && r.every((c) => c.startsWith('[') || c.startsWith('{')) ? r.map((c) => (c.startsWith('[') ? c.slice(1) : 's')) : undefined;
      const had = scope.has(v);
      const saved = scope.get(v);
      scope.set(v, elem);
      for (const b of args.slice(1)) infer(b);
      if (had) scope.set(v, saved);
      else scope.delete(v);
      return name === 'filter' ? r : undefined;
    }
    for (const x of args) infer(x);
    if (STRING_METHODS.has(name) && r && scalars && !(name === 'indexOf' || name === 'lastIndexOf' || name === 'reverse')) report(n, `${name}() is a string function, and this is a ${[...new Set(r.map(typeName))].join(' or ')}`);
    return undefined;
  };

  const compare = (n: Node, parts: [Node, Node], types: [Types, Types]) => {
    for (const [i, j] of [
      [0, 1],
      [1, 0],
    ] as const) {
      const field = types[i];
      const lit = parts[j].op === 'value' ? types[j] : undefined;
      if (!field || !lit || lit[0] === 'o' || field.some((c) => c === 'x' || c === 'o')) continue;
      if (parts[j].args === null) continue;
      if (field.every((c) => c !== lit[0] && (c === 's' || c === 'n' || c === 'b'))) {
        report(n, `compares a ${[...new Set(field.map(typeName))].join(' or ')} field with a ${typeName(lit[0]!)}: never equal${n.op === '==' || n.op === '!=' ? '' : ', or an error'}`);
        return;
      }
    }
  };

  const type = infer(ast as Node);
  return { problems, type };
}
