// Sets of (protocol, port) as sorted disjoint intervals, interned so that the matrix works on ids.
export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Sorted, disjoint, non-adjacent [lo, hi] intervals per protocol. Immutable by convention. */
export type PortSet = Readonly<Record<Protocol, readonly (readonly [number, number])[]>>;

export const EMPTY: PortSet = { SCTP: [], TCP: [], UDP: [] };
export const ALL: PortSet = { SCTP: [[MIN_PORT, MAX_PORT]], TCP: [[MIN_PORT, MAX_PORT]], UDP: [[MIN_PORT, MAX_PORT]] };

export function isProtocol(p: unknown): p is Protocol {
  return typeof p === 'string' && (PROTOCOLS as readonly string[]).includes(p);
}

function normalise(iv: (readonly [number, number])[]): [number, number][] {
  const sorted = [...iv].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function portRange(protocol: Protocol, lo: number, hi: number): PortSet {
  return { ...EMPTY, [protocol]: [[lo, hi]] };
}

export function protocolAll(protocol: Protocol): PortSet {
  return portRange(protocol, MIN_PORT, MAX_PORT);
}

export function union(a: PortSet, b: PortSet): PortSet {
  if (a === EMPTY) return b;
  if (b === EMPTY) return a;
  if (a === ALL || b === ALL) return ALL;
  return { SCTP: normalise([...a.SCTP, ...b.SCTP]), TCP: normalise([...a.TCP, ...b.TCP]), UDP: normalise([...a.UDP, ...b.UDP]) };
}

function intersectIv(a: readonly (readonly [number, number])[], b: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

export function intersect(a: PortSet, b: PortSet): PortSet {
  if (a === ALL) return b;
  if (b === ALL) return a;
  if (a === EMPTY || b === EMPTY) return EMPTY;
  return { SCTP: intersectIv(a.SCTP, b.SCTP), TCP: intersectIv(a.TCP, b.TCP), UDP: intersectIv(a.UDP, b.UDP) };
}

export function isEmpty(a: PortSet): boolean {
  return a.SCTP.length === 0 && a.TCP.length === 0 && a.UDP.length === 0;
}

export function isAll(a: PortSet): boolean {
  return PROTOCOLS.every((p) => a[p].length === 1 && a[p][0]![0] === MIN_PORT && a[p][0]![1] === MAX_PORT);
}

export function contains(a: PortSet, protocol: Protocol, port: number): boolean {
  return a[protocol].some(([lo, hi]) => port >= lo && port <= hi);
}

/**
 * np-guard's spelling: `All Connections`, or protocols in SCTP, TCP, UDP order each followed by
 * its ports and ranges: `TCP 8080,9090,UDP 53`. Empty is `No Connections`.
 */
export function formatPorts(a: PortSet): string {
  if (isAll(a)) return 'All Connections';
  if (isEmpty(a)) return 'No Connections';
  const parts: string[] = [];
  for (const p of PROTOCOLS) {
    const iv = a[p];
    if (iv.length === 0) continue;
    parts.push(p + ' ' + iv.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}-${hi}`)).join(','));
  }
  return parts.join(',');
}

/** Canonical key for interning. */
export function portKey(a: PortSet): string {
  return PROTOCOLS.map((p) => a[p].map(([lo, hi]) => `${lo}-${hi}`).join(',')).join('|');
}

/** Memo key of an unordered pair of ids: a small integer (fast Map key) while ids stay below 2^15. */
function pairKey(a: number, b: number): number {
  const lo = a < b ? a : b;
  const hi = a < b ? b : a;
  return hi < 32768 ? lo * 32768 + hi : -(lo * 1048576 + hi);
}

/** Interns port sets to small integers; id 0 is EMPTY and id 1 is ALL. Unions and intersections are memoised. */
export class PortSetTable {
  readonly sets: PortSet[] = [EMPTY, ALL];
  private ids = new Map<string, number>([
    [portKey(EMPTY), 0],
    [portKey(ALL), 1],
  ]);
  private unions = new Map<number, number>();
  private inters = new Map<number, number>();

  id(a: PortSet): number {
    if (a === EMPTY) return 0;
    if (a === ALL) return 1;
    const k = portKey(a);
    let id = this.ids.get(k);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(a);
      this.ids.set(k, id);
    }
    return id;
  }

  get(id: number): PortSet {
    return this.sets[id]!;
  }

  union(a: number, b: number): number {
    if (a === b || b === 0) return a;
    if (a === 0) return b;
    if (a === 1 || b === 1) return 1;
    const key = pairKey(a, b);
    let r = this.unions.get(key);
    if (r === undefined) {
      r = this.id(union(this.get(a), this.get(b)));
      this.unions.set(key, r);
    }
    return r;
  }

  intersect(a: number, b: number): number {
    if (a === b || b === 1) return a;
    if (a === 1) return b;
    if (a === 0 || b === 0) return 0;
    const key = pairKey(a, b);
    let r = this.inters.get(key);
    if (r === undefined) {
      r = this.id(intersect(this.get(a), this.get(b)));
      this.inters.set(key, r);
    }
    return r;
  }
}
