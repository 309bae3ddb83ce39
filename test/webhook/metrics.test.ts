// The webhook's Prometheus text: series kept per label values must render exactly as labelled ones,
// and the latency histogram's buckets stay cumulative although an observation increments one bucket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebhookMetrics } from '../../src/fronts/webhook/metrics.js';

function samples(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

test('a series looked up by value is the series of the same labels', () => {
  const m = new WebhookMetrics();
  m.decisions.cell2(['rule', 'outcome'], 'pss/privileged', 'enforce').value++;
  m.decisions.inc({ rule: 'pss/privileged', outcome: 'enforce' });
  m.decisions.cell2(['rule', 'outcome'], 'pss/privileged', 'enforce').value++;
  m.decisions.cell2(['rule', 'outcome'], 'a"b\\c', 'warn').value++;
  assert.equal(m.decisions.get({ rule: 'pss/privileged', outcome: 'enforce' }), 3);
  const got = samples(m.render(), 'rampart_webhook_rule_decisions_total{');
  assert.deepEqual(
    [...got],
    [
      ['rampart_webhook_rule_decisions_total{rule="pss/privileged",outcome="enforce"}', 3],
      ['rampart_webhook_rule_decisions_total{rule="a\\"b\\\\c",outcome="warn"}', 1],
    ],
  );
});

test('histogram buckets are cumulative, +Inf is the count, and the sum adds up', () => {
  const m = new WebhookMetrics();
  const observed = [0.0001, 0.0005, 0.0007, 0.003, 0.003, 0.2, 7];
  for (const v of observed) m.latency.observe(v);
  const got = samples(m.render(), 'rampart_webhook_review_duration_seconds');
  for (const [key, n] of got) {
    const le = /le="([^"]+)"/.exec(key)?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    assert.equal(n, observed.filter((v) => v <= bound).length, key);
  }
  assert.equal(got.get('rampart_webhook_review_duration_seconds_count'), observed.length);
  assert.ok(Math.abs(got.get('rampart_webhook_review_duration_seconds_sum')! - observed.reduce((a, b) => a + b, 0)) < 1e-9);
  assert.equal([...got.keys()].filter((k) => k.includes('_bucket')).length, 13, '12 bounds and +Inf');
});
