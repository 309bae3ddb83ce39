// Static worst-case cost of a policy expression, estimated when the policy is read, as the API
// server estimates CEL cost: in the same unit as the runtime budget (one step per AST node evaluated,
// each comprehension iteration's body included), with list and string sizes bounded by what is known
// (literals, earlier variables) and, for object fields, by assumed bounds (no per-field schema: see
// docs/vap.md). Over-limit expressions are rejected at load; the runtime budget still applies.

/** Per expression, as the API server's per-call limit (and the runtime budget). */
export const PER_EXPRESSION_COST_LIMIT = 1_000_000;
/** Per policy (every expression added up), as the API server's per-policy runtime budget. */
export const PER_POLICY_COST_LIMIT = 10_000_000;

/** Sizes assumed for a value read from an object, params or the request when nothing bounds it (names are at most 253 characters; most lists are far shorter than 100). */
export const ASSUMED_BOUNDS = { listItems: 100, stringLength: 256 };

/** Worst case of a value: the cost to compute it, and its size as a string (chars) and as a list or map (items). */
export interface Shape {
  cost: number;
  len: number;
  items: number;
  /** Shape of an element, when the value is a list or map whose elements are known. */
  elem?: Shape;
  /** Read from an object without knowing its type: a string or a list (equality is costed as a string's). */
  guessed?: boolean;
}

interface Node {
  op: string;
  args: unknown;
}

const isNode = (v: unknown): v is Node => !!v && typeof v === 'object' && typeof (v as Node).op === 'string' && 'args' in (v as object);
const unknown = (cost: number): Shape => ({ cost, len: ASSUMED_BOUNDS.stringLength, items: ASSUMED_BOUNDS.listItems, guessed: true });
const scalar = (cost: number): Shape => ({ cost, len: 0, items: 0 });

// String functions walk the string: 1 + a tenth of a step per character, as cel-go's cost model.
const STRING_WALK = new Set(['contains', 'startsWith', 'endsWith', 'matches', 'find', 'findAll', 'indexOf', 'lastIndexOf', 'lowerAscii', 'upperAscii', 'trim', 'replace', 'split', 'substring', 'charAt', 'reverse', 'format', 'quote', 'quantity', 'isQuantity', 'semver', 'isSemver', 'url', 'isURL', 'ip', 'isIP', 'cidr', 'isCIDR']);
// List functions walk the list once; these compare every pair.
const LIST_WALK = new Set(['sum', 'min', 'max', 'isSorted', 'indexOf', 'lastIndexOf', 'reverse', 'slice', 'flatten', 'join']);
const LIST_PAIRS = new Set(['distinct', 'contains', 'equivalent', 'intersects']);
const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter', 'transformList', 'transformMap']);

const walk = (len: number) => Math.ceil(len / 10);

function children(args: unknown, out: Node[] = []): Node[] {
  if (isNode(args)) out.push(args);
  else if (Array.isArray(args)) for (const a of args) children(a, out);
  return out;
}

/**
 * The worst case of an expression's checked AST. `scope` holds the shapes of names bound around it:
 * comprehension variables, `cel.bind` names, and `variables` (by name, with their result shapes).
 */
export function estimate(ast: unknown, variables: ReadonlyMap<string, Shape> = new Map()): Shape {
  return est(ast as Node, new Map(), variables);
}

function est(n: Node, scope: Map<string, Shape>, variables: ReadonlyMap<string, Shape>): Shape {
  const sub = (x: unknown) => est(x as Node, scope, variables);
  const a = n.args;
  switch (n.op) {
    case 'value':
      return typeof a === 'string' ? { cost: 1, len: a.length, items: 0 } : scalar(1);
    case 'id': {
      const s = scope.get(a as string);
      return s ? { ...s, cost: 1 } : unknown(1);
    }
    case '.':
    case '.?': {
      const [recv, field] = a as [Node, string];
      if (recv.op === 'id' && recv.args === 'variables' && !scope.has('variables')) {
        const v = variables.get(field);
        // A variable is computed once per evaluation (its cost is counted with the policy's): reading it is a step.
        return v ? { ...v, cost: 2 } : unknown(2);
      }
      return unknown(sub(recv).cost + 1);
    }
    case '[]':
    case '[?]': {
      const [recv, index] = a as [Node, Node];
      const r = sub(recv);
      const elem = r.elem ?? unknown(0);
      return { ...elem, cost: r.cost + sub(index).cost + 1 };
    }
    case 'list': {
      const items = children(a).map(sub);
      return { cost: 1 + items.reduce((s, x) => s + x.cost, 0), len: 0, items: items.length, elem: widest(items) };
    }
    case 'map': {
      const parts = children(a).map(sub);
      return { cost: 1 + parts.reduce((s, x) => s + x.cost, 0), len: 0, items: Math.ceil(parts.length / 2), elem: widest(parts) };
    }
    case 'rcall':
      return rcall(n, scope, variables);
    case 'call': {
      const [name, list] = a as [string, unknown];
      const args = children(list).map(sub);
      const cost = 1 + args.reduce((s, x) => s + x.cost, 0);
      if (name === 'size' || name === 'has' || name === 'int' || name === 'double' || name === 'bool' || name === 'type' || name === 'dyn') return scalar(cost);
      if (STRING_WALK.has(name)) return scalar(cost + walk(args[0]?.len ?? 0));
      if (name === 'string') return { cost: cost + walk(args[0]?.len ?? 0), len: Math.max(args[0]?.len ?? 0, 32), items: 0 };
      return { ...unknown(cost), ...(args[0] ? { len: args[0].len, items: args[0].items } : {}) };
    }
    case '&&':
    case '||':
    case '?:': {
      const parts = children(a).map(sub);
      // Worst case: every branch evaluated; the result is as large as the largest branch.
      return { ...widest(parts.slice(n.op === '?:' ? 1 : 0))!, cost: 1 + parts.reduce((s, x) => s + x.cost, 0) };
    }
    case '+': {
      const [l, r] = children(a).map(sub) as [Shape, Shape];
      return { cost: 1 + l.cost + r.cost + walk(l.len + r.len) + l.items + r.items, len: l.len + r.len, items: l.items + r.items, ...(l.elem ? { elem: l.elem } : {}) };
    }
    case '==':
    case '!=':
    case 'in': {
      const [l, r] = children(a).map(sub) as [Shape, Shape];
      // Equality walks the shorter string, or the shorter list element by element; `in` walks the right side.
      const items = l.guessed || r.guessed ? 0 : Math.min(l.items, r.items);
      return scalar(1 + l.cost + r.cost + (n.op === 'in' ? r.items : Math.max(items, walk(Math.min(l.len, r.len)))));
    }
    default: {
      const parts = children(a).map(sub);
      return scalar(1 + parts.reduce((s, x) => s + x.cost, 0));
    }
  }
}

