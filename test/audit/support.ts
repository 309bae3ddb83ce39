// Shared by the audit tests: the corpus location, and running the detector in-process on events.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { builtinRules, eventRules } from '../../src/rules/index.js';
import { AuditDetector, type Alert } from '../../src/analyses/audit/detect.js';
import { parseEvent, type AuditEvent } from '../../src/analyses/audit/event.js';
import { emptyConfig, type Config, type RuleSetting } from '../../src/engine/config.js';
import type { JsonValue } from '../../src/model/types.js';

export const CORPUS = '../shared/corpus/audit';
export const EVENTS = path.join(CORPUS, 'events');

/** The corpus folder, or undefined after saying loudly why the tests that need it skip. */
export function corpusOrSkip(t: { skip(msg: string): void }): string | undefined {
  if (existsSync(EVENTS)) return CORPUS;
  const msg = `SKIPPED: audit corpus not found at ${CORPUS} (run from the worktree next to ../shared)`;
  console.error(msg);
  t.skip(msg);
  return undefined;
}

export function configWith(rules: Record<string, RuleSetting>): Config {
  return { ...emptyConfig(), rules };
}

export function eventsOf(file: string): AuditEvent[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const e = parseEvent(JSON.parse(l) as JsonValue);
      if (typeof e === 'string') throw new Error(`${file}: ${e}`);
      return e;
    });
}

export function detect(events: AuditEvent[], config: Config = emptyConfig()): Alert[] {
  const d = new AuditDetector({ rules: eventRules, scannerRules: builtinRules, config });
  return events.flatMap((e) => d.process(e));
}

export function corpusFile(name: string): string {
  return path.join(EVENTS, `falco-${name}.jsonl`);
}

export function corpusFiles(): string[] {
  return readdirSync(EVENTS).filter((f) => f.endsWith('.jsonl'));
}

let n = 0;
/** An audit.k8s.io/v1 Event at ResponseComplete with the given overrides. */
export function auditEvent(o: Record<string, unknown>): AuditEvent {
  const base = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: `id-${++n}`,
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/shop/pods',
    verb: 'get',
    user: { username: 'alice@example.com', groups: ['devs', 'system:authenticated'] },
    sourceIPs: ['10.0.0.7'],
    userAgent: 'kubectl/v1.30.0 (linux/amd64)',
    responseStatus: { code: 200 },
    requestReceivedTimestamp: '2026-01-05T10:00:00.000000Z',
  };
  const e = parseEvent({ ...base, ...o } as JsonValue);
  if (typeof e === 'string') throw new Error(e);
  return e;
}
