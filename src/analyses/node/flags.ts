// Command-line flags of control-plane components and the kubelet, with JSON Pointers to each token.
// Pure: works on parsed objects (static Pods, the synthetic KubeletFlags object), never on processes.
import type { JsonObject, Resource } from '../../model/types.js';
import { asArray, asObject, asString, isObject } from '../../model/json.js';

export const CONTROL_PLANE_COMPONENTS = ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler'] as const;
export type ControlPlaneComponent = (typeof CONTROL_PLANE_COMPONENTS)[number];
export type Component = ControlPlaneComponent | 'kubelet';

/** Kind of the synthetic object `rampart node` builds from the kubelet's systemd units and env files. */
export const KUBELET_FLAGS_KIND = 'KubeletFlags';
export const RAMPART_API_VERSION = 'rampart.dev/v1';

export interface FlagOccurrence {
  /** Flag name without dashes, e.g. `anonymous-auth`. */
  name: string;
  /** The value as written; `true` for a bare boolean flag. */
  value: string;
  /** JSON Pointer (relative to the object) of the token that carries the value. */
  path: string;
  /** Where it came from: `arg` (command/args) or `env` (etcd's ETCD_* variables). */
  source: 'arg' | 'env';
  /** True when name and value share one token (`--a=b`), so a fix rewrites the whole token. */
  inline: boolean;
  /** The token is part of a larger string (a shell script): no fix may rewrite it. */
  noFix?: boolean;
}

export interface FlagSet {
  component: Component;
  /** Container name for messages (`kube-apiserver`), or `kubelet`. */
  label: string;
  /** Where a missing flag belongs: the command (or args) list. */
  anchor: string;
  /** The effective occurrence of each flag (the last one wins, as with pflag). */
  flags: Map<string, FlagOccurrence>;
  /** Every occurrence in order (for flags given more than once). */
  all: FlagOccurrence[];
  /** Pointer of the container, for fixes and messages. */
  containerPath?: string;
}

/**
 * Flags that pflag treats as booleans: a bare `--profiling` means true and never consumes the next
 * token. Any other bare flag takes the following token as its value (`--audit-log-path /var/log/a`).
 */
const BOOLEAN_FLAGS = new Set([
  'anonymous-auth',
  'profiling',
  'client-cert-auth',
  'auto-tls',
  'peer-client-cert-auth',
  'peer-auto-tls',
  'service-account-lookup',
  'use-service-account-credentials',
  'rotate-certificates',
  'make-iptables-util-chains',
  'protect-kernel-defaults',
  'service-account-extend-token-expiration',
  'allow-privileged',
  'seccomp-default',
]);

/** Parses a list of command tokens (`["kube-apiserver", "--a=b", ...]`) starting at `basePath`. */
export function parseArgList(tokens: unknown, basePath: string): FlagOccurrence[] {
  const list = asArray(tokens);
  const out: FlagOccurrence[] = [];
  for (let i = 0; i < list.length; i++) {
    const tok = list[i];
    if (typeof tok !== 'string') continue; // numbers or objects in a command are invalid; nothing to read
    const m = /^--?([A-Za-z0-9][A-Za-z0-9._-]*)(?:=(.*))?$/s.exec(tok.trim());
    if (!m) continue;
    const name = m[1]!;
    if (m[2] !== undefined) {
      out.push({ name, value: m[2], path: `${basePath}/${i}`, source: 'arg', inline: true });
      continue;
    }
    const next = list[i + 1];
    if (!BOOLEAN_FLAGS.has(name) && typeof next === 'string' && !next.startsWith('-')) {
      out.push({ name, value: next, path: `${basePath}/${i + 1}`, source: 'arg', inline: false });
      i++;
    } else {
      out.push({ name, value: 'true', path: `${basePath}/${i}`, source: 'arg', inline: true });
    }
  }
  return out;
}

function basename(p: string): string {
  const parts = p.split('/');
  return parts[parts.length - 1] ?? p;
}

/** `["/bin/sh", "-c", "exec kube-apiserver --a=b ..."]`: the script, when a command is shell-wrapped. */
export function shellScript(command: unknown): string | undefined {
  const list = asArray(command);
  const shell = asString(list[0]);
  if (!shell || !/(^|\/)(ba|da|a)?sh$/.test(shell.trim()) || list[1] !== '-c') return undefined;
  return asString(list[2]);
}

