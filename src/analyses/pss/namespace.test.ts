// Namespace labels resolved as the admission plugin resolves them, and the posture helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changesSincePinned, namespacePolicy, weakerThanEnforce } from './namespace.js';
import { pssSettings, exemptionFor, PssSettingsError } from './settings.js';
import { suggestNamespaces, strongestAdmitting } from './suggest.js';
import { parseVersion, compareLevels } from './version.js';

const L = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [`pod-security.kubernetes.io/${k}`, v]));

test('labels: defaults are privileged/latest; warn follows a stricter enforce unless set', () => {
  const none = namespacePolicy({});
  assert.equal(none.enforce.level, 'privileged');
  assert.equal(none.enforce.levelSet, false);
  const p = namespacePolicy(L({ enforce: 'baseline', 'enforce-version': 'v1.29' }));
  assert.equal(p.warn.level, 'baseline');
  assert.equal(p.warn.version.label, 'v1.29');
  assert.equal(p.audit.level, 'privileged', 'audit does not follow enforce');
  const w = namespacePolicy(L({ enforce: 'restricted', warn: 'baseline' }));
  assert.equal(w.warn.level, 'baseline');
});

test('labels: invalid values resolve as PSA resolves them', () => {
  const p = namespacePolicy(L({ enforce: 'strict', warn: 'loud', audit: 'x', 'enforce-version': '1.2' }));
  assert.equal(p.enforce.level, 'restricted', 'bad enforce level fails closed');
  assert.equal(p.warn.level, 'privileged', 'bad warn level fails open');
  assert.equal(p.audit.level, 'privileged');
  assert.equal(p.enforce.version.latest, true, 'bad version means latest');
  assert.deepEqual(p.problems.map((x) => x.label.split('/')[1]), ['enforce', 'enforce-version', 'audit', 'warn']);
});

test('versions: latest and future versions resolve to the newest implemented; syntax is upstream\'s', () => {
  assert.equal(parseVersion('latest')?.minor, 37);
  assert.equal(parseVersion('v1.99')?.minor, 37);
  assert.equal(parseVersion('v1.0')?.minor, 0);
  for (const bad of ['1.30', 'v1.030', 'v2.1', 'v1.', '', 'LATEST', 3]) assert.equal(parseVersion(bad), undefined, String(bad));
  assert.equal(compareLevels('restricted', 'baseline'), 1);
  assert.equal(compareLevels('privileged', 'baseline'), -1);
});

test('posture: changes since a pin, weaker warn/audit', () => {
  assert.deepEqual(changesSincePinned('restricted', 37), []);
  assert.deepEqual(changesSincePinned('privileged', 10), []);
  const since = changesSincePinned('baseline', 33).map((c) => `${c.id}@${c.minor}`);
  assert.deepEqual(since, ['hostProbesAndHostLifecycle@34', 'procMount@35', 'sysctls@37']);
  assert.ok(changesSincePinned('restricted', 33).some((c) => c.id === 'runAsNonRoot'), 'restricted pins also miss restricted changes');
  assert.equal(weakerThanEnforce(namespacePolicy(L({ enforce: 'restricted', audit: 'baseline' })), 'audit'), 'audit level baseline is weaker than enforce level restricted');
  assert.equal(weakerThanEnforce(namespacePolicy(L({ enforce: 'baseline', audit: 'restricted' })), 'audit'), undefined);
  assert.equal(weakerThanEnforce(namespacePolicy(L({ enforce: 'privileged', warn: 'baseline' })), 'warn'), undefined);
});

test('settings: defaults, validation, exemptions', () => {
  const d = pssSettings(undefined);
  assert.equal(d.level, 'restricted');
  assert.equal(d.version.label, 'latest');
  assert.throws(() => pssSettings({ level: 'privileged' }), PssSettingsError);
  assert.throws(() => pssSettings({ version: '1.25' }), PssSettingsError);
  const s = pssSettings({ level: 'baseline', exemptions: { namespaces: ['kube-system', 3], runtimeClasses: ['kata'] } });
  assert.deepEqual(s.exemptions.namespaces, ['kube-system']);
  const pod = (spec: unknown) => ({ metadata: {}, spec, metadataPath: '/metadata', specPath: '/spec' });
  assert.equal(exemptionFor(s.exemptions, 'kube-system', pod({})), 'namespace "kube-system" is exempt');
  assert.equal(exemptionFor(s.exemptions, 'shop', pod({ runtimeClassName: 'kata' })), 'runtimeClass "kata" is exempt');
  assert.equal(exemptionFor(s.exemptions, undefined, pod({ runtimeClassName: 'runc' })), undefined);
});

test('suggest: the strongest level admitting every workload, per namespace', () => {
  const pod = (spec: unknown) => ({ metadata: {}, spec, metadataPath: '/metadata', specPath: '/spec' });
  const restricted = pod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }] });
  const baseline = pod({ containers: [{ name: 'a' }] });
  const privileged = pod({ hostPID: true, containers: [{ name: 'a' }] });
  assert.deepEqual(strongestAdmitting([], 37), { level: 'restricted', evaluated: true });
  assert.deepEqual(strongestAdmitting([restricted, baseline], 37), { level: 'baseline', evaluated: true });
  assert.deepEqual(strongestAdmitting([restricted, privileged], 37), { level: 'privileged', evaluated: true });
  assert.equal(strongestAdmitting([pod({ containers: 'x' })], 37).evaluated, false);
  const out = suggestNamespaces(
    [
      { namespace: 'b', level: 'baseline', evaluated: true },
      { namespace: 'b', level: 'restricted', evaluated: true },
      { namespace: 'a', level: 'privileged', evaluated: false },
    ],
    ['c'],
  );
  assert.deepEqual(out.map((s) => `${s.namespace}:${s.enforce}:${s.workloads}:${s.notEvaluated}`), ['a:privileged:1:1', 'b:baseline:2:0', 'c:restricted:0:0']);
});
