// pss/namespace-old-version: enforce pinned to a policy version whose checks have since changed.
import { defineRule } from '../../engine/rule.js';
import { pointer } from '../../model/json.js';
import { changesSincePinned, LABEL_PREFIX, namespacePolicy } from '../../analyses/pss/namespace.js';
import { pssSettings } from '../../analyses/pss/settings.js';
import { LATEST_MINOR } from '../../analyses/pss/types.js';

export default defineRule({
  meta: {
    id: 'pss/namespace-old-version',
    title: 'Namespace enforces an old Pod Security Standards version',
    severity: 'low',
    rationale:
      'Pinning enforce-version keeps upgrades predictable, but a pin that is never moved keeps the namespace on old rules: checks added or tightened since (new unsafe sysctls, probe hosts, capabilities, seccomp) are not enforced.',
    remediation: 'Test workloads against the newer version (`rampart pss --level LEVEL --version latest`) and move pod-security.kubernetes.io/enforce-version forward.',
    references: { cis: ['5.2.1'], urls: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces'] },
    kinds: ['Namespace'],
  },
  check(ctx) {
    const ns = ctx.resource;
    if (pssSettings(ctx.settings.pss).exemptions.namespaces.includes(ns.name)) return;
    const policy = namespacePolicy(ns.labels);
    const e = policy.enforce;
    if (!e.levelSet || !e.versionSet || e.version.latest) return;
    const changes = changesSincePinned(e.level, e.version.minor);
    if (!changes.length) return;
    const list = changes.slice(0, 6).map((c) => `${c.id} (v1.${c.minor})`).join(', ');
    ctx.report({
      message: `namespace "${ns.name}" enforces ${e.level} at ${e.version.label}; ${changes.length} check change${changes.length === 1 ? '' : 's'} since are not enforced: ${list}${changes.length > 6 ? ', ...' : ''}`,
      path: `/metadata/labels${pointer(`${LABEL_PREFIX}enforce-version`)}`,
      details: { pinned: e.version.label, newest: `v1.${LATEST_MINOR}` },
    });
  },
});
