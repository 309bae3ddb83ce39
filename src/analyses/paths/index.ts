// Attack paths: one graph over exposure, NetworkPolicy reach, breakout and RBAC escalation, with choke points.
export * from './graph.js';
export * from './choke.js';
export * from './baseline.js';
