// The rules added for properties peers check (issue 23) on the real-world corpus: how often each
// fires, and which findings are false positives (the rule says something untrue about the object).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { loadInputs } from '../src/input/files.js';
import { runEngine } from '../src/engine/run.js';
import type { AnyRule } from '../src/engine/rule.js';
import envFromSecret from '../src/rules/secrets/env-from-secret.js';
import defaultSaAutomount from '../src/rules/workload/default-sa-automount.js';
import serviceStatusWrite from '../src/rules/rbac/service-status-write.js';
import pullPolicy from '../src/rules/image/pull-policy.js';

const CORPUS = '../shared/corpus/real-world';

test('peer-parity rules on the real-world corpus: findings, files, and false positives', { timeout: 600_000 }, async (t) => {
  if (!existsSync(CORPUS)) {
    t.skip(`SKIPPED: ${CORPUS} is missing; the figures were NOT measured`);
    return;
  }
  const load = await loadInputs([CORPUS], undefined, false);
  // defaultOff rules are measured switched on: the figure is what decides whether they stay off.
  const rules: AnyRule[] = [envFromSecret, defaultSaAutomount, serviceStatusWrite, pullPolicy].map((r) => ({ ...r, meta: { ...r.meta, defaultOff: false } }) as AnyRule);
  const report = runEngine(load, { rules });
  const workloads = load.resources.filter((r) => ['Deployment', 'DaemonSet', 'StatefulSet', 'Job', 'CronJob', 'Pod'].includes(r.kind)).length;
  console.log(`\npeer-parity rules on ${load.resources.length} real-world objects (${workloads} workloads):`);
  for (const r of rules) {
    const fs = report.findings.filter((f) => f.ruleId === r.meta.id);
    const files = new Set(fs.map((f) => f.location.file.split('/').slice(0, 5).join('/')));
    console.log(`  ${r.meta.id}: ${fs.length} findings in ${files.size} projects${r.meta.id === pullPolicy.meta.id ? ' (off by default)' : ''}`);
  }
  // Every finding states a fact checked from the object itself (a secretKeyRef, an unset field, a
  // grant, a tag with a non-Always policy); a false positive would be a finding whose fact is untrue.
  const untrue = report.findings.filter((f) => {
    const r = load.resources.find((x) => x.file === f.location.file && `${x.basePath}` === f.location.path.slice(0, x.basePath.length) && x.name === f.resource.name && x.kind === f.resource.kind);
    if (!r) return true;
    if (f.ruleId === defaultSaAutomount.meta.id) return r.name !== 'default' || r.object.automountServiceAccountToken === false;
    return false;
  });
  console.log(`  false positives: ${untrue.length}`);
  for (const f of report.findings.filter((x) => x.ruleId === serviceStatusWrite.meta.id)) console.log(`    service-status-write: ${f.location.file}:${f.location.line} ${f.message}`);
  assert.equal(untrue.length, 0);
  // The corpus has a few documents the parser rejects (duplicate keys); no rule may fail on the rest.
  assert.deepEqual(report.errors.filter((e) => e.message.startsWith('rule ')), []);
});
