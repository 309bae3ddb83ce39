// NetworkPolicy (networking.k8s.io/v1) parsed from untrusted JSON into a normal form.
// Anything the API server would reject, or that cannot be read, becomes a problem: the policy is
// then not evaluated and callers fail closed.
import type { JsonValue, Resource } from '../../model/types.js';
import type { LabelSelector } from '../../model/index.js';
import { asArray, asObject, isObject } from '../../model/json.js';
import { isProtocol, MAX_PORT, MIN_PORT, type Protocol } from './ports.js';
import { parseCidr, subtract, type IpInterval } from './ip.js';

export type Direction = 'ingress' | 'egress';

export type Peer =
  | {
      kind: 'pods';
      /** `undefined`: the policy's own namespace. An empty selector matches every namespace. */
      namespaceSelector?: LabelSelector;
      /** An empty selector matches every pod (in the namespaces above). */
      podSelector: LabelSelector;
      path: string;
    }
  | {
      kind: 'ipBlock';
      cidr: string;
      except: string[];
      family: 4 | 6;
      prefix: number;
      /** IPv4 only: cidr minus except. */
      ranges: IpInterval[];
      path: string;
    };

export interface PortSpec {
  protocol: Protocol;
  /** undefined: every port of the protocol. */
  port?: number | string;
  endPort?: number;
  path: string;
}

export interface PolicyRule {
  /** 'all': `from`/`to` absent or empty (every source/destination, inside and outside the cluster). */
  peers: Peer[] | 'all';
  /** 'all': `ports` absent or empty. */
  ports: PortSpec[] | 'all';
  index: number;
  path: string;
}

export interface Policy {
  namespace: string;
  name: string;
  /** `namespace/name`. */
  id: string;
  resource?: Resource;
  podSelector: LabelSelector;
  /** Directions the policy isolates (policyTypes, with the API default applied). */
  types: { ingress: boolean; egress: boolean };
  ingress: PolicyRule[];
  egress: PolicyRule[];
  problems: { message: string; path: string }[];
}

export const DEFAULT_NAMESPACE = 'default';

/** Reads a label selector; pushes a problem and returns undefined when its shape is wrong. */
export function parseSelector(v: JsonValue | undefined, path: string, problems: Policy['problems']): LabelSelector | undefined {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) {
    problems.push({ message: 'label selector is not an object', path });
    return undefined;
  }
  const sel: LabelSelector = {};
  if (v.matchLabels !== undefined && v.matchLabels !== null) {
    if (!isObject(v.matchLabels)) {
      problems.push({ message: 'matchLabels is not an object', path: `${path}/matchLabels` });
      return undefined;
    }
    const ml: Record<string, string> = {};
    for (const [k, val] of Object.entries(v.matchLabels)) {
      if (typeof val !== 'string') {
        problems.push({ message: `matchLabels value for "${k}" is not a string`, path: `${path}/matchLabels/${k}` });
        return undefined;
      }
      ml[k] = val;
    }
    sel.matchLabels = ml;
  }
  if (v.matchExpressions !== undefined && v.matchExpressions !== null) {
    if (!Array.isArray(v.matchExpressions)) {
      problems.push({ message: 'matchExpressions is not a list', path: `${path}/matchExpressions` });
      return undefined;
    }
    const exprs: NonNullable<LabelSelector['matchExpressions']> = [];
    for (const [i, e] of v.matchExpressions.entries()) {
      const p = `${path}/matchExpressions/${i}`;
      const op = isObject(e) ? e.operator : undefined;
      if (!isObject(e) || typeof e.key !== 'string' || typeof op !== 'string' || !['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(op)) {
        problems.push({ message: 'match expression needs a string key and an operator In, NotIn, Exists or DoesNotExist', path: p });
        return undefined;
      }
      const values = e.values === undefined || e.values === null ? [] : e.values;
      if (!Array.isArray(values) || values.some((x) => typeof x !== 'string')) {
        problems.push({ message: 'match expression values must be a list of strings', path: `${p}/values` });
        return undefined;
      }
      if ((op === 'In' || op === 'NotIn') && values.length === 0) {
        problems.push({ message: `operator ${op} needs at least one value`, path: p });
        return undefined;
      }
      if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) {
        problems.push({ message: `operator ${op} takes no values`, path: `${p}/values` });
        return undefined;
      }
      exprs.push({ key: e.key, operator: op, values: values as string[] });
    }
    sel.matchExpressions = exprs;
  }
  return sel;
}

