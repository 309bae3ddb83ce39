// The detector's bounded state and its dispatch index: the recent-key table against a plain model,
// the burst windows' caps, and the verb/resource index changing nothing but speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentKeys, SlidingWindow } from '../../src/analyses/audit/window.js';
import { AuditDetector } from '../../src/analyses/audit/detect.js';
import { parseEvent, type AuditEvent } from '../../src/analyses/audit/event.js';
import { builtinRules, eventRules } from '../../src/rules/index.js';
import type { EventRule } from '../../src/engine/rule.js';
import type { JsonValue } from '../../src/model/types.js';
import { generateTraffic } from '../../bench/audit-traffic.mjs';
import { configWith, corpusFiles, corpusOrSkip, eventsOf, EVENTS } from './support.js';
import path from 'node:path';

test('RecentKeys keeps exactly the keys of the last `capacity` insertions (refreshes included), like a model', () => {
  const cap = 37;
  const rk = new RecentKeys<number>(cap);
  // Model: a key is kept iff it was (re)inserted within the last `cap` insertions.
  const model = new Map<string, { value: number; at: number }>();
  let inserts = 0;
  const kept = (key: string) => {
    const m = model.get(key);
    return m && inserts - m.at <= cap ? m : undefined; // insertions at..inserts-1 are the last `cap`
  };
  let x = 12345;
  const rand = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 20_000; i++) {
    const key = `k${Math.floor(rand() * 120)}`;
    const op = rand();
    if (op < 0.6) {
      const m = kept(key);
      assert.equal(rk.getOrAdd(key, i), m?.value, `getOrAdd ${key} at ${i}`);
      if (!m) model.set(key, { value: i, at: inserts++ });
    } else if (op < 0.8) {
      rk.set(key, i);
      model.set(key, { value: i, at: inserts++ });
    } else {
      assert.equal(rk.get(key), kept(key)?.value, `get ${key} at ${i}`);
      assert.equal(rk.has(key), kept(key) !== undefined);
    }
  }
});

test('RecentKeys without refreshes keeps the last `capacity` keys and no older one', () => {
  const rk = new RecentKeys<true>(1000);
  for (let i = 0; i < 10_000; i++) assert.equal(rk.getOrAdd(`id-${i}`, true), undefined);
  let kept = 0;
  for (let i = 0; i < 10_000; i++) if (rk.has(`id-${i}`)) kept++;
  assert.equal(kept, 1000);
  for (let i = 9000; i < 10_000; i++) assert.equal(rk.get(`id-${i}`), true);
});

test('SlidingWindow: keys beyond maxKeys are forgotten least recent first; a key keeps at most maxPerKey times', () => {
  const w = new SlidingWindow(60_000, 3, 5);
  for (const k of ['a', 'b', 'c', 'd']) w.add(k, 0);
  assert.equal(w.size, 3);
  assert.equal(w.add('a', 1).count, 1, 'a was evicted (least recent) and starts again');
  for (let i = 0; i < 20; i++) w.add('b', 100 + i);
  assert.equal(w.add('b', 200).count, 5, 'count capped at maxPerKey');
});

/** The same rules with their dispatch hints removed: every rule sees every event. */
function undispatched(): EventRule<AuditEvent>[] {
  return eventRules.map((r) => ({ meta: r.meta, ...(r.init ? { init: r.init } : {}), check: r.check }) as EventRule<AuditEvent>);
}


test('the verb/resource index changes no alert (corpus and generated traffic, every rule on)', (t) => {
  const events: AuditEvent[] = [];
  for (const raw of generateTraffic({ days: 2, attacks: true }) as Iterable<JsonValue>) {
    const e = parseEvent(raw);
    if (typeof e !== 'string') events.push(e);
  }
  if (corpusOrSkip(t)) for (const f of corpusFiles()) events.push(...eventsOf(path.join(EVENTS, f)));
  const run = (rules: readonly EventRule<AuditEvent>[]) => {
    const config = configWith(Object.fromEntries(rules.map((r) => [r.meta.id, { enabled: true }])));
    const d = new AuditDetector({ rules, scannerRules: builtinRules, config });
    return events.flatMap((e) => d.process(e)).map((a) => `${a.id} ${a.ruleId} ${a.message}`);
  };
  const indexed = run(eventRules);
  const plain = run(undispatched());
  console.log(`dispatch index: ${events.length} events, ${indexed.length} alerts with the index, ${plain.length} without`);
  assert.ok(indexed.length > 100);
  assert.deepEqual(indexed, plain);
});