/** Flags of a shell script line; every flag points at the script string (positions inside it are not tracked). */
function parseScript(script: string, path: string): FlagOccurrence[] {
  const words = script.split(/\s+/).filter(Boolean).map((w) => w.replace(/^['"]|['"]$/g, ''));
  return parseArgList(words, '').map((o) => ({ ...o, path, noFix: true }));
}

/** The component a command runs, from its first token (`/usr/local/bin/kube-apiserver` → kube-apiserver). */
export function componentOfCommand(command: unknown): ControlPlaneComponent | undefined {
  const script = shellScript(command);
  if (script !== undefined) return componentOfCommand(script.split(/\s+/).filter((w) => w && w !== 'exec'));
  const first = asString(asArray(command)[0]);
  if (!first) return undefined;
  // `hyperkube kube-apiserver` and shell-wrapped commands put the binary in a later token.
  const tokens = first.trim().split(/\s+/);
  for (const t of tokens) {
    const b = basename(t);
    if ((CONTROL_PLANE_COMPONENTS as readonly string[]).includes(b)) return b as ControlPlaneComponent;
  }
  return undefined;
}

interface ComponentContainer {
  component: ControlPlaneComponent;
  container: JsonObject;
  path: string;
}

/**
 * Finds the control-plane container of a Pod: by its command's binary, or by the kubeadm
 * `component` / `tier: control-plane` label with a container of the same name.
 */
export function controlPlaneContainer(r: Resource): ComponentContainer | undefined {
  if (r.kind !== 'Pod') return undefined;
  const containers = asArray(asObject(r.object.spec)?.containers);
  for (let i = 0; i < containers.length; i++) {
    const c = containers[i];
    if (!isObject(c)) continue;
    const comp = componentOfCommand(c.command);
    if (comp) return { component: comp, container: c, path: `/spec/containers/${i}` };
  }
  const label = r.labels.component;
  if (label && (CONTROL_PLANE_COMPONENTS as readonly string[]).includes(label)) {
    for (let i = 0; i < containers.length; i++) {
      const c = containers[i];
      if (isObject(c) && (asString(c.name) === label || containers.length === 1)) return { component: label as ControlPlaneComponent, container: c, path: `/spec/containers/${i}` };
    }
  }
  return undefined;
}

/** etcd reads every flag from an `ETCD_<FLAG>` variable too (flags win). */
function etcdEnvFlags(container: JsonObject, containerPath: string): FlagOccurrence[] {
  const out: FlagOccurrence[] = [];
  asArray(container.env).forEach((e, i) => {
    if (!isObject(e)) return;
    const name = asString(e.name);
    const value = asString(e.value);
    if (!name || value === undefined || !name.startsWith('ETCD_')) return;
    out.push({ name: name.slice(5).toLowerCase().replace(/_/g, '-'), value, path: `${containerPath}/env/${i}/value`, source: 'env', inline: false });
  });
  return out;
}

function toFlagSet(component: Component, label: string, anchor: string, occurrences: FlagOccurrence[], containerPath?: string): FlagSet {
  const flags = new Map<string, FlagOccurrence>();
  // env first so that command-line flags override them
  for (const o of occurrences.filter((x) => x.source === 'env')) flags.set(o.name, o);
  for (const o of occurrences.filter((x) => x.source === 'arg')) flags.set(o.name, o);
  const fs: FlagSet = { component, label, anchor, flags, all: occurrences };
  if (containerPath !== undefined) fs.containerPath = containerPath;
  return fs;
}

// Forty-odd rules read the same Pod's flags; parse each object once (objects are not mutated during a run).
const flagCache = new WeakMap<object, FlagSet | null>();

/** Flags of a control-plane static Pod (command + args), or undefined for any other object. */
export function controlPlaneFlags(r: Resource): FlagSet | undefined {
  const cached = flagCache.get(r.object);
  if (cached !== undefined) return cached ?? undefined;
  const fs = computeControlPlaneFlags(r);
  flagCache.set(r.object, fs ?? null);
  return fs;
}

function computeControlPlaneFlags(r: Resource): FlagSet | undefined {
  const found = controlPlaneContainer(r);
  if (!found) return undefined;
  const { component, container, path } = found;
  const script = shellScript(container.command);
  const occ = [...(script !== undefined ? parseScript(script, `${path}/command/2`) : parseArgList(container.command, `${path}/command`)), ...parseArgList(container.args, `${path}/args`)];
  if (component === 'etcd') occ.push(...etcdEnvFlags(container, path));
  const anchor = Array.isArray(container.command) ? `${path}/command` : Array.isArray(container.args) ? `${path}/args` : path;
  return toFlagSet(component, asString(container.name) ?? component, anchor, occ, path);
}

/** Flags of the kubelet, from the synthetic KubeletFlags object (`args` list). */
export function kubeletFlags(r: Resource): FlagSet | undefined {
  if (r.kind !== KUBELET_FLAGS_KIND) return undefined;
  return toFlagSet('kubelet', 'kubelet', Array.isArray(r.object.args) ? '/args' : '', parseArgList(r.object.args, '/args'));
}

/** strconv.ParseBool, which every Kubernetes component uses for boolean flags. */
export function parseBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** A comma-separated flag value (or a YAML list) as trimmed, non-empty items. */
export function parseList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(v)) {
    if (!v.every((x) => typeof x === 'string')) return undefined;
    return (v as string[]).map((s) => s.trim()).filter(Boolean);
  }
  return undefined;
}

/** `--feature-gates=A=true,B=false` or a YAML map `{A: true}`. */
export function parseFeatureGates(v: unknown): Map<string, boolean> | undefined {
  const out = new Map<string, boolean>();
  if (typeof v === 'string') {
    for (const item of v.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [k, val] = item.split('=');
      const b = parseBool(val?.trim());
      if (!k || b === undefined) return undefined;
      out.set(k.trim(), b);
    }
    return out;
  }
  if (isObject(v)) {
    for (const [k, val] of Object.entries(v)) {
      const b = parseBool(val);
      if (b === undefined) return undefined;
      out.set(k, b);
    }
    return out;
  }
  return undefined;
}

/** A Go duration (`4h0m0s`, `0`, `30m`) in seconds; undefined when it does not parse. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v / 1e9; // metav1.Duration as a JSON number is nanoseconds
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * unit[m[2]!]!;
    consumed = re.lastIndex;
  }
  return consumed === s.length && s.length > 0 ? total : undefined;
}
