// One plain manifest file fixed in memory: plan per object, edit the text, report what was done.
// Used by the rule tables (every advertised fix must remove its finding) and the corpus round trip.
import type { Finding } from '../engine/finding.js';
import type { Resource } from '../model/types.js';
import { parsePointer, pointer } from '../model/json.js';
import { planFixes } from './plan.js';
import { editSource, type DocOp, type TextEdit } from './yaml-edit.js';
import { resourceFor } from './verify.js';
import type { PlannedOp, PlanOptions, SkippedFix } from './types.js';

export interface TextFixResult {
  text: string;
  edits: TextEdit[];
  /** Findings every op of which was written. */
  fixed: Finding[];
  /** Planned ops that could not be written, with why. */
  failed: { ruleIds: string[]; path: string; reason: string }[];
  skipped: SkippedFix[];
  /** What was written, per document (full pointers inside the document). */
  applied: (DocOp & { planned: PlannedOp })[];
}

export function fixText(text: string, resources: readonly Resource[], findings: readonly Finding[], opts: PlanOptions & { json?: boolean }): TextFixResult {
  const byResource = new Map<Resource, Finding[]>();
  for (const f of findings) {
    if (!f.fix?.length) continue;
    const r = resourceFor(f, resources);
    if (r) byResource.set(r, [...(byResource.get(r) ?? []), f]);
  }
  const ops: (DocOp & { planned: PlannedOp; r: Resource })[] = [];
  const skipped: SkippedFix[] = [];
  const addressed: { r: Resource; f: Finding }[] = [];
  for (const [r, list] of byResource) {
    const plan = planFixes(r.object, list, opts);
    skipped.push(...plan.skipped);
    for (const op of plan.ops) ops.push({ docIndex: r.docIndex, op: op.op, path: pointer(...parsePointer(r.basePath), ...parsePointer(op.path)), ...(op.op === 'set' ? { value: op.value ?? null } : {}), planned: op, r });
    for (const f of plan.addressed) addressed.push({ r, f: f as Finding });
  }
  const out = editSource(text, ops, { json: opts.json === true });
  const failedOps = new Set(out.failed.map((x) => x.op));
  const failedKeys = new Set(ops.filter((o) => failedOps.has(o)).map((o) => `${o.r.docIndex}|${o.r.basePath}|${o.planned.path}`));
  return {
    text: out.text,
    edits: out.edits,
    fixed: addressed.filter(({ r, f }) => (f.fix ?? []).every((o) => !failedKeys.has(`${r.docIndex}|${r.basePath}|${o.path}`))).map(({ f }) => f),
    failed: out.failed.map((x) => {
      const o = x.op as (typeof ops)[number];
      return { ruleIds: o.planned.rules, path: o.planned.path, reason: x.reason };
    }),
    skipped,
    applied: ops.filter((o) => !failedOps.has(o)).map(({ r: _r, ...o }) => o),
  };
}
