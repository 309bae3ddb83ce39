// An index of all resources, for rules that look across objects.
import type { Resource } from './types.js';
import { CUSTOM_WORKLOAD_KEY } from './workloads.js';

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Kubernetes label-selector semantics (an empty selector matches everything). */
export function selectorMatches(sel: LabelSelector | undefined | null, labels: Record<string, string>): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const vals = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !vals.includes(labels[e.key]!)) return false;
        break;
      case 'NotIn':
        if (has && vals.includes(labels[e.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false; // unknown operators select nothing, as the API server would reject them
    }
  }
  return true;
}

export class ResourceIndex {
  readonly all: readonly Resource[];
  private byKind = new Map<string, Resource[]>();
  private byNamespace = new Map<string, Resource[]>();

  constructor(resources: readonly Resource[]) {
    this.all = resources;
    for (const r of resources) {
      push(this.byKind, r.kind, r);
      if (r.podSpecPath) push(this.byKind, CUSTOM_WORKLOAD_KEY, r);
      push(this.byNamespace, r.namespace ?? '', r);
    }
  }

  /** Resources of these kinds. For one kind the index's own array is returned (no copy): do not mutate it. */
  ofKind(...kinds: string[]): Resource[] {
    if (kinds.length === 1) return this.byKind.get(kinds[0]!) ?? [];
    return kinds.flatMap((k) => this.byKind.get(k) ?? []);
  }

  inNamespace(ns: string): Resource[] {
    return this.byNamespace.get(ns) ?? [];
  }

  /** Namespaces named by any resource or declared as Namespace objects. */
  namespaces(): string[] {
    const set = new Set<string>();
    for (const r of this.ofKind('Namespace')) set.add(r.name);
    for (const ns of this.byNamespace.keys()) if (ns) set.add(ns);
    return [...set].sort();
  }

  find(kind: string, name: string, namespace?: string): Resource | undefined {
    return (this.byKind.get(kind) ?? []).find((r) => r.name === name && (namespace === undefined || (r.namespace ?? '') === namespace));
  }

  /** Resources of `kinds` whose labels (or pod template labels, via `labelsOf`) match the selector. */
  select(kinds: string[], sel: LabelSelector | undefined, labelsOf: (r: Resource) => Record<string, string>, namespace?: string): Resource[] {
    return this.ofKind(...kinds).filter((r) => (namespace === undefined || (r.namespace ?? '') === namespace) && selectorMatches(sel, labelsOf(r)));
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}
