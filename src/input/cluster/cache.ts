// A watch-fed cache of one collection (an informer, in client-go's words): list, then watch from the
// list's version; when the history expires (410) list again; when the connection drops, back off and
// watch again. For fronts that need the cluster's current state on every request (the admission
// webhook's namespaces, RBAC and policies) without listing each time.
import type { JsonObject, Resource } from '../../model/types.js';
import type { KubeClient, WatchEvent } from './client.js';
import { collectionPath, type Collection } from './discovery.js';
import { clusterResource, METADATA_ONLY_ACCEPT } from './read.js';

export interface CacheOptions {
  /** Limit a namespaced collection to one namespace. */
  namespace?: string;
  /** Called after the cache applied a change (not for the initial list). */
  onChange?(type: WatchEvent['type'], resource: Resource): void;
  /** Longest wait between reconnects (ms). */
  maxBackoffMs?: number;
  /** Server-side watch timeout per request (s). */
  watchSeconds?: number;
}

export class ClusterCache {
  private readonly items = new Map<string, Resource>();
  private resourceVersion = '';
  private stopped = false;
  private abort = new AbortController();
  private loop: Promise<void> | undefined;
  /** Lists made (1 + one per expired history), for tests and metrics. */
  lists = 0;
  synced = false;
  /** The last error met while watching (the cache keeps serving what it has). */
  lastError: string | undefined;
  /** Since when the watch has been down (ms since epoch); undefined while it is connected. */
  private downSince: number | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly collection: Collection,
    private readonly opts: CacheOptions = {},
  ) {}

  private key(ns: string | undefined, name: string): string {
    return `${ns ?? ''}/${name}`;
  }

  get(name: string, namespace?: string): Resource | undefined {
    return this.items.get(this.key(namespace, name));
  }

  all(): Resource[] {
    return [...this.items.values()];
  }

  /** Since when the cache may have missed changes (its watch broke), or undefined while it is current. */
  brokenSince(): number | undefined {
    return this.downSince;
  }

  /** Lists once (resolves when synced), then keeps watching in the background until `stop()`. */
  async start(): Promise<void> {
    await this.relist();
    this.loop = this.watchLoop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
  }

  private path(): string {
    return collectionPath(this.collection, this.opts.namespace);
  }

  private async relist(): Promise<void> {
    const fresh = new Map<string, Resource>();
    const r = await this.client.list(this.path(), {
      ...(this.collection.metadataOnly ? { accept: METADATA_ONLY_ACCEPT } : {}),
      onRestart: () => fresh.clear(),
      onPage: (page) => {
        for (const raw of page) {
          const res = clusterResource(this.client.target.context, this.collection, raw as JsonObject);
          if (res) fresh.set(this.key(res.namespace, res.name), res);
        }
      },
    });
    this.lists++;
    this.items.clear();
    for (const [k, v] of fresh) this.items.set(k, v);
    this.resourceVersion = r.resourceVersion ?? '';
    this.synced = true;
  }

  private apply(e: WatchEvent): void {
    const res = clusterResource(this.client.target.context, this.collection, e.object as JsonObject);
    if (!res) return;
    const k = this.key(res.namespace, res.name);
    if (e.type === 'DELETED') this.items.delete(k);
    else this.items.set(k, res);
    this.opts.onChange?.(e.type, res);
  }

  private async watchLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const r = await this.client.watch(this.path(), {
          resourceVersion: this.resourceVersion,
          timeoutSeconds: this.opts.watchSeconds ?? 300,
          signal: this.abort.signal,
          onOpen: () => (this.downSince = undefined),
          onEvent: (e) => this.apply(e),
        });
        this.resourceVersion = r.resourceVersion;
        if (r.expired && !this.stopped) await this.relist();
        failures = 0;
        this.downSince = undefined;
      } catch (e) {
        if (this.stopped) return;
        this.lastError = (e as Error).message;
        this.downSince ??= Date.now();
        failures++;
        const wait = Math.min(this.opts.maxBackoffMs ?? 30_000, 250 * 2 ** Math.min(failures, 10));
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }
}
