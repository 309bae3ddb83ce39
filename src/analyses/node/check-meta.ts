// What every data-driven CIS check (control-plane flags, kubelet settings) says about itself, and the
// rule metadata and finding that one such check becomes. Plain data: the rules wrap it in defineRule.
import type { Severity } from '../../model/types.js';
import type { Violation } from './evaluate.js';

export interface CisCheckMeta {
  /** Rule name under `cis/`. */
  name: string;
  /** CIS Kubernetes Benchmark v1.12 item ids; empty when the control is not in v1.12 (see `note`). */
  cis: string[];
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  mitre: string[];
  nsa: string[];
  urls?: string[];
  note?: string;
  /** Off unless enabled in .rampart.yaml: CIS "Manual" items whose right value depends on the site. */
  defaultOff?: boolean;
}

/** Rule metadata of a check (all but `kinds`): id `cis/<name>`, the note appended to the rationale. */
export function cisCheckRuleMeta(check: CisCheckMeta) {
  return {
    id: `cis/${check.name}`,
    title: check.title,
    severity: check.severity,
    rationale: check.note ? `${check.rationale} (${check.note})` : check.rationale,
    remediation: check.remediation,
    references: { cis: check.cis, nsa: check.nsa, mitre: check.mitre, ...(check.urls ? { urls: check.urls } : {}) },
    ...(check.defaultOff ? { defaultOff: true } : {}),
  };
}

/** The finding of a violation: message, path, and a `set` fix op when the violation has a fix. */
export function violationReport(v: Violation) {
  return { message: v.message, path: v.path, ...(v.fix ? { fix: [{ op: 'set' as const, path: v.fix.path, value: v.fix.value }] } : {}) };
}
