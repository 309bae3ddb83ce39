// Small builders for reachability tests: pods, namespaces and policies as YAML text.
import { loadText } from '../../../input/files.js';
import { clusterFromResources } from '../cluster.js';
import { NetpolEngine } from '../engine.js';
import { reach } from '../query.js';

export function ns(name: string, labels: Record<string, string> = {}): string {
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: ${JSON.stringify(labels)}\n`;
}

export interface PortDecl {
  name?: string;
  port: number;
  protocol?: string;
}

export function pod(namespace: string, name: string, labels: Record<string, string>, ports: PortDecl[] = [], extra = ''): string {
  const p = ports.map((x) => ({ containerPort: x.port, ...(x.name ? { name: x.name } : {}), ...(x.protocol ? { protocol: x.protocol } : {}) }));
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n  labels: ${JSON.stringify(labels)}\nspec:\n${extra}  containers:\n  - name: c\n    image: nginx:1.27\n    ports: ${JSON.stringify(p)}\n`;
}

export function engineFrom(...docs: string[]): NetpolEngine {
  const load = loadText(docs.join('\n---\n'), 'test.yaml');
  if (load.errors.length) throw new Error(load.errors[0]!.message);
  const cluster = clusterFromResources(load.resources);
  const problems = cluster.policies.flatMap((p) => p.problems.map((x) => `${p.id}${x.path}: ${x.message}`));
  if (problems.length) throw new Error(`policy problems: ${problems.join('; ')}`);
  return new NetpolEngine(cluster);
}

export interface Probe {
  from: string;
  to: string;
  port?: string;
  allowed: boolean;
}

/** Formats probes whose answer differs, for one readable assertion per case. */
export function wrongProbes(engine: NetpolEngine, probes: Probe[]): string[] {
  const out: string[] = [];
  for (const p of probes) {
    const a = reach(engine, p.from, p.to, p.port);
    if (a.allowed !== p.allowed) out.push(`${p.from} -> ${p.to}${p.port ? ` ${p.port}` : ''}: expected ${p.allowed ? 'allowed' : 'denied'}, got ${a.allowed ? 'allowed' : 'denied'} (ports ${a.ports})`);
  }
  return out;
}
