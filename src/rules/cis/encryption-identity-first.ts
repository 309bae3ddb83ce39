import { defineRule } from '../../engine/rule.js';
import { analyseEncryption, coversSecrets, ENCRYPTION_KIND } from '../../analyses/node/encryption.js';

export default defineRule({
  meta: {
    id: 'cis/encryption-identity-first',
    title: 'Encryption config writes plaintext (identity provider first)',
    severity: 'high',
    rationale: 'The first provider of an entry encrypts every new write; the others only decrypt. With identity first, data is written in plaintext even though encryption appears configured. identity belongs last, as a read fallback during migration.',
    remediation: 'Move identity: {} to the end of the providers list (or remove it), put kms (apiVersion: v2) first, restart the API server and rewrite existing objects.',
    references: { cis: ['1.2.28'], nsa: ['Network separation and hardening: Kubernetes Secrets'], mitre: ['T1552', 'T1005'], urls: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#understanding-the-encryption-at-rest-configuration'] },
    kinds: [ENCRYPTION_KIND],
  },
  check(ctx) {
    if (!ctx.resource.apiVersion.startsWith('apiserver.config.k8s.io/')) return;
    for (const e of analyseEncryption(ctx.resource.object).entries) {
      const first = e.providers[0];
      const what = e.resources.length ? e.resources.join(', ') : 'the listed resources';
      if (!first) {
        ctx.report({ message: `entry for ${what} has no providers; the API server would refuse this file`, path: e.path });
        continue;
      }
      if (first.type !== 'identity') continue;
      const secrets = e.resources.some(coversSecrets);
      ctx.report({
        message: `identity is the first provider for ${what}, so ${secrets ? 'Secrets are' : 'these resources are'} written to etcd in plaintext`,
        path: first.path,
        severity: secrets ? 'high' : 'medium',
      });
    }
  },
});
