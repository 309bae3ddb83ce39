// NetworkPolicy analysis: parse policies, build the cluster view, answer reachability questions.
export * from './ports.js';
export * from './ip.js';
export * from './policy.js';
export * from './cluster.js';
export * from './engine.js';
export * from './matrix.js';
export * from './coverage.js';
export * from './other-policies.js';
export * from './pod-creators.js';
