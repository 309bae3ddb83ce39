import { defineRule } from '../../engine/rule.js';
import { allContainers, describeContainer, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asArray, asObject, asString } from '../../model/json.js';
import { looksLikeCredentialName, looksLikeCredentialValue } from '../../analyses/secrets/names.js';

export { looksLikeCredentialName, looksLikeCredentialValue, nameWords } from '../../analyses/secrets/names.js';

/** A PEM private-key header; dash counts and spacing vary in pasted or mangled keys, so be lenient. */
const PRIVATE_KEY = /-{3,}\s*BEGIN\s+[A-Z0-9 ]*PRIVATE KEY( BLOCK)?\s*-{3,}/i;

export default defineRule({
  meta: {
    id: 'secrets/env-literal',
    title: 'Credential in a literal environment value',
    severity: 'high',
    rationale:
      'A password, token or key written into a manifest is readable by everyone who can read the repository, the rendered chart, the workload object (get deployments) or the pod spec, and it shows up in logs, diffs and crash dumps. It cannot be rotated without a redeploy.',
    remediation:
      'Move the value into a Secret (or an external secret store) and reference it with env[].valueFrom.secretKeyRef, or better mount it as a file; then rotate the exposed credential.',
    references: {
      cis: ['5.4.1', '5.4.2'],
      nsa: ['Network separation and hardening: secrets'],
      mitre: ['T1552.001', 'T1552.007'],
      urls: ['https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables'],
    },
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    for (const c of allContainers(ctx.resource, ['containers', 'initContainers'])) {
      asArray(c.container.env).forEach((e, j) => {
        const env = asObject(e);
        const name = asString(env?.name);
        const value = env?.value;
        if (!env || name === undefined || value === undefined || value === null) return;
        // Numbers and booleans written unquoted are still literal values the API server would reject; treat them as text.
        const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
        if (text === undefined) return;
        const privateKey = PRIVATE_KEY.test(text);
        if (!privateKey && !(looksLikeCredentialName(name) && looksLikeCredentialValue(text))) return;
        // Never put the value, or any part of it, in the message.
        ctx.report({
          message: `${describeContainer(c)} sets env ${name} to a literal ${privateKey ? 'private key' : 'value that looks like a credential'} (value not shown)`,
          path: `${c.path}/env/${j}/value`,
          details: { env: name },
        });
      });
    }
  },
});
