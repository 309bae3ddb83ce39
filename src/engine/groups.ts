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

function ruleKey(ruleId: string): string {
  let key = ruleKeys.get(ruleId);
  if (key === undefined) ruleKeys.set(ruleId, (key = `rule:${ruleId.replace(/-(ingress|egress)$/, '')}`));
  return key;
}

/** The part of `path` a pattern captures, or null; remembered per path (a report's paths repeat: 244 distinct among the 4,931 findings of the real-world corpus). */
function prefixOf(pattern: RegExp, memo: Map<string, string | null>, path: string): string | null {
  let prefix = memo.get(path);
  if (prefix === undefined) memo.set(path, (prefix = pattern.exec(path)?.[1] ?? null));
  return prefix;
}

/** Groups findings by resource and shared place; groups keep the report's order of their first finding. */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups: FindingGroup[] = [];
  // File, then resource, then shared place (and suppression): nested maps on strings that repeat as
  // the same string (a file's name, one key per resource reference object) hash once each, where
  // one joined key per finding cost more than the rest of the grouping.
  const byFile = new Map<string, Map<string, Map<string, FindingGroup>>>();
  const refKeys = new Map<ResourceRef, string>();
  const rbacRules = new Map<string, string | null>();
  const podSpecs = new Map<string, string | null>();
  // A resource's findings come one after another: the previous finding's places are reused while
  // the resource object and the file are the same.
  let lastRef: ResourceRef | undefined;
  let lastFile: string | undefined;
  let byPlace = new Map<string, FindingGroup>();
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const r = f.resource;
    const file = f.location.file;
    if (r !== lastRef || file !== lastFile) {
      let refKey = refKeys.get(r);
      if (refKey === undefined) refKeys.set(r, (refKey = [r.apiVersion, r.kind, r.namespace ?? '', r.name].join('\u0000')));
      let byRef = byFile.get(file);
      if (!byRef) byFile.set(file, (byRef = new Map()));
      const places = byRef.get(refKey);
      if (places) byPlace = places;
      else byRef.set(refKey, (byPlace = new Map()));
      lastRef = r;
      lastFile = file;
    }
    // The shared place: an RBAC rule line, a workload's pod template (each container's hardening,
    // the pod's token, host namespaces are fixed in that template: one headline per workload, the
    // detail below), else the same rule on one object (several selectors of a policy, ingress and
    // egress default-deny of a namespace are one thing to fix there).
    const p = f.location.path;
    let cause: FindingGroup['cause'] = 'rule';
    let anchor: string | null = RBAC_KINDS.has(r.kind) ? prefixOf(RBAC_RULE, rbacRules, p) : null;
    if (anchor !== null) cause = 'rbac-rule';
    else {
      anchor = prefixOf(POD_SPEC, podSpecs, p);
      if (anchor !== null && (anchor.endsWith('/template/spec') || r.kind === 'Pod')) cause = 'workload';
      else anchor = null;
    }
    const key = anchor ?? ruleKey(f.ruleId);
    // Anchor keys start with `/` or `rule:` (or are empty): a control character marks the suppressed ones apart.
    const placeKey = f.suppressed ? `\u0001${key}` : key;
    const g = byPlace.get(placeKey);
    if (!g) {
      const made: FindingGroup = { cause, resource: r, path: anchor ?? p, severity: f.severity, rules: [f.ruleId], findings: [i], suppressed: f.suppressed };
      byPlace.set(placeKey, made);
      groups.push(made);
      continue;
    }
    g.findings.push(i);
    if (!g.rules.includes(f.ruleId)) g.rules.push(f.ruleId);
    if (severityRank(f.severity) > severityRank(g.severity)) g.severity = f.severity;
  }
  for (const g of groups) {
    if (g.findings.length === 1) g.cause = 'single';
    if (g.rules.length < 2) continue;
    const worst = new Map<string, number>();
    for (const i of g.findings) worst.set(findings[i]!.ruleId, Math.max(worst.get(findings[i]!.ruleId) ?? 0, severityRank(findings[i]!.severity)));
    g.rules.sort((a, b) => worst.get(b)! - worst.get(a)! || a.localeCompare(b));
  }
  return groups;
}
