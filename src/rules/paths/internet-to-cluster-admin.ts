// paths/internet-to-cluster-admin: an attack path from an exposed Service or Ingress route to cluster-admin.
import { defineGlobalRule } from '../../engine/rule.js';
import { analysePaths, buildAttackGraph, onlyNewPaths } from '../../analyses/paths/index.js';

export default defineGlobalRule({
  meta: {
    id: 'paths/internet-to-cluster-admin',
    title: 'Attack path from the internet to cluster-admin',
    severity: 'critical',
    rationale:
      'Each step may look acceptable alone, but chained they hand the cluster to whoever compromises an exposed workload: an externally exposed Service or Ingress route, NetworkPolicy-allowed traffic to other pods, a container that can break out to its node, a mounted ServiceAccount token, and RBAC that escalates to cluster-admin.',
    remediation: 'Apply the choke point named in the finding (the single change that cuts the most paths). `rampart paths PATH` prints every path with the file:line of each step and the minimal set of changes that cuts them all.',
    references: {
      nsa: ['Network separation and hardening', 'Authentication and authorization: least privilege'],
      mitre: ['T1190', 'T1611', 'T1528', 'T1078'],
      urls: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/'],
    },
    scope: 'global',
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        known: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description:
            'Paths accepted for now, by key (the "key" of each path in `rampart paths -o json`): only other paths are reported, so a change that opens a new path fails CI while known ones are being fixed.',
        },
      },
    },
  },
  check(ctx) {
    // Malformed pod security fields are the pss/* rules' to name.
    const graph = buildAttackGraph(ctx.index, ctx.settings, { podSecurityNotEvaluated: false });
    // Known paths: the rule's option (config) and `scan --paths-baseline` (settings).
    const known = [ctx.options.known, ctx.settings.pathsKnown].flatMap((l) => (Array.isArray(l) ? l.filter((k): k is string => typeof k === 'string') : []));
    // The finding names the first choke point only; with known paths the others are recounted on the new ones.
    const all = analysePaths(graph, { targets: ['cluster-admin'], maxPaths: 200, firstChokePointOnly: known.length === 0 });
    const result = known.length ? onlyNewPaths(all, new Set(known)) : all;
    const top = result.chokePoints[0];
    // One finding per entry point (its shortest path), on the Service or Ingress that lets the internet in.
    const seen = new Set<string>();
    for (const p of result.paths) {
      const entry = p.edges[0]!;
      if (!entry.source || !entry.evidence[0]) continue;
      const key = `${entry.evidence[0].file}:${entry.evidence[0].line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const chain = p.edges.map((e, i) => `${i + 1}) ${e.description}`).join('; ');
      const cut = top ? ` Choke point: ${top.action} (${top.file}:${top.line}) cuts ${top.cuts} of ${top.of} paths.` : '';
      ctx.report({ resource: entry.source, path: entry.evidence[0].path, message: `the internet reaches cluster-admin in ${p.edges.length} steps: ${chain}.${cut}` });
    }
  },
});
