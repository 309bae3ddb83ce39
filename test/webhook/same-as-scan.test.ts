// Every object of the real-world corpus, sent through the webhook's decision, must yield the same rule
// ids and JSON Pointers that `scan` reports for it. Each project is one "cluster": its other objects are
// the webhook's context, as they would be once installed. Rules that need the whole input at once
// (escalation paths, namespace default-deny, policies that select nothing) cannot run on one object
// at the door; they are listed below with the reason and must be the only differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadInputs } from '../../src/input/files.js';
import { runEngine } from '../../src/engine/run.js';
import { builtinRules } from '../../src/rules/index.js';
import { isGlobal } from '../../src/engine/rule.js';
import { emptyConfig } from '../../src/engine/config.js';
import { rbacScanSettings } from '../../src/input/rbac-defaults.js';
import { admit, contextOf } from '../../src/fronts/webhook/admit.js';
import { webhookPolicy } from '../../src/fronts/webhook/policy.js';
import { parseAdmissionReview } from '../../src/input/admission.js';
import type { Resource } from '../../src/model/types.js';
import { review } from '../support/admission.js';

const CORPUS = '../shared/corpus/real-world';

/** Rules the webhook cannot evaluate on one object, and why (printed with the figures). */
const NEEDS_WHOLE_INPUT: Record<string, string> = Object.fromEntries(
  builtinRules.filter(isGlobal).map((r) => [r.meta.id, 'a global rule: it judges the whole input at once (paths, coverage), not one admitted object']),
);

test('webhook and scan agree on every object of the real-world corpus', { timeout: 600_000 }, async (t) => {
  if (!existsSync(CORPUS)) {
    t.skip(`SKIPPED: ${CORPUS} is missing; the webhook/scan agreement was NOT checked`);
    console.log(`\n!!! ${CORPUS} not found: webhook/scan agreement not checked !!!\n`);
    return;
  }
  const projects = readdirSync(CORPUS).filter((p) => statSync(path.join(CORPUS, p)).isDirectory());
  const config = emptyConfig();
  // Annotations are honoured here so both sides suppress the same findings; the webhook's default
  // (not honouring them) is tested in admit.test.ts.
  const policy = webhookPolicy({ honourAnnotations: true, pssLevelFromNamespace: false });
  let objects = 0;
  let agreeing = 0;
  const perRule = new Map<string, { scan: number; webhook: number; both: number }>();
  const unexplained: string[] = [];
  for (const project of projects) {
    const load = await loadInputs([path.join(CORPUS, project)], undefined, false);
    const rbac = await rbacScanSettings(undefined, false, load.resources);
    const settings = { rbac: rbac.settings };
    const scan = runEngine(load, { rules: builtinRules, config, settings });
    const byObject = new Map<Resource, Set<string>>();
    const keyOf = (r: Resource) => `${r.file}\u0000${r.docIndex}\u0000${r.basePath}`;
    const resByKey = new Map(load.resources.map((r) => [keyOf(r), r]));
    for (const f of scan.findings) {
      if (f.suppressed || f.ruleId.startsWith('config/')) continue;
      // The finding's object: same file and document, and a path inside its base path.
      const r = load.resources.find((x) => x.file === f.location.file && x.kind === f.resource.kind && x.name === f.resource.name && (x.namespace ?? '') === (f.resource.namespace ?? '') && f.location.path.startsWith(x.basePath));
      if (!r) continue;
      const set = byObject.get(r) ?? new Set();
      set.add(`${f.ruleId}\u0000${f.location.path.slice(r.basePath.length)}`);
      byObject.set(r, set);
    }
    const ctx = contextOf(load.resources);
    const admitter = { rules: builtinRules, config, policy, settings };
    for (const r of resByKey.values()) {
      objects++;
      const parsed = parseAdmissionReview(JSON.stringify(review(r.object as Record<string, unknown>)));
      if (!parsed.ok) {
        unexplained.push(`${r.file}: ${parsed.error}`);
        continue;
      }
      const d = admit(admitter, ctx, parsed.request);
      const hook = new Set(d.verdicts.map((v) => `${v.ruleId}\u0000${v.path}`));
      const fromScan = byObject.get(r) ?? new Set<string>();
      let same = true;
      for (const k of new Set([...hook, ...fromScan])) {
        const rule = k.split('\u0000')[0]!;
        const c = perRule.get(rule) ?? { scan: 0, webhook: 0, both: 0 };
        const inScan = fromScan.has(k);
        const inHook = hook.has(k);
        if (inScan) c.scan++;
        if (inHook) c.webhook++;
        if (inScan && inHook) c.both++;
        perRule.set(rule, c);
        if (inScan !== inHook && !NEEDS_WHOLE_INPUT[rule]) {
          same = false;
          unexplained.push(`${r.file} ${r.kind}/${r.name}: ${rule} at ${k.split('\u0000')[1]} only in ${inScan ? 'scan' : 'webhook'}`);
        }
      }
      if (same) agreeing++;
    }
  }
  const rows = [...perRule].sort((a, b) => a[0].localeCompare(b[0]));
  const findingsBoth = rows.reduce((n, [id, c]) => n + (NEEDS_WHOLE_INPUT[id] ? 0 : c.both), 0);
  const findingsScan = rows.reduce((n, [id, c]) => n + (NEEDS_WHOLE_INPUT[id] ? 0 : c.scan), 0);
  console.log(`\nwebhook vs scan on ${CORPUS}: ${agreeing}/${objects} objects give the same rule ids and JSON Pointers; per-object findings ${findingsBoth}/${findingsScan}`);
  for (const [id, c] of rows) if (NEEDS_WHOLE_INPUT[id] || c.both !== c.scan || c.both !== c.webhook) console.log(`  ${id}: scan ${c.scan}, webhook ${c.webhook}${NEEDS_WHOLE_INPUT[id] ? ` — not judged at admission: ${NEEDS_WHOLE_INPUT[id]}` : ''}`);
  if (unexplained.length) console.log(unexplained.slice(0, 20).join('\n'));
  assert.deepEqual(unexplained, [], 'every difference is a rule that needs the whole input');
  assert.ok(objects > 1000, `the corpus was read (${objects} objects)`);
});
