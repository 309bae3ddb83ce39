// A context the webhook keeps current by re-reading the cluster's context kinds (namespaces, service
// accounts, RBAC, NetworkPolicies) on an interval, off the request path. Requests always see a
// complete snapshot: a read that fails or comes back incomplete keeps the previous one, and the
// snapshot's age is exported so the staleness bound (interval + read time) is visible and alertable.
import type { Resource } from '../../model/types.js';
import { contextOf, type AdmissionContext } from './admit.js';
import type { ContextSource } from './server.js';

export interface ContextRead {
  resources: Resource[];
  /** Why the read is incomplete (forbidden or failed kinds); a non-empty list keeps the old snapshot. */
  gaps: string[];
}

export interface RefreshOptions {
  read: () => Promise<ContextRead>;
  intervalMs: number;
  /** Past this age the webhook is not ready (its answers may no longer match the cluster). */
  maxAgeMs: number;
  log?: (entry: Record<string, unknown>) => void;
  now?: () => number;
}

export class RefreshedContext implements ContextSource {
  private snapshot: AdmissionContext | undefined;
  private readAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly o: RefreshOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Reads once (awaited: the webhook is not ready before), then on the interval. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.o.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One read; overlapping calls share it. */
  refresh(): Promise<void> {
    this.running ??= this.readOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async readOnce(): Promise<void> {
    const started = this.now();
    try {
      const r = await this.o.read();
      if (r.gaps.length) {
        this.o.log?.({ level: 'error', msg: 'context read incomplete; keeping the previous snapshot', gaps: r.gaps.slice(0, 10) });
        return;
      }
      this.snapshot = contextOf(r.resources);
      // The snapshot is as old as the moment the read began: objects changed during it may be missed.
      this.readAt = started;
      this.o.log?.({ level: 'info', msg: 'context refreshed', objects: r.resources.length, ms: this.now() - started });
    } catch (e) {
      this.o.log?.({ level: 'error', msg: `context read failed; keeping the previous snapshot: ${(e as Error).message}` });
    }
  }

  current(): AdmissionContext {
    return this.snapshot ?? contextOf([]);
  }

  ageSeconds(): number {
    return this.snapshot ? Math.round((this.now() - this.readAt) / 100) / 10 : -1;
  }

  ready(): boolean {
    return this.snapshot !== undefined && this.now() - this.readAt <= this.o.maxAgeMs;
  }
}
