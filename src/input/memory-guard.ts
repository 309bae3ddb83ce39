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
