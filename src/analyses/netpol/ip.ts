// IPv4 CIDR parsing and address intervals. ipBlock peers are treated as traffic from/to outside
// the cluster (SEMANTICS §6); IPv6 blocks are parsed and validated but not split into ranges.

export interface IpInterval {
  lo: number;
  hi: number;
}

export const ALL_IPV4: IpInterval = { lo: 0, hi: 0xffffffff };

export type ParsedCidr = { family: 4; interval: IpInterval; prefix: number } | { family: 6; prefix: number };

export function parseIpv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return undefined;
    n = n * 256 + o;
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function validIpv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return false;
  const double = s.split('::').length - 1;
  if (double > 1) return false;
  const groups = s.split(':').filter((g) => g !== '');
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g) && parseIpv4(g) === undefined)) return false;
  return double === 1 ? groups.length < 8 : groups.length === 8 || (groups.length === 7 && groups[6]!.includes('.'));
}

/** Parses `a.b.c.d/n` or an IPv6 CIDR; undefined when malformed. Host bits are masked off. */
export function parseCidr(s: unknown): ParsedCidr | undefined {
  if (typeof s !== 'string') return undefined;
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const addr = s.slice(0, slash);
  const prefixText = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const v4 = parseIpv4(addr);
  if (v4 !== undefined) {
    if (prefix > 32) return undefined;
    const size = 2 ** (32 - prefix);
    const lo = Math.floor(v4 / size) * size;
    return { family: 4, prefix, interval: { lo, hi: lo + size - 1 } };
  }
  if (validIpv6(addr) && prefix <= 128) return { family: 6, prefix };
  return undefined;
}

/** `cidr` minus each `except`, as sorted disjoint intervals. */
export function subtract(base: IpInterval, except: IpInterval[]): IpInterval[] {
  let out: IpInterval[] = [base];
  for (const e of except) {
    const next: IpInterval[] = [];
    for (const iv of out) {
      if (e.hi < iv.lo || e.lo > iv.hi) {
        next.push(iv);
        continue;
      }
      if (e.lo > iv.lo) next.push({ lo: iv.lo, hi: e.lo - 1 });
      if (e.hi < iv.hi) next.push({ lo: e.hi + 1, hi: iv.hi });
    }
    out = next;
  }
  return out;
}

export function intervalContains(set: IpInterval[], lo: number, hi: number): boolean {
  return set.some((iv) => iv.lo <= lo && hi <= iv.hi);
}

/** Splits 0.0.0.0–255.255.255.255 at every boundary of the given intervals: each piece is treated uniformly. */
export function atoms(intervals: IpInterval[]): IpInterval[] {
  const cuts = new Set<number>([0]);
  for (const iv of intervals) {
    cuts.add(iv.lo);
    if (iv.hi < 0xffffffff) cuts.add(iv.hi + 1);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  return sorted.map((lo, i) => ({ lo, hi: i + 1 < sorted.length ? sorted[i + 1]! - 1 : 0xffffffff }));
}

export function formatInterval(iv: IpInterval): string {
  return `${formatIpv4(iv.lo)}-${formatIpv4(iv.hi)}`;
}
