// Which resources each per-resource rule evaluated and found nothing wrong with, for reports that
// list passes (PolicyReport, as Kyverno writes them). Held as the rule's kind filter over the run's
// targets plus the few resources that did not pass, never as an object per pass: a 100k-pod scan
// with 60 rules has six million passes.
import type { Resource } from '../model/types.js';
import { CUSTOM_WORKLOAD_KEY, WORKLOAD_KINDS, hasPodSpec } from '../model/workloads.js';

const WORKLOAD_KIND_NAMES = new Set(WORKLOAD_KINDS);

interface RuleRecord {
  ruleId: string;
  kinds: readonly string[] | undefined;
  /** Resources the rule reported on, or failed to evaluate. */
  notPassed: Set<Resource>;
}

/**
 * Whether a per-resource rule with this kind filter judged `r`, so that no finding is a pass: the
 * engine's target choice, except that a workload rule does not pass objects without a pod spec
 * that share a workload kind's name (a core Service is not Knative's Service).
 */
export function passApplies(kinds: readonly string[] | undefined, r: Resource): boolean {
  if (!kinds) return true;
  const workloadRule = kinds.includes(CUSTOM_WORKLOAD_KEY);
  if (r.podSpecPath !== undefined && workloadRule) return true;
  if (!kinds.includes(r.kind)) return false;
  return !workloadRule || hasPodSpec(r) || !WORKLOAD_KIND_NAMES.has(r.kind);
}

export class PassRecord {
  private readonly rules: RuleRecord[] = [];
  /**
   * The rules whose kind filter applies, per kind, API version and whether the object carries a pod
   * spec path (all `passApplies` reads): asked per resource, up to three times each by a PolicyReport.
   */
  private readonly applicable = new Map<string, RuleRecord[]>();

  /** `targets`: every resource the run evaluated (in input order). */
  constructor(readonly targets: readonly Resource[]) {}

  /** Registers a per-resource rule; the returned set is filled with the resources that did not pass. */
  add(ruleId: string, kinds: readonly string[] | undefined): Set<Resource> {
    const notPassed = new Set<Resource>();
    this.rules.push({ ruleId, kinds, notPassed });
    this.applicable.clear();
    return notPassed;
  }

  /** Rule ids that passed on `r`, in rule order. */
  passesOf(r: Resource): string[] {
    const out: string[] = [];
    for (const rule of this.rulesFor(r)) if (!rule.notPassed.has(r)) out.push(rule.ruleId);
    return out;
  }

  private rulesFor(r: Resource): RuleRecord[] {
    const key = `${r.kind}\u0000${r.apiVersion}\u0000${r.podSpecPath !== undefined}`;
    let rules = this.applicable.get(key);
    if (!rules) this.applicable.set(key, (rules = this.rules.filter((rule) => passApplies(rule.kinds, r))));
    return rules;
  }

  /** Passes in all, without listing them. */
  count(): number {
    let n = 0;
    for (const r of this.targets) for (const rule of this.rulesFor(r)) if (!rule.notPassed.has(r)) n++;
    return n;
  }

  /** Never serialised: JSON reports carry findings, not passes. */
  toJSON(): undefined {
    return undefined;
  }
}
