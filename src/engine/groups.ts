// What a user reads first: findings that share one cause and one place to fix it, grouped. One
// wildcard RBAC rule line yields a dozen findings (wildcards, secrets, exec, escalation…) and one
// unhardened container half a dozen; each is one thing to fix, with the detail one level down.
import type { ResourceRef, Severity } from '../model/types.js';
import { severityRank } from '../model/types.js';
import type { Finding } from './finding.js';

export interface FindingGroup {
  /**
   * What the findings share: the pod template of one workload (`workload`), one RBAC rule line
   * (`rbac-rule`), one rule on one object (`rule`), or nothing (`single`).
   */
  cause: 'workload' | 'rbac-rule' | 'rule' | 'single';
  resource: ResourceRef;
  /** JSON Pointer of the shared place (the pod template, the RBAC rule), or of the single finding. */
  path: string;
  severity: Severity;
  /** Rule ids, worst first. */
  rules: string[];
  /** Indexes into the report's `findings`. */
  findings: number[];
  suppressed: boolean;
}

const POD_SPEC = /^((?:\/items\/\d+)?(?:\/spec\/jobTemplate\/spec\/template\/spec|\/spec\/template\/spec|\/spec\/jobTargetRef\/template\/spec|\/spec))(?:\/|$)/;
const RBAC_RULE = /^((?:\/items\/\d+)?\/rules\/\d+)(?:\/|$)/;
const RBAC_KINDS = new Set(['Role', 'ClusterRole']);

function anchorOf(f: Finding): { cause: FindingGroup['cause']; key: string; path: string } {
  const p = f.location.path;
  if (RBAC_KINDS.has(f.resource.kind)) {
    const r = RBAC_RULE.exec(p);
    if (r) return { cause: 'rbac-rule', key: r[1]!, path: r[1]! };
  }
  // Everything inside one workload's pod template (each container's hardening, the pod's token,
  // host namespaces) is fixed in that template: one headline per workload, the detail below.
  const s = POD_SPEC.exec(p);
  if (s && (s[1]!.endsWith('/template/spec') || f.resource.kind === 'Pod')) return { cause: 'workload', key: s[1]!, path: s[1]! };
  // The same rule on one object (several selectors of a policy, ingress and egress default-deny of
  // a namespace) is one thing to fix there.
  const stem = f.ruleId.replace(/-(ingress|egress)$/, '');
  return { cause: 'rule', key: `rule:${stem}`, path: p };
}

/** Groups findings by resource and shared place; groups keep the report's order of their first finding. */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  findings.forEach((f, i) => {
    const a = anchorOf(f);
    const r = f.resource;
    const key = [f.location.file, r.apiVersion, r.kind, r.namespace ?? '', r.name, a.key, f.suppressed].join('\u0000');
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { cause: a.cause, resource: r, path: a.path, severity: f.severity, rules: [f.ruleId], findings: [i], suppressed: f.suppressed });
      return;
    }
    g.findings.push(i);
    if (!g.rules.includes(f.ruleId)) g.rules.push(f.ruleId);
    if (severityRank(f.severity) > severityRank(g.severity)) g.severity = f.severity;
  });
  for (const g of groups.values()) {
    if (g.findings.length === 1) g.cause = 'single';
    const worst = new Map<string, number>();
    for (const i of g.findings) worst.set(findings[i]!.ruleId, Math.max(worst.get(findings[i]!.ruleId) ?? 0, severityRank(findings[i]!.severity)));
    g.rules.sort((a, b) => worst.get(b)! - worst.get(a)! || a.localeCompare(b));
  }
  return [...groups.values()];
}
