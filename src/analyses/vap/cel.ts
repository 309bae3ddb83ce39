// The CEL environment of ValidatingAdmissionPolicy: @marcbachmann/cel-js extended with the
// Kubernetes CEL libraries (strings, lists, sets, regex, quantity, url, ip/cidr, semver, authorizer)
// and a step budget that stops hostile expressions, as the API server's cost limit does.
import { Environment, Optional } from '@marcbachmann/cel-js';
import type { JsonValue } from '../../model/types.js';
import { Quantity, parseQuantity } from './quantity.js';
import { Cidr, Ip, Semver, parseCidr, parseIp, parseSemver } from './values.js';

/** What the authorizer binding asks: answered by the caller (RBAC), never by the CEL layer. */
export interface AuthzQuery {
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  verb: string;
  /** Set for `authorizer.path(p)` checks. */
  path?: string;
  /** Set for `authorizer.serviceAccount(ns, name)`: the user asked about instead of the requester. */
  serviceAccount?: { namespace: string; name: string };
}
/** Throws when it cannot decide (e.g. the RBAC data is incomplete): the decision is then errored. */
export type AuthzCheck = (q: AuthzQuery) => boolean;

/**
 * Steps one expression may take per evaluation (one step = one AST node evaluated, each
 * comprehension iteration included). The API server allows 1,000,000 cost units per expression.
 */
export const DEFAULT_STEP_BUDGET = 1_000_000;

export class BudgetExceeded extends Error {}

/** An authorizer answer; an errored one is never allowed (as the API server's). */
class Decision {
  constructor(
    readonly ok: boolean,
    readonly error?: string,
  ) {}
}
class ResourceCheck {
  constructor(
    readonly authz: Authorizer,
    readonly q: Omit<AuthzQuery, 'verb'>,
  ) {}
  with(patch: Partial<AuthzQuery>): ResourceCheck {
    return new ResourceCheck(this.authz, { ...this.q, ...patch });
  }
}
class PathCheck {
  constructor(
    readonly authz: Authorizer,
    readonly path: string,
  ) {}
}
export class Authorizer {
  requestResource: ResourceCheck;
  constructor(
    readonly check: AuthzCheck,
    request: Omit<AuthzQuery, 'verb'>,
    readonly serviceAccount?: { namespace: string; name: string },
    /** Errors of the decisions made through this authorizer (and those derived from it), for the caller to fail closed. */
    readonly errors: string[] = [],
  ) {
    this.requestResource = new ResourceCheck(this, request);
  }
}

function decide(authz: Authorizer, q: AuthzQuery): Decision {
  try {
    return new Decision(authz.check(authz.serviceAccount ? { ...q, serviceAccount: authz.serviceAccount } : q));
  } catch (e) {
    const why = (e as Error).message;
    authz.errors.push(why);
    return new Decision(false, why);
  }
}

const AUTHZ = 'kubernetes.authorization.Authorizer';
const RCHECK = 'kubernetes.authorization.ResourceCheck';
const PCHECK = 'kubernetes.authorization.PathCheck';
const DECISION = 'kubernetes.authorization.Decision';

