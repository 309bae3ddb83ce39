// Kubelet rules (CIS 4.2), one per item, generated from analyses/node/kubelet-checks.ts. They read a
// KubeletConfiguration (from `rampart scan` or the node's config file) and, on a node, the kubelet's
// command-line flags (the synthetic KubeletFlags object), which override the file.
import { defineRule, type Rule } from '../../engine/rule.js';
import { KUBELET_CHECKS, type KubeletCheck } from '../../analyses/node/kubelet-checks.js';
import { KUBELET_FLAGS_KIND, kubeletFlags, type FlagSet } from '../../analyses/node/flags.js';
import { decidingConfig, evaluateKubeletField, evaluateKubeletFlag } from '../../analyses/node/evaluate.js';
import { cisCheckRuleMeta, violationReport } from '../../analyses/node/check-meta.js';
import type { Resource } from '../../model/types.js';

export const KUBELET_CONFIG_KIND = 'KubeletConfiguration';

export function isKubeletConfiguration(r: Resource): boolean {
  return r.kind === KUBELET_CONFIG_KIND && r.apiVersion.startsWith('kubelet.config.k8s.io/');
}

export function kubeletRule(check: KubeletCheck): Rule {
  return defineRule({
    meta: { ...cisCheckRuleMeta(check), ...(check.fix !== undefined ? { fixClass: 'may-break' as const, fixRisk: 'a kubelet setting changes how the node serves (scrapers, probes or tools relying on the old setting fail)' } : {}), kinds: [KUBELET_CONFIG_KIND, KUBELET_FLAGS_KIND] },
    check(ctx) {
      const r = ctx.resource;
      if (r.kind === KUBELET_FLAGS_KIND) {
        const flags = kubeletFlags(r);
        if (!flags) return;
        const v = evaluateKubeletFlag(check, flags, flags.flags.has('config'));
        if (v) ctx.report(violationReport(v));
        return;
      }
      if (!isKubeletConfiguration(r)) return;
      // On a node, the kubelet's flags override the file; they are reported on the flags object.
      let flags: FlagSet | undefined;
      for (const f of ctx.index.ofKind(KUBELET_FLAGS_KIND)) flags = kubeletFlags(f) ?? flags;
      if (flags) {
        // One kubelet: its config file and --config-dir drop-ins (in load order) merge field by field.
        const configs = ctx.index.ofKind(KUBELET_CONFIG_KIND).filter(isKubeletConfiguration);
        if (configs.length > 1 && configs[decidingConfig(configs.map((c) => c.object), check.field)] !== r) return;
      }
      const v = evaluateKubeletField(check, r.object, flags);
      if (v) ctx.report(violationReport(v));
    },
  });
}

export const kubeletRules: Rule[] = KUBELET_CHECKS.map(kubeletRule);
