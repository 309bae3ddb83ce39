import { defineRule } from '../../engine/rule.js';
import { controlPlaneFlags } from '../../analyses/node/flags.js';

export default defineRule({
  meta: {
    id: 'cis/etcd-unique-ca',
    title: 'etcd trusts the cluster CA (no dedicated etcd CA)',
    severity: 'medium',
    rationale: 'If etcd trusts the same CA as the API server\'s clients, every certificate that CA signs for users, kubelets or controllers is also accepted by etcd, which holds every Secret. A dedicated etcd CA limits etcd access to the API server.',
    remediation: 'Create a separate CA for etcd (kubeadm does: /etc/kubernetes/pki/etcd/ca.crt) and point etcd --trusted-ca-file at it.',
    references: { cis: ['2.7'], nsa: ['Network separation and hardening: etcd'], mitre: ['T1552', 'T1078'], urls: ['https://etcd.io/docs/v3.5/op-guide/security/'] },
    kinds: ['Pod'],
  },
  check(ctx) {
    const etcd = controlPlaneFlags(ctx.resource);
    if (!etcd || etcd.component !== 'etcd') return;
    const trusted = etcd.flags.get('trusted-ca-file');
    if (!trusted || !trusted.value.trim()) {
      ctx.report({ message: 'etcd: --trusted-ca-file is not set, so client certificates are not checked against a dedicated CA', path: etcd.anchor });
      return;
    }
    for (const other of ctx.index.ofKind('Pod')) {
      const api = controlPlaneFlags(other);
      if (!api || api.component !== 'kube-apiserver') continue;
      const clientCa = api.flags.get('client-ca-file')?.value.trim();
      if (clientCa && clientCa === trusted.value.trim()) {
        ctx.report({ message: `etcd: --trusted-ca-file is ${clientCa}, the same CA the API server uses for --client-ca-file`, path: trusted.path });
        return;
      }
    }
  },
});
