// The fix layer: pure planning and editing, shared by `rampart fix` and the webhook's `/mutate`.
export * from './types.js';
export { planFixes } from './plan.js';
export { applyOps, jsonEqual, toJsonPatch, valueAt, type JsonPatchOp } from './json-patch.js';
export { applyTextEdits, editSource, type DocOp, type EditOutcome, type TextEdit } from './yaml-edit.js';
export { templateEdit, type TemplateTarget } from './template-edit.js';
export { redactSecrets, unifiedDiff } from './diff.js';
export { findingIdentity, resourceFor, stillPresent } from './verify.js';
export { fixText, type TextFixResult } from './fix-text.js';
