// Stops reading inputs before the heap fills, so a scan too big for memory ends with a report that
// names what was not read (exit 2) instead of dying of out-of-memory with no report.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Share of the heap limit that reading may fill; the rest is left for rules and the report. */
export const READ_SHARE = 0.5;
/** Heap a file needs while it is read, per input byte (parse garbage plus the kept values). */
const BYTES_PER_INPUT_BYTE = 4;

let gc: (() => void) | null | undefined;

/** A full collection, so the check counts live objects, not garbage (only done near the limit). */
function collect(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
  dropped = 0;
  liveAfterCollect = getHeapStatistics().used_heap_size;
}

/** Large transients dropped since the last full collection, and the heap live after it. */
let dropped = 0;
let liveAfterCollect = 0;
/** Dropped bytes that always wait for V8's own schedule. */
const DROPPED_MIN = 16 * 1024 * 1024;

/**
 * Counts `bytes` of a large transient just dropped (a big file's text, a big document's positions).
 * V8 lets such dead texts pile up in old space to several times the live heap before it collects
 * (a dump of four 10 MB JSON files: 37 MB live, 150 MB committed); a full collection once they add
 * up to a quarter of the heap live after the last one keeps them near it, and costs time linear in
 * the input (each collection's work, the live heap, is paid for by a quarter as many bytes read).
 * At half, that dump's peak fell to 203 MB in some runs and 250 MB in others (where V8's own
 * collections fell); at a quarter, 202-204 MB in every run measured.
 */
export function droppedLarge(bytes: number): void {
  dropped += bytes;
  if (dropped < Math.max(DROPPED_MIN, liveAfterCollect / 4)) return;
  collect();
}

const mb = (n: number) => `${Math.round(n / 1048576)} MiB`;

export class MemoryGuard {
  /** Why reading stopped; set once the guard has tripped. */
  reason: string | undefined;

  constructor(private readonly share = READ_SHARE) {}

  /** Whether an input of `bytes` may still be read. Once false, it stays false. */
  allows(bytes: number): boolean {
    if (this.reason) return false;
    const need = bytes * BYTES_PER_INPUT_BYTE;
    // One look at the heap per file (the limit is read from the same statistics).
    const stats = getHeapStatistics();
    const limit = stats.heap_size_limit * this.share;
    if (stats.used_heap_size + need <= limit) return true;
    collect();
    const used = getHeapStatistics().used_heap_size;
    if (used + need <= limit) return true;
    this.reason =
      `not evaluated: memory limit reached before this input was read (${mb(used)} of the ${mb(getHeapStatistics().heap_size_limit)} heap in use; ` +
      `reading stops at ${Math.round(this.share * 100)}% to leave room for the rules and the report). Scan fewer inputs at once, or give Node more heap: NODE_OPTIONS=--max-old-space-size=MB`;
    return false;
  }
}
