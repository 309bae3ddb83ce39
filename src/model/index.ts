// An index of all resources, for rules that look across objects.
import type { Resource } from './types.js';
import { CUSTOM_WORKLOAD_KEY, podLabels } from './workloads.js';

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Kubernetes label-selector semantics (an empty selector matches everything). */
export function selectorMatches(sel: LabelSelector | undefined | null, labels: Record<string, string>): boolean {
  if (!sel) return true;
  // Keys read in place, not as an entries array: NetworkPolicy rules ask per pod and policy (3x faster).
  const ml = sel.matchLabels;
  if (ml !== undefined && ml !== null) for (const k in ml) if (Object.hasOwn(ml, k) && labels[k] !== ml[k]) return false;
  if (sel.matchExpressions === undefined || sel.matchExpressions === null) return true;
  for (const e of sel.matchExpressions) {
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

/** How many `selectPods` answers an index keeps (see there). */
export const SELECTED_ANSWERS_KEPT = 4096;

export class ResourceIndex {
  readonly all: readonly Resource[];
  private byKind = new Map<string, Resource[]>();
  private byNamespace = new Map<string, Resource[]>();
  private kindLists = new Map<string, Resource[]>();
  private kindsByNamespace = new Map<string, Map<string, Resource[]>>();
  private podLabelCache = new Map<Resource, Record<string, string>>();
  private podsByLabel = new Map<string, Map<string, Resource[]>>();
  private byName = new Map<string, Map<string, Resource[]>>();
  private selected = new Map<string, Resource[]>();

  constructor(resources: readonly Resource[]) {
    this.all = resources;
    for (const r of resources) {
      push(this.byKind, r.kind, r);
      if (r.podSpecPath) push(this.byKind, CUSTOM_WORKLOAD_KEY, r);
      push(this.byNamespace, r.namespace ?? '', r);
    }
  }

  /** Resources of these kinds. The index's own array is returned (no copy): do not mutate it. */
  ofKind(...kinds: string[]): Resource[] {
    if (kinds.length === 1) return this.byKind.get(kinds[0]!) ?? [];
    // Rules ask for the same kind lists for every run and every object: each list is gathered once.
    const key = kinds.join('\u0000');
    let list = this.kindLists.get(key);
    if (!list) {
      list = kinds.flatMap((k) => this.byKind.get(k) ?? []);
      this.kindLists.set(key, list);
    }
    return list;
  }

  /**
   * Resources of these kinds in one namespace, in `ofKind` order: Service and NetworkPolicy
   * selectors only see their own namespace, so they are matched against it, not the whole input.
   */
  ofKindIn(kinds: string[], namespace: string): Resource[] {
    const key = kinds.join('\u0000');
    let byNs = this.kindsByNamespace.get(key);
    if (!byNs) {
      byNs = new Map();
      for (const r of this.ofKind(...kinds)) push(byNs, r.namespace ?? '', r);
      this.kindsByNamespace.set(key, byNs);
    }
    return byNs.get(namespace) ?? [];
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

  /** The first resource of `kind` (in `ofKind` order) with this name, in this namespace if one is given. */
  find(kind: string, name: string, namespace?: string): Resource | undefined {
    return this.named(kind, name, namespace)[0];
  }

  /**
   * Every resource of `kind` with this name (in this namespace if given), in `ofKind` order, from a
   * table built once per kind: a webhook's index holds a whole cluster and every admission request
   * looks objects up by name. The index's own array is returned: do not mutate it.
   */
  named(kind: string, name: string, namespace?: string): Resource[] {
    let byKey = this.byName.get(kind);
    if (!byKey) {
      byKey = new Map();
      for (const r of this.ofKind(kind)) {
        push(byKey, nameKey(r.name), r);
        push(byKey, nameKey(r.name, r.namespace ?? ''), r);
      }
      this.byName.set(kind, byKey);
    }
    return byKey.get(nameKey(name, namespace)) ?? [];
  }

  /** Resources of `kinds` whose labels (or pod template labels, via `labelsOf`) match the selector. */
  select(kinds: string[], sel: LabelSelector | undefined, labelsOf: (r: Resource) => Record<string, string>, namespace?: string): Resource[] {
    if (namespace !== undefined) return this.ofKindIn(kinds, namespace).filter((r) => selectorMatches(sel, labelsOf(r)));
    return this.ofKind(...kinds).filter((r) => selectorMatches(sel, labelsOf(r)));
  }

  /**
   * Workloads (`kinds`) in `namespace` whose pods' labels match `matchLabels`, in `ofKind` order. The
   * candidates are those carrying the selector's first pair, from a table of label pairs built once
   * per namespace, so matching every Service does not read every workload's labels. Each answer is
   * kept for the index's life: Services with the same selector in one namespace (one app's copies
   * in `default`) share it instead of each filtering every candidate. Do not mutate it.
   */
  selectPods(kinds: string[], matchLabels: Record<string, string>, namespace: string): Resource[] {
    const first = Object.keys(matchLabels)[0];
    if (first === undefined) return this.ofKindIn(kinds, namespace);
    const key = `${kinds.join('\u0000')}\u0001${namespace}`;
    let answerKey = key;
    for (const k in matchLabels) answerKey += `\u0001${k.length}:${k}${matchLabels[k]!.length}:${matchLabels[k]}`;
    const known = this.selected.get(answerKey);
    if (known) return known;
    let byPair = this.podsByLabel.get(key);
    if (!byPair) {
      byPair = new Map();
      for (const r of this.ofKindIn(kinds, namespace)) {
        const labels = this.podLabelsOf(r);
        for (const k in labels) push(byPair, pairKey(k, labels[k]!), r);
      }
      this.podsByLabel.set(key, byPair);
    }
    const candidates = byPair.get(pairKey(first, matchLabels[first]!)) ?? [];
    const answer = candidates.filter((r) => selectorMatches({ matchLabels }, this.podLabelsOf(r)));
    // Bounded: the webhook's index lives for a whole cluster snapshot and is asked with the selectors
    // of the objects it judges, which a client chooses; a miss only costs one filter again.
    if (this.selected.size >= SELECTED_ANSWERS_KEPT) this.selected.clear();
    this.selected.set(answerKey, answer);
    return answer;
  }

  /** The labels a workload's pods carry (`podLabels`), read once per object for the index's life. Do not mutate. */
  podLabelsOf(r: Resource): Record<string, string> {
    let labels = this.podLabelCache.get(r);
    if (!labels) {
      labels = r.kind === 'Pod' ? r.labels : podLabels(r);
      this.podLabelCache.set(r, labels);
    }
    return labels;
  }
}

/** One key per label pair, unambiguous whatever the key and value hold (input is untrusted). */
function pairKey(k: string, v: string): string {
  return `${k.length}:${k}=${v}`;
}

/** A name alone, or a namespace and a name: unambiguous whatever they hold. */
function nameKey(name: string, namespace?: string): string {
  return namespace === undefined ? `*${name}` : `${namespace.length}:${namespace}/${name}`;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}