export function isEmptySelector(sel: LabelSelector | undefined): boolean {
  return !!sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

function parsePeer(v: JsonValue, path: string, problems: Policy['problems']): Peer | undefined {
  if (!isObject(v)) {
    problems.push({ message: 'peer is not an object', path });
    return undefined;
  }
  const hasIp = v.ipBlock !== undefined && v.ipBlock !== null;
  const hasPod = v.podSelector !== undefined && v.podSelector !== null;
  const hasNs = v.namespaceSelector !== undefined && v.namespaceSelector !== null;
  if (hasIp && (hasPod || hasNs)) {
    problems.push({ message: 'a peer may not combine ipBlock with podSelector or namespaceSelector', path });
    return undefined;
  }
  if (hasIp) {
    const ib = asObject(v.ipBlock);
    const cidr = ib?.cidr;
    const parsed = parseCidr(cidr);
    if (!ib || !parsed) {
      problems.push({ message: `ipBlock.cidr ${JSON.stringify(cidr ?? null)} is not a valid CIDR`, path: ib ? `${path}/ipBlock/cidr` : `${path}/ipBlock` });
      return undefined;
    }
    const except: string[] = [];
    const exceptIv: IpInterval[] = [];
    if (ib.except !== undefined && ib.except !== null && !Array.isArray(ib.except)) {
      problems.push({ message: 'ipBlock.except is not a list', path: `${path}/ipBlock/except` });
      return undefined;
    }
    for (const [i, e] of asArray(ib.except).entries()) {
      const pe = parseCidr(e);
      if (!pe || pe.family !== parsed.family) {
        problems.push({ message: `ipBlock.except entry ${JSON.stringify(e)} is not a CIDR of the same family as ${String(cidr)}`, path: `${path}/ipBlock/except/${i}` });
        return undefined;
      }
      if (pe.family === 4 && parsed.family === 4) {
        if (pe.interval.lo < parsed.interval.lo || pe.interval.hi > parsed.interval.hi || pe.prefix <= parsed.prefix) {
          problems.push({ message: `ipBlock.except entry ${String(e)} must be strictly inside ${String(cidr)}`, path: `${path}/ipBlock/except/${i}` });
          return undefined;
        }
        exceptIv.push(pe.interval);
      }
      except.push(String(e));
    }
    if (parsed.family === 4) {
      return { kind: 'ipBlock', cidr: String(cidr), except, family: 4, prefix: parsed.prefix, ranges: subtract(parsed.interval, exceptIv), path };
    }
    return { kind: 'ipBlock', cidr: String(cidr), except, family: 6, prefix: parsed.prefix, ranges: [], path };
  }
  if (!hasPod && !hasNs) {
    problems.push({ message: 'peer must set podSelector, namespaceSelector or ipBlock', path });
    return undefined;
  }
  const podSelector = parseSelector(v.podSelector, `${path}/podSelector`, problems);
  const namespaceSelector = hasNs ? parseSelector(v.namespaceSelector, `${path}/namespaceSelector`, problems) : undefined;
  if (!podSelector || (hasNs && !namespaceSelector)) return undefined;
  const peer: Peer = { kind: 'pods', podSelector, path };
  if (namespaceSelector) peer.namespaceSelector = namespaceSelector;
  return peer;
}

function parsePort(v: JsonValue, path: string, problems: Policy['problems']): PortSpec | undefined {
  if (!isObject(v)) {
    problems.push({ message: 'port entry is not an object', path });
    return undefined;
  }
  const protocol = v.protocol === undefined || v.protocol === null ? 'TCP' : v.protocol;
  if (!isProtocol(protocol)) {
    problems.push({ message: `protocol ${JSON.stringify(protocol)} is not TCP, UDP or SCTP`, path: `${path}/protocol` });
    return undefined;
  }
  const spec: PortSpec = { protocol, path };
  const port = v.port;
  if (port !== undefined && port !== null) {
    if (typeof port === 'number') {
      if (!Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) {
        problems.push({ message: `port ${port} is not between 1 and 65535`, path: `${path}/port` });
        return undefined;
      }
      spec.port = port;
    } else if (typeof port === 'string' && /^[a-z0-9]([a-z0-9-]{0,13})$/.test(port) && /[a-z]/.test(port) && !port.includes('--') && !port.endsWith('-')) {
      spec.port = port;
    } else {
      problems.push({ message: `port ${JSON.stringify(port)} is neither a number nor a valid port name (a quoted number is a name and must contain a letter)`, path: `${path}/port` });
      return undefined;
    }
  }
  if (v.endPort !== undefined && v.endPort !== null) {
    const end = v.endPort;
    if (typeof spec.port !== 'number') {
      problems.push({ message: 'endPort requires a numeric port', path: `${path}/endPort` });
      return undefined;
    }
    if (typeof end !== 'number' || !Number.isInteger(end) || end < spec.port || end > MAX_PORT) {
      problems.push({ message: `endPort ${JSON.stringify(end)} must be a number between port (${spec.port}) and 65535`, path: `${path}/endPort` });
      return undefined;
    }
    spec.endPort = end;
  }
  return spec;
}

function parseRules(v: JsonValue | undefined, dir: Direction, base: string, problems: Policy['problems']): PolicyRule[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    problems.push({ message: `spec.${dir} is not a list`, path: base });
    return [];
  }
  const peerKey = dir === 'ingress' ? 'from' : 'to';
  const out: PolicyRule[] = [];
  v.forEach((r, index) => {
    const path = `${base}/${index}`;
    if (!isObject(r)) {
      problems.push({ message: `${dir} rule is not an object`, path });
      return;
    }
    const rawPeers = r[peerKey];
    const rawPorts = r.ports;
    if (rawPeers !== undefined && rawPeers !== null && !Array.isArray(rawPeers)) {
      problems.push({ message: `${peerKey} is not a list`, path: `${path}/${peerKey}` });
      return;
    }
    if (rawPorts !== undefined && rawPorts !== null && !Array.isArray(rawPorts)) {
      problems.push({ message: 'ports is not a list', path: `${path}/ports` });
      return;
    }
    const before = problems.length;
    const peerList = asArray(rawPeers);
    const portList = asArray(rawPorts);
    const peers = peerList.map((p, i) => parsePeer(p, `${path}/${peerKey}/${i}`, problems));
    const ports = portList.map((p, i) => parsePort(p, `${path}/ports/${i}`, problems));
    if (problems.length > before) return;
    out.push({
      peers: peerList.length === 0 ? 'all' : (peers as Peer[]),
      ports: portList.length === 0 ? 'all' : (ports as PortSpec[]),
      index,
      path,
    });
  });
  return out;
}

