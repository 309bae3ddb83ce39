// The webhook's context fed by watches on the live cluster (list, then watch; an informer per kind):
// namespaces, service accounts, RBAC, NetworkPolicies, Services and Ingresses. Requests never call the
// API: they read the last snapshot, rebuilt off the request path within `rebuildMs` of a change.
// The age metric is 0 while every watch is connected and grows from the moment one broke.
import type { Resource } from '../../model/types.js';
import { contextOf, type AdmissionContext } from './admit.js';
import type { ContextSource } from './server.js';

/** What the context needs of one watched collection (ClusterCache fits). */
export interface WatchedCollection {
  start(): Promise<void>;
  stop(): Promise<void>;
  all(): Resource[];
  /** Since when its watch has been broken (ms since epoch), or undefined while connected. */
  brokenSince(): number | undefined;
}

export interface WatchedOptions {
  collections: WatchedCollection[];
  /** Longest delay between a change and the snapshot requests see. */
  rebuildMs?: number;
  /** Past this age the webhook is not ready. */
  maxAgeMs: number;
  log?: (entry: Record<string, unknown>) => void;
  now?: () => number;
  /** Work done on each new snapshot off the request path (the cluster's own policies compiled). */
  prepare?: (ctx: AdmissionContext) => AdmissionContext;
}

export class WatchedContext implements ContextSource {
  private snapshot: AdmissionContext = contextOf([]);
  private dirty = false;
  private synced = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly o: WatchedOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Resolves once every collection has listed; a kind that cannot be listed fails the start. */
  async start(): Promise<void> {
    await Promise.all(this.o.collections.map((c) => c.start()));
    this.rebuild();
    this.synced = true;
    this.timer = setInterval(() => {
      if (this.dirty) this.rebuild();
    }, this.o.rebuildMs ?? 250);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.o.collections.map((c) => c.stop()));
  }

  /** Called by the collections on every applied change. */
  changed(): void {
    this.dirty = true;
  }

  rebuild(): void {
    this.dirty = false;
    const ctx = contextOf(this.o.collections.flatMap((c) => c.all()));
    this.snapshot = this.o.prepare ? this.o.prepare(ctx) : ctx;
  }

  current(): AdmissionContext {
    return this.snapshot;
  }

  ageSeconds(): number {
    if (!this.synced) return -1;
    const broken = this.o.collections.map((c) => c.brokenSince()).filter((t): t is number => t !== undefined);
    return broken.length ? Math.round((this.now() - Math.min(...broken)) / 100) / 10 : 0;
  }

  ready(): boolean {
    return this.synced && this.ageSeconds() * 1000 <= this.o.maxAgeMs;
  }
}
