import { defineRule } from '../../engine/rule.js';
import { analyseEncryption, ENCRYPTION_KIND } from '../../analyses/node/encryption.js';

export default defineRule({
  meta: {
    id: 'cis/encryption-secrets-covered',
    title: 'Encryption config does not cover Secrets',
    severity: 'high',
    rationale: 'An EncryptionConfiguration only encrypts the resources it lists. If no entry names secrets (or the *. / *.* wildcards), Secrets are still written to etcd as base64 plaintext.',
    remediation: 'Add an entry with resources: [secrets] (first) whose first provider is kms (apiVersion: v2), and rewrite existing Secrets: kubectl get secrets -A -o json | kubectl replace -f -',
    references: { cis: ['1.2.28'], nsa: ['Network separation and hardening: Kubernetes Secrets'], mitre: ['T1552', 'T1005'], urls: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'] },
    kinds: [ENCRYPTION_KIND],
  },
  check(ctx) {
    if (!ctx.resource.apiVersion.startsWith('apiserver.config.k8s.io/')) return;
    const a = analyseEncryption(ctx.resource.object);
    if (a.secrets) return;
    const named = a.entries.flatMap((e) => e.resources);
    ctx.report({
      message: named.length ? `no resources entry covers secrets (entries cover: ${named.join(', ')}); Secrets are stored unencrypted` : 'no resources entry covers secrets; Secrets are stored unencrypted',
      path: Array.isArray(ctx.resource.object.resources) ? '/resources' : '',
    });
  },
});
