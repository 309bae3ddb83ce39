// Conformance against upstream's generated Pod Security Admission fixtures: every fixture,
// evaluated at its level and version, must be allowed (pass/) or denied (fail/) as upstream says,
// and a denial must include the check the fixture is named after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadText } from '../../input/files.js';
import { podInputOf } from './resource.js';
import { attributeOffences, evaluatePod } from './evaluate.js';
import { parseVersion } from './version.js';
import { CHECK_IDS } from './registry.js';

const CORPUS = path.join('..', 'shared', 'corpus', 'pss');

interface Fixture {
  file: string;
  level: 'baseline' | 'restricted';
  version: string;
  expect: 'pass' | 'fail';
  check: string;
}

if (!existsSync(path.join(CORPUS, 'index.json'))) {
  console.error(`\n!!! PSS conformance SKIPPED: corpus folder ${CORPUS} is absent (run from the repo root with the shared corpus beside it) !!!\n`);
  test('pss conformance (skipped: corpus absent)', { skip: true }, () => undefined);
} else {
  const fixtures = JSON.parse(readFileSync(path.join(CORPUS, 'index.json'), 'utf8')) as Fixture[];
  const byLower = new Map(CHECK_IDS.map((id) => [id.toLowerCase(), id]));

  test(`pss conformance: ${fixtures.length} upstream fixtures agree with Pod Security Admission`, () => {
    let agree = 0;
    let namedCheckMissing = 0;
    const disagreements: string[] = [];
    for (const fx of fixtures) {
      const text = readFileSync(path.join(CORPUS, fx.file), 'utf8');
      const load = loadText(text, fx.file);
      const pod = load.resources[0];
      assert.ok(pod && load.errors.length === 0, `${fx.file} does not parse`);
      const input = podInputOf(pod);
      assert.ok(input, `${fx.file} has no pod spec`);
      const version = parseVersion(fx.version);
      assert.ok(version, `${fx.file}: bad version ${fx.version}`);
      const ev = evaluatePod(input, fx.level, version.minor);
      assert.ok(ev.evaluated, `${fx.file}: not evaluated: ${ev.malformed.map((m) => m.message).join('; ')}`);
      const ok = ev.allowed === (fx.expect === 'pass');
      if (ok) agree++;
      else disagreements.push(`${fx.file}: expected ${fx.expect}, got ${ev.allowed ? 'allowed' : `denied: ${ev.violations.map((v) => v.check).join(', ')}`}`);
      if (fx.expect === 'fail' && !ev.allowed) {
        const named = byLower.get(fx.check);
        // Where a restricted check replaces a baseline one (restrictedVolumes for hostPathVolumes),
        // the offending field is still attributed to the named check.
        const attributed = attributeOffences(input, fx.level, version.minor).offences;
        if (!named || !(ev.violations.some((v) => v.check === named) || attributed.some((o) => o.check === named))) {
          namedCheckMissing++;
          disagreements.push(`${fx.file}: denied, but not by ${named ?? fx.check} (by ${ev.violations.map((v) => v.check).join(', ')})`);
        }
      }
    }
    console.log(`PSS conformance: ${agree}/${fixtures.length} fixtures agree (${((100 * agree) / fixtures.length).toFixed(2)}%); failing fixtures denied by another check than their name: ${namedCheckMissing}`);
    assert.deepEqual(disagreements.slice(0, 20), [], `${disagreements.length} disagreements`);
    assert.equal(agree, fixtures.length);
  });
}
