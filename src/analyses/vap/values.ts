// Semver, IP and CIDR values for the Kubernetes CEL libraries (parsed by hand: analyses stay pure).
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export class Semver {
  constructor(
    readonly major: number,
    readonly minor: number,
    readonly patch: number,
    readonly pre: string,
  ) {}
  static valid(s: string): boolean {
    return SEMVER.test(s);
  }
  compare(o: Semver): number {
    for (const k of ['major', 'minor', 'patch'] as const) if (this[k] !== o[k]) return this[k] < o[k] ? -1 : 1;
    if (this.pre === o.pre) return 0;
    // A pre-release sorts before the release it precedes.
    if (!this.pre) return 1;
    if (!o.pre) return -1;
    return this.pre < o.pre ? -1 : 1;
  }
}

export function parseSemver(s: string): Semver {
  const m = SEMVER.exec(s);
  if (!m) throw new Error(`semver: "${s}" is not a valid semantic version`);
  return new Semver(Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? '');
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((a, p) => (a << 8n) + BigInt(p), 0n);
}

function parseV6(s: string): bigint | undefined {
  if (s.includes('%')) return undefined; // zones are rejected, as Kubernetes does
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  // An embedded IPv4 tail counts as two groups.
  const last = (halves.length === 2 ? tail : head).at(-1);
  const words: string[] = [];
  let v4: bigint | undefined;
  if (last?.includes('.')) {
    v4 = parseV4(last);
    if (v4 === undefined) return undefined;
    (halves.length === 2 ? tail : head).pop();
  }
  const needed = 8 - (v4 !== undefined ? 2 : 0);
  const fill = needed - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined;
  words.push(...head, ...Array(halves.length === 2 ? fill : 0).fill('0'), ...tail);
  if (words.some((w) => !/^[0-9a-fA-F]{1,4}$/.test(w))) return undefined;
  let n = words.reduce((a, w) => (a << 16n) + BigInt(parseInt(w, 16)), 0n);
  if (v4 !== undefined) n = (n << 32n) + v4;
  return n;
}

export class Ip {
  constructor(
    readonly family: 4 | 6,
    readonly value: bigint,
    readonly text: string,
  ) {}
  static valid(s: string): boolean {
    return parseV4(s) !== undefined || (s.includes(':') && parseV6(s) !== undefined);
  }
  isLoopback(): boolean {
    return this.family === 4 ? this.value >> 24n === 127n : this.value === 1n;
  }
}

export function parseIp(s: string): Ip {
  const v4 = parseV4(s);
  if (v4 !== undefined) return new Ip(4, v4, s);
  const v6 = s.includes(':') ? parseV6(s) : undefined;
  if (v6 !== undefined) return new Ip(6, v6, s);
  throw new Error(`ip: "${s}" is not a valid IP address`);
}

export class Cidr {
  constructor(
    readonly ip: Ip,
    readonly prefix: number,
    readonly text: string,
  ) {}
  static valid(s: string): boolean {
    try {
      parseCidr(s);
      return true;
    } catch {
      return false;
    }
  }
  private bits(): number {
    return this.ip.family === 4 ? 32 : 128;
  }
  contains(ip: Ip): boolean {
    if (ip.family !== this.ip.family) return false;
    const shift = BigInt(this.bits() - this.prefix);
    return ip.value >> shift === this.ip.value >> shift;
  }
  containsCidr(o: Cidr): boolean {
    return o.prefix >= this.prefix && this.contains(o.ip);
  }
}

export function parseCidr(s: string): Cidr {
  const [addr, len, extra] = s.split('/');
  const ip = addr !== undefined && len !== undefined && extra === undefined && /^\d{1,3}$/.test(len) ? parseIp(addr) : undefined;
  const prefix = Number(len);
  if (!ip || prefix > (ip.family === 4 ? 32 : 128)) throw new Error(`cidr: "${s}" is not a valid CIDR`);
  return new Cidr(ip, prefix, s);
}
