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

class Counter {
  private values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = labelText(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels)) ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, v] of this.values) lines.push(`${this.name}${k} ${v}`);
    return lines.join('\n');
  }
}

class Histogram {
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
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]!) this.counts[i]!++;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket{le="${b}"} ${this.counts[i]}`));
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