function compare(a: number | bigint | string, b: number | bigint | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
function asComparable(v: unknown): number | bigint | string {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string') return v;
  throw new Error('list elements are not comparable');
}
function celEquals(a: unknown, b: unknown): boolean {
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a instanceof Optional || b instanceof Optional) return a instanceof Optional && b instanceof Optional && (a.hasValue() ? b.hasValue() && celEquals(a.value(), b.value()) : !b.hasValue());
  if (a instanceof Map && b instanceof Map) return a.size === b.size && [...a].every(([k, v]) => b.has(k) && celEquals(v, b.get(k)));
  if (isPlain(a) && isPlain(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && celEquals(a[k], b[k]));
  }
  // Values of the Kubernetes types (quantity, semver, ip…) compare by value; other objects by identity.
  const cmp = (a as { compare?: (o: unknown) => number } | null)?.compare;
  if (typeof cmp === 'function' && a!.constructor === (b as object | null)?.constructor) return cmp.call(a, b) === 0;
  return a === b;
}
function isPlain(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
function sum(list: unknown[]): unknown {
  if (list.length === 0) return 0n;
  if (list.every((x) => typeof x === 'bigint')) return (list as bigint[]).reduce((a, b) => a + b, 0n);
  return list.reduce((a: number, b) => a + Number(b), 0);
}
function extreme(list: unknown[], sign: number): unknown {
  if (list.length === 0) throw new Error('min/max of an empty list');
  return list.reduce((a, b) => (compare(asComparable(b), asComparable(a)) * sign > 0 ? b : a));
}
function regex(re: string): RegExp {
  // RE2 and JS agree on the syntax policies use; (?i) is RE2's inline case-insensitive flag.
  return re.startsWith('(?i)') ? new RegExp(re.slice(4), 'gi') : new RegExp(re, 'g');
}
function format(fmt: string, args: unknown[]): string {
  let i = 0;
  return fmt.replace(/%([sdfvboxX%]|\.\d+f)/g, (m, verb: string) => {
    if (verb === '%') return '%';
    if (i >= args.length) throw new Error(`format: not enough arguments for ${m}`);
    const a = args[i++];
    if (verb === 'd') return String(typeof a === 'bigint' ? a : Math.trunc(Number(a)));
    if (verb === 'f' || verb.endsWith('f')) return Number(a).toFixed(verb === 'f' ? 6 : Number(verb.slice(1, -1)));
    if (verb === 'b') return (typeof a === 'bigint' ? a : BigInt(Math.trunc(Number(a)))).toString(2);
    if (verb === 'o') return (typeof a === 'bigint' ? a : BigInt(Math.trunc(Number(a)))).toString(8);
    if (verb === 'x' || verb === 'X') {
      const s = typeof a === 'string' ? Buffer.from(a).toString('hex') : (typeof a === 'bigint' ? a : BigInt(Math.trunc(Number(a)))).toString(16);
      return verb === 'X' ? s.toUpperCase() : s;
    }
    return typeof a === 'string' ? a : JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
  });
}

/** The environment every policy expression is compiled in (variables are declared dyn, as for unstructured objects). */
function buildEnvironment(): Environment {
  const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
  for (const v of ['object', 'oldObject', 'params', 'namespaceObject', 'request', 'variables']) env.registerVariable(v, 'dyn');
  env
    .registerType(AUTHZ, Authorizer)
    .registerType(RCHECK, ResourceCheck)
    .registerType(PCHECK, PathCheck)
    .registerType(DECISION, Decision)
    .registerVariable('authorizer', AUTHZ)
    .registerType('kubernetes.Quantity', Quantity)
    .registerType('kubernetes.Semver', Semver)
    .registerType('net.IP', Ip)
    .registerType('net.CIDR', Cidr)
    .registerType('kubernetes.URL', URL);
  // `sets.contains(a, b)` and `strings.quote(s)` are namespaced functions: cel-js has none, so the
  // namespace is a constant of its own type and the function a method on it.
  for (const ns of ['sets', 'strings']) {
    const Ns = { [ns]: class {} }[ns]!;
    env.registerType(ns, Ns).registerConstant(ns, ns, new Ns());
  }
  const fn = (sig: string, handler: (...a: never[]) => unknown) => env.registerFunction(sig, handler as (...a: unknown[]) => unknown);

  // strings (those cel-js lacks)
  fn('string.replace(string, string): string', (s: string, a: string, b: string) => s.split(a).join(b));
  fn('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => {
    const parts = s.split(a);
    if (n < 0n || parts.length <= 1) return parts.join(b);
    const k = Number(n);
    return parts.slice(0, k + 1).join(b) + (parts.length > k + 1 ? a + parts.slice(k + 1).join(a) : '');
  });
  fn('string.charAt(int): string', (s: string, i: bigint) => {
    if (i < 0n || i > BigInt(s.length)) throw new Error('charAt: index out of range');
    return s.charAt(Number(i));
  });
  fn('string.reverse(): string', (s: string) => [...s].reverse().join(''));
  fn('string.format(list): string', (s: string, args: unknown[]) => format(s, args));
  fn('strings.quote(string): string', (_ns: unknown, s: string) => JSON.stringify(s));
  // regex
  fn('string.find(string): string', (s: string, re: string) => regex(re).exec(s)?.[0] ?? '');
  fn('string.findAll(string): list<string>', (s: string, re: string) => [...s.matchAll(regex(re))].map((m) => m[0]));
  fn('string.findAll(string, int): list<string>', (s: string, re: string, n: bigint) => {
    const all = [...s.matchAll(regex(re))].map((m) => m[0]);
    return n < 0n ? all : all.slice(0, Number(n));
  });
  // lists
  fn('list.isSorted(): bool', (l: unknown[]) => l.every((x, i) => i === 0 || compare(asComparable(l[i - 1]), asComparable(x)) <= 0));
  fn('list.sum(): dyn', (l: unknown[]) => sum(l));
  fn('list.min(): dyn', (l: unknown[]) => extreme(l, -1));
  fn('list.max(): dyn', (l: unknown[]) => extreme(l, 1));
  fn('list.indexOf(dyn): int', (l: unknown[], v: unknown) => BigInt(l.findIndex((x) => celEquals(x, v))));
  fn('list.lastIndexOf(dyn): int', (l: unknown[], v: unknown) => {
    for (let i = l.length - 1; i >= 0; i--) if (celEquals(l[i], v)) return BigInt(i);
    return -1n;
  });
  fn('list.reverse(): list', (l: unknown[]) => [...l].reverse());
  fn('list.slice(int, int): list', (l: unknown[], a: bigint, b: bigint) => l.slice(Number(a), Number(b)));
  fn('list.distinct(): list', (l: unknown[]) => l.filter((x, i) => l.findIndex((y) => celEquals(x, y)) === i));
  fn('list.flatten(): list', (l: unknown[]) => l.flatMap((x) => (Array.isArray(x) ? x : [x])));
  // sets
  fn('sets.contains(list, list): bool', (_ns: unknown, a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => celEquals(x, y))));
  fn('sets.equivalent(list, list): bool', (_ns: unknown, a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => celEquals(x, y))) && a.every((x) => b.some((y) => celEquals(x, y))));
  fn('sets.intersects(list, list): bool', (_ns: unknown, a: unknown[], b: unknown[]) => b.some((x) => a.some((y) => celEquals(x, y))));
  // quantity
  fn('quantity(string): kubernetes.Quantity', (s: string) => parseQuantity(s));
  fn('isQuantity(string): bool', (s: string) => Quantity.valid(s));
  fn('kubernetes.Quantity.compareTo(kubernetes.Quantity): int', (a: Quantity, b: Quantity) => BigInt(a.compare(b)));
  fn('kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => a.compare(b) > 0);
  fn('kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool', (a: Quantity, b: Quantity) => a.compare(b) < 0);
  fn('kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) => a.plus(b.value));
  fn('kubernetes.Quantity.add(int): kubernetes.Quantity', (a: Quantity, b: bigint) => a.plus(Number(b)));
  fn('kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity', (a: Quantity, b: Quantity) => a.plus(-b.value));
  fn('kubernetes.Quantity.sub(int): kubernetes.Quantity', (a: Quantity, b: bigint) => a.plus(-Number(b)));
  // optionals: equal when both are empty or both hold equal values (CEL's optional equality)
  env.registerOperator('optional<V> == optional<V>', (a: Optional, b: Optional) => (a.hasValue() ? b.hasValue() && celEquals(a.value(), b.value()) : !b.hasValue()));
  env.registerOperator('kubernetes.Quantity == kubernetes.Quantity', (a: Quantity, b: Quantity) => a.compare(b) === 0);
  fn('kubernetes.Quantity.sign(): int', (a: Quantity) => BigInt(Math.sign(a.value)));
  fn('kubernetes.Quantity.isInteger(): bool', (a: Quantity) => Number.isInteger(a.value));
  fn('kubernetes.Quantity.asInteger(): int', (a: Quantity) => {
    if (!Number.isInteger(a.value)) throw new Error('quantity is not an integer');
    return BigInt(a.value);
  });
  fn('kubernetes.Quantity.asApproximateFloat(): double', (a: Quantity) => a.value);
  // semver
  fn('semver(string): kubernetes.Semver', (s: string) => parseSemver(s));
  fn('isSemver(string): bool', (s: string) => Semver.valid(s));
  env.registerOperator('kubernetes.Semver == kubernetes.Semver', (a: Semver, b: Semver) => a.compare(b) === 0);
  fn('kubernetes.Semver.major(): int', (v: Semver) => BigInt(v.major));
  fn('kubernetes.Semver.minor(): int', (v: Semver) => BigInt(v.minor));
  fn('kubernetes.Semver.patch(): int', (v: Semver) => BigInt(v.patch));
  fn('kubernetes.Semver.compareTo(kubernetes.Semver): int', (a: Semver, b: Semver) => BigInt(a.compare(b)));
  fn('kubernetes.Semver.isGreaterThan(kubernetes.Semver): bool', (a: Semver, b: Semver) => a.compare(b) > 0);
  fn('kubernetes.Semver.isLessThan(kubernetes.Semver): bool', (a: Semver, b: Semver) => a.compare(b) < 0);
  // ip / cidr
  fn('ip(string): net.IP', (s: string) => parseIp(s));
  fn('isIP(string): bool', (s: string) => Ip.valid(s));
  fn('net.IP.family(): int', (ip: Ip) => BigInt(ip.family));
  fn('net.IP.isLoopback(): bool', (ip: Ip) => ip.isLoopback());
  fn('net.IP.isUnspecified(): bool', (ip: Ip) => ip.value === 0n);
  fn('string(net.IP): string', (ip: Ip) => ip.text);
  fn('cidr(string): net.CIDR', (s: string) => parseCidr(s));
  fn('isCIDR(string): bool', (s: string) => Cidr.valid(s));
  fn('net.CIDR.containsIP(net.IP): bool', (c: Cidr, ip: Ip) => c.contains(ip));
  fn('net.CIDR.containsIP(string): bool', (c: Cidr, ip: string) => c.contains(parseIp(ip)));
  fn('net.CIDR.containsCIDR(net.CIDR): bool', (c: Cidr, o: Cidr) => c.containsCidr(o));
  fn('net.CIDR.containsCIDR(string): bool', (c: Cidr, o: string) => c.containsCidr(parseCidr(o)));
  fn('net.CIDR.prefixLength(): int', (c: Cidr) => BigInt(c.prefix));
  fn('net.CIDR.ip(): net.IP', (c: Cidr) => c.ip);
  fn('string(net.CIDR): string', (c: Cidr) => c.text);
  // url
  fn('url(string): kubernetes.URL', (s: string) => {
    if (!URL.canParse(s)) throw new Error(`url: cannot parse "${s}"`);
    return new URL(s);
  });
  fn('isURL(string): bool', (s: string) => URL.canParse(s));
  fn('kubernetes.URL.getScheme(): string', (u: URL) => u.protocol.replace(/:$/, ''));
  fn('kubernetes.URL.getHost(): string', (u: URL) => u.host);
  fn('kubernetes.URL.getHostname(): string', (u: URL) => u.hostname.replace(/^\[|\]$/g, ''));
  fn('kubernetes.URL.getPort(): string', (u: URL) => u.port);
  fn('kubernetes.URL.getEscapedPath(): string', (u: URL) => u.pathname);
  fn('kubernetes.URL.getQuery(): map', (u: URL) => {
    const out: Record<string, string[]> = {};
    for (const [k, v] of u.searchParams) (out[k] ??= []).push(v);
    return out;
  });
  // authorizer
  fn(`${AUTHZ}.group(string): ${RCHECK}`, (a: Authorizer, g: string) => new ResourceCheck(a, { group: g, resource: '', subresource: '', namespace: '', name: '' }));
  fn(`${AUTHZ}.path(string): ${PCHECK}`, (a: Authorizer, p: string) => new PathCheck(a, p));
  fn(`${AUTHZ}.serviceAccount(string, string): ${AUTHZ}`, (a: Authorizer, ns: string, name: string) => new Authorizer(a.check, a.requestResource.q, { namespace: ns, name }, a.errors));
  fn(`${RCHECK}.resource(string): ${RCHECK}`, (c: ResourceCheck, r: string) => c.with({ resource: r }));
  fn(`${RCHECK}.subresource(string): ${RCHECK}`, (c: ResourceCheck, r: string) => c.with({ subresource: r }));
  fn(`${RCHECK}.namespace(string): ${RCHECK}`, (c: ResourceCheck, r: string) => c.with({ namespace: r }));
  fn(`${RCHECK}.name(string): ${RCHECK}`, (c: ResourceCheck, r: string) => c.with({ name: r }));
  fn(`${RCHECK}.check(string): ${DECISION}`, (c: ResourceCheck, verb: string) => decide(c.authz, { ...c.q, verb }));
  fn(`${PCHECK}.check(string): ${DECISION}`, (c: PathCheck, verb: string) => decide(c.authz, { group: '', resource: '', subresource: '', namespace: '', name: '', verb, path: c.path }));
  fn(`${DECISION}.allowed(): bool`, (d: Decision) => d.ok);
  fn(`${DECISION}.reason(): string`, (d: Decision) => (d.error !== undefined ? '' : d.ok ? 'allowed by RBAC' : 'no RBAC rule allows it'));
  fn(`${DECISION}.errored(): bool`, (d: Decision) => d.error !== undefined);
  fn(`${DECISION}.error(): string`, (d: Decision) => d.error ?? '');
  return env;
}

let shared: Environment | undefined;
function environment(): Environment {
  return (shared ??= buildEnvironment());
}

/** A compiled expression: evaluate with the bindings; throws on error or when the budget runs out. */
export interface Program {
  source: string;
  /** The checked AST (read by the static cost estimate). */
  ast: unknown;
  run(bindings: Record<string, unknown>, budget?: number): unknown;
}

export type CompileResult = { ok: true; program: Program } | { ok: false; message: string; offset?: number };

function errorText(e: unknown): string {
  const err = e as { summary?: string; message?: string };
  return (err.summary ?? err.message ?? String(e)).split('\n')[0]!;
}

/**
 * Counts every AST node evaluation against a shared budget. cel-js exposes the checked AST; each
 * node's evaluate is wrapped once at compile time (comprehension bodies included, through the macro
 * and alternate nodes the checker attached).
 */
function meterAst(root: unknown, meter: { left: number; exceeded: boolean }): void {
  const seen = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (!v || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) return v.forEach(visit);
    const node = v as { op?: unknown; meta?: Record<string, unknown>; args?: unknown; evaluate?: unknown };
    const isNode = typeof node.op === 'string' && node.meta !== undefined && typeof node.evaluate === 'function' && 'args' in node;
    if (isNode) {
      const meta = node.meta!;
      visit(node.args);
      visit(meta.alternate);
      visit(meta.macro);
      const self = node as unknown as { evaluate: (ev: unknown, ast: unknown, ctx: unknown) => unknown };
      const original = Object.getPrototypeOf(node).evaluate as (ev: unknown, ast: unknown, ctx: unknown) => unknown;
      self.evaluate = function (ev, ast, ctx) {
        if (--meter.left < 0) {
          meter.exceeded = true;
          throw new BudgetExceeded('cost budget exceeded');
        }
        const alt = meta.alternate as { evaluate: (e: unknown, a: unknown, c: unknown) => unknown } | undefined;
        if (alt) return alt.evaluate(ev, alt, ctx);
        const macro = meta.macro as { evaluate: (e: unknown, a: unknown, c: unknown) => unknown } | undefined;
        if (macro) return macro.evaluate(ev, macro, ctx);
        return (meta.evaluate as typeof original).call(this, ev, ast, ctx);
      };
      return;
    }
    for (const k of Object.keys(v)) visit((v as Record<string, unknown>)[k]);
  };
  visit(root);
}

