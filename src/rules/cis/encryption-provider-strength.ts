import { defineRule } from '../../engine/rule.js';
import { analyseEncryption, ENCRYPTION_KIND, providerWeakness } from '../../analyses/node/encryption.js';

export default defineRule({
  meta: {
    id: 'cis/encryption-provider-strength',
    title: 'Secrets are encrypted with a weaker provider than KMS v2',
    severity: 'medium',
    rationale: 'Local providers (aescbc, aesgcm, secretbox) keep the key in the EncryptionConfiguration file on the same disk as etcd\'s data, so a stolen control-plane disk or backup decrypts everything. aescbc is additionally open to padding-oracle attacks, and KMS v1 is deprecated. KMS v2 keeps the key-encryption key in an external KMS.',
    remediation: 'Use a kms provider with apiVersion: v2 as the first provider for secrets (keep the old provider second until every Secret is rewritten).',
    references: { cis: ['1.2.28'], nsa: ['Network separation and hardening: Kubernetes Secrets'], mitre: ['T1552', 'T1005'], urls: ['https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/', 'https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#providers'] },
    kinds: [ENCRYPTION_KIND],
  },
  check(ctx) {
    if (!ctx.resource.apiVersion.startsWith('apiserver.config.k8s.io/')) return;
    const entry = analyseEncryption(ctx.resource.object).secrets;
    const first = entry?.providers[0];
    if (!first) return;
    const weak = providerWeakness(first);
    if (!weak) return;
    ctx.report({ message: `Secrets are encrypted with ${first.type ?? 'an unknown provider'}: ${weak.reason}`, path: first.path, severity: weak.severity });
  },
});
