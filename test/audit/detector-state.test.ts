// The detector's bounded state and its dispatch index: the recent-key table against a plain model,
// the burst windows' caps, and the verb/resource index changing nothing but speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentKeys, SlidingWindow } from '../../src/analyses/audit/window.js';
import { AuditDetector } from '../../src/analyses/audit/detect.js';
import { parseEvent, parseTimestamp, type AuditEvent } from '../../src/analyses/audit/event.js';
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

test('SlidingWindow: at most maxKeys keys, those untouched longest forgotten first; a key keeps at most maxPerKey times', () => {
  const w = new SlidingWindow(60_000, 4, 5);
  for (const k of ['a', 'b', 'c', 'd', 'e', 'f']) w.add(k, 0);
  assert.ok(w.size <= 4, `size ${w.size}`);
  assert.equal(w.add('f', 1).count, 2, 'the newest key is kept');
  assert.equal(w.add('a', 1).count, 1, 'the oldest key was forgotten and starts again');
  for (let i = 0; i < 20; i++) w.add('b', 100 + i);
  assert.equal(w.add('b', 200).count, 5, 'count capped at maxPerKey');
  // Distinct values inside the window, at most maxPerKey of them kept.
  const kinds = new SlidingWindow(300_000, 10, 15);
  for (let i = 0; i < 14; i++) assert.equal(kinds.add('sa', i * 1000, `r${i}`).distinct, i + 1);
  assert.equal(kinds.add('sa', 20_000, 'r0').distinct, 14, 'a value seen again is not new');
  assert.equal(kinds.add('sa', 21_000, 'r99').distinct, 15);
  assert.equal(kinds.add('sa', 22_000, 'r100').distinct, 15, 'capped at maxPerKey');
  assert.equal(kinds.add('sa', 1_000_000, 'r1').distinct, 1, 'older values left the window');
  // A million distinct keys (a password spray from many addresses) stay within the cap.
  const big = new SlidingWindow(60_000, 1000, 20);
  for (let i = 0; i < 1_000_000; i++) big.add(`ip ${i}`, i);
  assert.ok(big.size <= 1000);
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

test('event timestamps: the fast RFC 3339 path equals Date.parse', () => {
  const cases = ['2026-01-05T10:00:04.116000Z', '2026-01-05T10:00:04Z', '2026-01-05T10:00:04.1Z', '2026-01-05T10:00:04.123456789Z', '2026-02-31T00:00:00Z', '2026-01-05T24:00:00Z', '2026-01-05T23:59:60Z', '2026-13-05T10:00:00Z', '0099-01-05T10:00:00Z', '2026-01-05T10:00:04.Z', '2026-01-05T10:00:04.12aZ', '2026-01-05T10:00:04+02:00', '2026-01-05 10:00:04Z', 'garbage', '2018-10-25T13:58:49.730588Z'];
  let x = 99;
  const rand = (n: number) => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) % n;
  for (let i = 0; i < 2000; i++) {
    const p = (v: number, w: number) => String(v).padStart(w, '0');
    cases.push(`${p(1970 + rand(100), 4)}-${p(1 + rand(12), 2)}-${p(1 + rand(31), 2)}T${p(rand(24), 2)}:${p(rand(60), 2)}:${p(rand(60), 2)}${rand(2) ? '.' + p(rand(1_000_000), 6) : ''}Z`);
  }
  for (const c of cases) assert.equal(parseTimestamp(c), Date.parse(c), c);
});
