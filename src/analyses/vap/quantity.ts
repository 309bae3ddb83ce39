// Kubernetes resource quantities ("500m", "1Gi", "1e3") for the CEL quantity library.
const SUFFIX: Record<string, number> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
const FORM = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

export class Quantity {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}
  static valid(s: string): boolean {
    return FORM.test(s);
  }
  compare(o: Quantity): number {
    return this.value < o.value ? -1 : this.value > o.value ? 1 : 0;
  }
  plus(n: number): Quantity {
    const v = this.value + n;
    return new Quantity(v, String(v));
  }
}

export function parseQuantity(s: string): Quantity {
  const m = FORM.exec(s);
  if (!m) throw new Error(`quantity: "${s}" is not a valid quantity`);
  const base = Number(m[1]);
  const value = m[2] ? base * 10 ** Number(m[2].slice(1)) : base * SUFFIX[m[3] ?? '']!;
  return new Quantity(value, s);
}