/** Compile once: parse + type-check; errors carry the character offset in the expression when known. */
export function compile(source: string): CompileResult {
  const env = environment();
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = env.parse(source);
  } catch (e) {
    return { ok: false, message: `syntax error: ${errorText(e)}`, ...offsetOf(e) };
  }
  const checked = parsed.check();
  if (!checked.valid) return { ok: false, message: `type error: ${errorText(checked.error)}`, ...offsetOf(checked.error) };
  const meter = { left: 0, exceeded: false };
  meterAst(parsed.ast, meter);
  return {
    ok: true,
    program: {
      source,
      ast: parsed.ast,
      run(bindings, budget = DEFAULT_STEP_BUDGET) {
        meter.left = budget;
        meter.exceeded = false;
        let out: unknown;
        try {
          out = parsed(bindings as Record<string, unknown>);
        } catch (e) {
          if (meter.exceeded) throw new BudgetExceeded(`cost budget of ${budget} steps exceeded`);
          throw new Error(errorText(e));
        }
        // A quantifier (all/exists) may swallow the budget error of one iteration: the flag is the truth.
        if (meter.exceeded) throw new BudgetExceeded(`cost budget of ${budget} steps exceeded`);
        return out;
      },
    },
  };
}

function offsetOf(e: unknown): { offset?: number } {
  const r = (e as { range?: { start?: number } }).range;
  return typeof r?.start === 'number' ? { offset: r.start } : {};
}

/** JSON as CEL sees it: integral numbers are ints (BigInt), as for Kubernetes objects. */
export function toCel(v: JsonValue | undefined): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(toCel);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toCel(x);
    return out;
  }
  return v ?? null;
}

/** A CEL result as text for messages. */
export function celText(v: unknown): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)) ?? String(v);
}
