// The anomaly detector on generated traffic: 13 days of benign training, then a day with six
// injected attack scenarios and some benign novelty. Prints precision and recall.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error plain JS generator shared with the bench
import { generateTraffic, SCENARIO, SCENARIOS } from '../../bench/audit-traffic.mjs';
import { parseEvent, type AuditEvent } from '../../src/analyses/audit/event.js';
import { BaselineLearner, BaselineScorer } from '../../src/analyses/audit/baseline.js';
import type { JsonValue } from '../../src/model/types.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5);

function split(scale: number): { train: AuditEvent[]; test: AuditEvent[] } {
  const train: AuditEvent[] = [];
  const testDay: AuditEvent[] = [];
  for (const raw of generateTraffic({ start: START, days: 14, attacks: true, scale }) as Iterable<JsonValue>) {
    const e = parseEvent(raw);
    if (typeof e === 'string') throw new Error(e);
    (e.time < START + 13 * DAY ? train : testDay).push(e);
  }
  return { train, test: testDay };
}

test('anomaly detector: precision and recall on generated scenarios', () => {
  const { train, test: day } = split(0.25);
  const learner = new BaselineLearner();
  for (const e of train) learner.add(e);
  const baseline = learner.finish();
  const scorer = new BaselineScorer(baseline);
  const alerts = day.flatMap((e) => scorer.score(e));
  const scenarioOf = new Map(day.map((e) => [e.auditID, e.annotations[SCENARIO]]));
  const tp = alerts.filter((a) => scenarioOf.get(a.auditID));
  const fp = alerts.filter((a) => !scenarioOf.get(a.auditID));
  const found = new Set(tp.map((a) => scenarioOf.get(a.auditID)));
  const precision = tp.length / Math.max(1, alerts.length);
  const recall = found.size / SCENARIOS.length;
  console.log(`anomaly detector: ${train.length} training events, ${day.length} test events (${day.filter((e) => e.annotations[SCENARIO]).length} attack events in ${SCENARIOS.length} scenarios)`);
  console.log(`  alerts ${alerts.length}: ${tp.length} true, ${fp.length} false; precision ${(100 * precision).toFixed(1)}%, scenario recall ${found.size}/${SCENARIOS.length} (${(100 * recall).toFixed(0)}%)`);
  for (const a of tp) console.log(`  TP [${scenarioOf.get(a.auditID)}] ${a.ruleId}: ${a.message}`);
  for (const a of fp) console.log(`  FP ${a.ruleId}: ${a.message}`);
  // Every explanation is one sentence naming the baseline it departs from.
  for (const a of alerts) assert.match(a.message, /baseline|for the first time in|not seen in|never appeared|no activity in/, a.message);
  assert.equal(recall, 1);
  assert.ok(precision >= 0.9, `precision ${precision}`);
  // The example sentence of the issue.
  assert.ok(tp.some((a) => a.message.startsWith('sa ci/deployer read secrets in kube-system for the first time in 13 days')));
});

test('anomaly thresholds are options: a higher human threshold silences the person alerts', () => {
  const { train, test: day } = split(0.1);
  const learner = new BaselineLearner();
  for (const e of train) learner.add(e);
  const baseline = learner.finish();
  const strict = new BaselineScorer(baseline, { humanThreshold: 99 }).score.bind(new BaselineScorer(baseline, { humanThreshold: 99 }));
  const bob = day.filter((e) => e.annotations[SCENARIO] === 'bob-exec');
  assert.equal(bob.length, 1);
  assert.deepEqual(strict(bob[0]!).map((a) => a.ruleId), []);
  assert.deepEqual(new BaselineScorer(baseline).score(bob[0]!).map((a) => a.ruleId), ['audit/anomaly-new-activity']);
  // A baseline survives JSON (what `audit learn` saves).
  assert.deepEqual(JSON.parse(JSON.stringify(baseline)), baseline);
});
