// The Service and Ingress readers live in model/services.ts (analyses use them too); re-exported for the exposure rules.
export * from '../../model/services.js';
