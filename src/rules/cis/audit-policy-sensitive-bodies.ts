import { defineRule } from '../../engine/rule.js';
import { byRule, leaks, sensitiveProbes, simulate, summariseProbes } from '../../analyses/node/audit-policy.js';

export default defineRule({
  meta: {
    id: 'cis/audit-policy-sensitive-bodies',
    title: 'Audit policy writes Secrets into the audit log',
    severity: 'high',
    rationale:
      'At Request level the audit log records request bodies, at RequestResponse also response bodies (in the ResponseComplete event). Writes of secrets and configmaps and token reviews carry credentials in the request; reads of secrets and configmaps and TokenRequests return them in the response. Logged, the audit log becomes a plaintext copy of them, readable by whoever can read logs. The policy is evaluated as the API server does, first matching rule wins, in every namespace, for every object name and user its rules mention, and for any other.',
    remediation: 'Add a rule near the top: "- level: Metadata\\n  resources: [{group: \\"\\", resources: [secrets, configmaps, serviceaccounts/token]}, {group: authentication.k8s.io, resources: [tokenreviews]}]".',
    references: { cis: ['3.2.2'], nsa: ['Audit logging and threat detection'], mitre: ['T1552', 'T1528'], urls: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy'] },
    kinds: ['Policy'],
    fixClass: 'safe',
  },
  check(ctx) {
    if (!ctx.resource.apiVersion.startsWith('audit.k8s.io/')) return;
    // Every namespace, object name and user the rules mention, and any other: first match wins.
    const all = sensitiveProbes(ctx.resource.object);
    const outcomes = simulate(ctx.resource.object, all).filter(leaks);
    for (const [rule, probes] of byRule(outcomes)) {
      const secrets = probes.some((p) => p.resource === 'secrets' || p.subresource === 'token' || p.resource === 'tokenreviews');
      ctx.report({
        message: `rule ${rule.index} logs ${summariseProbes(probes, all)} at ${rule.level}, which writes their contents into the audit log; use Metadata`,
        path: `${rule.path}/level`,
        severity: secrets ? 'high' : 'medium',
        fix: [{ op: 'set', path: `${rule.path}/level`, value: 'Metadata' }],
      });
    }
  },
});
