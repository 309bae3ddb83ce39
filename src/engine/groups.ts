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

/** `rule:` and the rule id without an -ingress/-egress ending, per rule id (made once each). */
const ruleKeys = new Map<string, string>();

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
  let key = ruleKeys.get(f.ruleId);
  if (key === undefined) ruleKeys.set(f.ruleId, (key = `rule:${f.ruleId.replace(/-(ingress|egress)$/, '')}`));
  return { cause: 'rule', key, path: p };
}

/** Groups findings by resource and shared place; groups keep the report's order of their first finding. */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups: FindingGroup[] = [];
  // File, then resource, then shared place (and suppression): nested maps on strings that repeat as
  // the same string (a file's name, one key per resource reference object) hash once each, where
  // one joined key per finding cost more than the rest of the grouping.
  const byFile = new Map<string, Map<string, Map<string, FindingGroup>>>();
  const refKeys = new Map<ResourceRef, string>();
  findings.forEach((f, i) => {
    const a = anchorOf(f);
    const r = f.resource;
    let refKey = refKeys.get(r);
    if (refKey === undefined) refKeys.set(r, (refKey = [r.apiVersion, r.kind, r.namespace ?? '', r.name].join('\u0000')));
    let byRef = byFile.get(f.location.file);
    if (!byRef) byFile.set(f.location.file, (byRef = new Map()));
    let byPlace = byRef.get(refKey);
    if (!byPlace) byRef.set(refKey, (byPlace = new Map()));
    // Anchor keys start with `/` or `rule:` (or are empty): a control character marks the suppressed ones apart.
    const key = f.suppressed ? `\u0001${a.key}` : a.key;
    const g = byPlace.get(key);
    if (!g) {
      const made: FindingGroup = { cause: a.cause, resource: r, path: a.path, severity: f.severity, rules: [f.ruleId], findings: [i], suppressed: f.suppressed };
      byPlace.set(key, made);
      groups.push(made);
      return;
    }
    g.findings.push(i);
    if (!g.rules.includes(f.ruleId)) g.rules.push(f.ruleId);
    if (severityRank(f.severity) > severityRank(g.severity)) g.severity = f.severity;
  });
  for (const g of groups) {
    if (g.findings.length === 1) g.cause = 'single';
    const worst = new Map<string, number>();
    for (const i of g.findings) worst.set(findings[i]!.ruleId, Math.max(worst.get(findings[i]!.ruleId) ?? 0, severityRank(findings[i]!.severity)));
    g.rules.sort((a, b) => worst.get(b)! - worst.get(a)! || a.localeCompare(b));
  }
  return groups;
}
