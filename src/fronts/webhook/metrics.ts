// Prometheus text exposition (format 0.0.4) for the webhook: counters, one latency histogram and
// gauges. A few dozen lines do it; a client library would bring a registry we do not need.

type Labels = Record<string, string>;

const NEEDS_ESCAPE = /[\\\n"]/;

function labelText(l: Labels): string {
  let out = '';
  for (const k in l) {
    const v = l[k]!;
    // Label values are mostly plain (rule ids, codes): escape only when needed, as this runs per request.
    const text = NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : v;
    out += `${out ? ',' : '{'}${k}="${text}"`;
  }
  return out ? out + '}' : '';
}

/** One series of a counter; a front that counts per request keeps it instead of rebuilding its label text. */
export interface CounterCell {
  value: number;
}

class Counter {
  private values = new Map<string, CounterCell>();
  // Cells by label values in declaration order (two levels: every series here has two labels), so
  // the per-request path does two Map look-ups and builds no label text.
  private byValues = new Map<string, Map<string, CounterCell>>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  /** The series for these labels, created at 0 on first use. */
  cell(labels: Labels = {}): CounterCell {
    const k = labelText(labels);
    let c = this.values.get(k);
    if (!c) this.values.set(k, (c = { value: 0 }));
    return c;
  }
  /** The series `{a: va, b: vb}` (label names as in `names`), looked up by value. */
  cell2(names: readonly [string, string], va: string, vb: string): CounterCell {
    let inner = this.byValues.get(va);
    if (!inner) this.byValues.set(va, (inner = new Map()));
    let c = inner.get(vb);
    if (!c) inner.set(vb, (c = this.cell({ [names[0]]: va, [names[1]]: vb })));
    return c;
  }
  inc(labels: Labels = {}, by = 1): void {
    this.cell(labels).value += by;
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, c] of this.values) lines.push(`${this.name}${k} ${c.value}`);
    return lines.join('\n');
  }
}

class Histogram {
  /** Observations per bucket (not cumulative: one increment per observation; render sums them). */
  private counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: number[],
  ) {
    this.counts = buckets.map(() => 0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    const b = this.buckets;
    let i = 0;
    while (i < b.length && v > b[i]!) i++;
    if (i < b.length) this.counts[i]!++;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    let cumulative = 0;
    this.buckets.forEach((b, i) => {
      cumulative += this.counts[i]!;
      lines.push(`${this.name}_bucket{le="${b}"} ${cumulative}`);
    });
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

export class WebhookMetrics {
  readonly requests = new Counter('rampart_webhook_requests_total', 'HTTP requests by path and status code.');
  readonly admissions = new Counter('rampart_webhook_admissions_total', 'Admission reviews by operation and result (allowed, denied, skipped, error).');
  readonly decisions = new Counter('rampart_webhook_rule_decisions_total', 'Violations by rule and outcome (enforce, warn, audit).');
  readonly latency = new Histogram('rampart_webhook_review_duration_seconds', 'Time to judge one admission review, body read to response.', [
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
  ]);
  /** Seconds since the context (namespaces, RBAC, policies) was last known current; -1 without a context. */
  contextAge: () => number = () => -1;
  certReloads = 0;

  render(): string {
    return [
      this.requests.render(),
      this.admissions.render(),
      this.decisions.render(),
      this.latency.render(),
      '# HELP rampart_webhook_context_age_seconds Seconds since the cluster context was last known current (-1: no context).',
      '# TYPE rampart_webhook_context_age_seconds gauge',
      `rampart_webhook_context_age_seconds ${this.contextAge()}`,
      '# HELP rampart_webhook_certificate_reloads_total Serving certificate reloads after the files changed.',
      '# TYPE rampart_webhook_certificate_reloads_total counter',
      `rampart_webhook_certificate_reloads_total ${this.certReloads}`,
      '',
    ].join('\n');
  }
}