/** Parses one NetworkPolicy object. Namespace defaults to "default". */
export function parsePolicy(obj: JsonValue, resource?: Resource): Policy {
  const problems: Policy['problems'] = [];
  const o = asObject(obj) ?? {};
  const md = asObject(o.metadata) ?? {};
  const name = typeof md.name === 'string' ? md.name : '';
  const namespace = typeof md.namespace === 'string' && md.namespace ? md.namespace : DEFAULT_NAMESPACE;
  const spec = asObject(o.spec);
  const policy: Policy = {
    namespace,
    name,
    id: `${namespace}/${name}`,
    podSelector: {},
    types: { ingress: true, egress: false },
    ingress: [],
    egress: [],
    problems,
  };
  if (resource) policy.resource = resource;
  if (!spec) {
    problems.push({ message: 'spec is missing or not an object', path: '/spec' });
    return policy;
  }
  policy.podSelector = parseSelector(spec.podSelector, '/spec/podSelector', problems) ?? {};
  policy.ingress = parseRules(spec.ingress, 'ingress', '/spec/ingress', problems);
  policy.egress = parseRules(spec.egress, 'egress', '/spec/egress', problems);
  const pt = spec.policyTypes;
  if (pt === undefined || pt === null || (Array.isArray(pt) && pt.length === 0)) {
    // API default: Ingress always; Egress when the policy has egress rules.
    policy.types = { ingress: true, egress: asArray(spec.egress).length > 0 };
  } else if (!Array.isArray(pt) || pt.some((t) => t !== 'Ingress' && t !== 'Egress')) {
    problems.push({ message: 'policyTypes must be a list of "Ingress" and "Egress"', path: '/spec/policyTypes' });
  } else {
    policy.types = { ingress: pt.includes('Ingress'), egress: pt.includes('Egress') };
  }
  return policy;
}

/** True when a rule of a direction the policy isolates has an ipBlock peer (answers then rest on the "ipBlock is outside the cluster" reading). */
export function hasIpBlock(p: Policy): boolean {
  return (['ingress', 'egress'] as const).some((dir) => p.types[dir] && (dir === 'ingress' ? p.ingress : p.egress).some((r) => r.peers !== 'all' && r.peers.some((x) => x.kind === 'ipBlock')));
}
