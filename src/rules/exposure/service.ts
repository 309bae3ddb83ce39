// Moved to src/model/services.ts (analyses must not import rules); re-exported for importers not yet moved.
export * from '../../model/services.js';