function widest(shapes: Shape[]): Shape | undefined {
  if (!shapes.length) return undefined;
  return shapes.reduce((w, s) => ({ cost: 0, len: Math.max(w.len, s.len), items: Math.max(w.items, s.items), ...(w.elem ?? s.elem ? { elem: widest([w.elem, s.elem].filter((x): x is Shape => !!x)) } : {}) }));
}

function rcall(n: Node, scope: Map<string, Shape>, variables: ReadonlyMap<string, Shape>): Shape {
  const [name, recvNode, list] = n.args as [string, Node, unknown];
  const sub = (x: Node, s = scope) => est(x, s, variables);
  const argNodes = children(list);
  if (name === 'bind' && recvNode.op === 'id' && recvNode.args === 'cel' && argNodes.length === 3) {
    const [v, val, body] = argNodes as [Node, Node, Node];
    const value = sub(val);
    const b = sub(body, new Map(scope).set(String(v.args), value));
    return { ...b, cost: 1 + value.cost + b.cost };
  }
  const recv = sub(recvNode);
  if (COMPREHENSIONS.has(name) && argNodes.length >= 2 && argNodes[0]!.op === 'id') {
    const iterations = recv.items;
    const inner = new Map(scope).set(String(argNodes[0]!.args), recv.elem ?? unknown(0));
    // two-variable forms (`all(i, v, …)`): the second id is the value
    let rest = argNodes.slice(1);
    if (rest.length >= 2 && rest[0]!.op === 'id' && (name === 'transformList' || name === 'transformMap' || rest.length === 2 && name !== 'map')) {
      inner.set(String(rest[0]!.args), recv.elem ?? unknown(0));
      rest = rest.slice(1);
    }
    const bodies = rest.map((b) => sub(b, inner));
    const perIteration = 2 + bodies.reduce((s, b) => s + b.cost, 0);
    const out = bodies[bodies.length - 1]!;
    const result = name === 'map' || name === 'filter' || name.startsWith('transform') ? { len: 0, items: iterations, elem: name === 'filter' ? (recv.elem ?? unknown(0)) : out } : { len: 0, items: 0 };
    return { cost: 1 + recv.cost + iterations * perIteration, ...result };
  }
  const args = argNodes.map((x) => sub(x));
  const base = 1 + recv.cost + args.reduce((s, x) => s + x.cost, 0);
  if (name === 'size') return scalar(base);
  if (LIST_PAIRS.has(name) && (recvNode.op === 'id' && recvNode.args === 'sets')) return scalar(base + (args[0]?.items ?? 0) * (args[1]?.items ?? 0));
  if (name === 'distinct') return { ...recv, cost: base + recv.items * recv.items };
  if (name === 'split') return { cost: base + walk(recv.len), len: 0, items: recv.len + 1, elem: { cost: 0, len: recv.len, items: 0 } };
  if (name === 'join') return { cost: base + recv.items + walk(recv.items * (recv.elem?.len ?? ASSUMED_BOUNDS.stringLength)), len: recv.items * ((recv.elem?.len ?? ASSUMED_BOUNDS.stringLength) + (args[0]?.len ?? 0)), items: 0 };
  if (name === 'findAll') return { cost: base + walk(recv.len), len: 0, items: recv.len, elem: { cost: 0, len: recv.len, items: 0 } };
  if (name === 'replace') return { cost: base + walk(recv.len), len: recv.len * Math.max(1, args[1]?.len ?? 1), items: 0 };
  if (name === 'format') return { cost: base + walk(recv.len) + args.reduce((s, x) => s + x.items + walk(x.len), 0), len: recv.len + args.reduce((s, x) => s + x.items * ASSUMED_BOUNDS.stringLength + x.len, 0), items: 0 };
  if (LIST_WALK.has(name) && recv.items > 0 && recv.len === 0) return { ...recv, cost: base + recv.items };
  if (STRING_WALK.has(name)) return { ...recv, cost: base + walk(recv.len), items: 0 };
  if (LIST_WALK.has(name)) return { ...recv, cost: base + recv.items + walk(recv.len) };
  // orValue, value, or, optional.of…, quantity and semver methods, authorizer checks: constant work
  return { ...recv, cost: base };
}

/** "1,234,567" */
export const figure = (n: number) => Math.round(n).toLocaleString('en-US');
