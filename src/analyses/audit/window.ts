// Bounded state for event rules: sliding-window counters (bursts per user or source IP) and the
// recent-key table (re-delivery dedupe, once-only alerts). Memory is capped, never grows with the
// stream: windows keep at most `maxKeys` keys (the least recently touched is forgotten first) and
// `maxPerKey` times per key (a rule that only compares a count with a threshold passes the threshold).

export interface WindowHit {
  /** Events for the key inside the window, this one included. */
  count: number;
  /** Distinct values seen for the key inside the window (when values are given). */
  distinct: number;
  /** Start (ms) of the burst that crossed the threshold: it names the alert, so a re-run yields the same id. */
  burstStart: number;
}

interface Entry {
  /** The most recent times (at most maxPerKey) inside the window. */
  times: number[];
  /** Distinct values inside the window → when last seen, least recent first (at most maxPerKey); only when values are given. */
  values: Map<string, number> | undefined;
  /** Set once the key alerted; cleared when the window empties, so one burst gives one alert. */
  alerted: boolean;
}

/**
 * Per-key sliding windows. Keys live in two generations of maps: a key touched goes to the current
 * one; when it holds maxKeys/2 keys it becomes the previous one and the old previous is dropped
 * whole. So at most `maxKeys` keys are held, keys untouched for a generation are forgotten, and
 * every operation is O(1). (A Map kept in recency order, evicting its first entry, is not: V8
 * skips the deleted entries at its front on each eviction, which a stream of new keys makes slow.)
 */
export class SlidingWindow {
  private current = new Map<string, Entry>();
  private previous = new Map<string, Entry>();
  private readonly generation: number;

  constructor(
    private readonly windowMs: number,
    maxKeys = 50_000,
    private readonly maxPerKey = 10_000,
  ) {
    this.generation = Math.max(1, Math.floor(maxKeys / 2));
  }

  /** Keys held. */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  private entry(key: string): Entry {
    let e = this.current.get(key);
    if (e) return e;
    e = this.previous.get(key);
    if (e) this.previous.delete(key);
    else e = { times: [], values: undefined, alerted: false };
    this.current.set(key, e);
    if (this.current.size >= this.generation) {
      this.previous = this.current;
      this.current = new Map();
    }
    return e;
  }

  /**
   * Records one event at `time` for `key` (with `value`, whose distinct count inside the window is
   * returned). Counts stop at maxPerKey: rules that compare with a threshold pass it as maxPerKey.
   */
  add(key: string, time: number, value?: string): WindowHit & { alerted: boolean } {
    const e = this.entry(key);
    const horizon = time - this.windowMs;
    let drop = 0;
    while (drop < e.times.length && e.times[drop]! <= horizon) drop++;
    if (drop) e.times.splice(0, drop);
    if (e.times.length === 0) e.alerted = false;
    e.times.push(time);
    if (e.times.length > this.maxPerKey) e.times.shift();
    let distinct = 0;
    if (value !== undefined) {
      const seen = (e.values ??= new Map());
      seen.delete(value);
      seen.set(value, time); // re-insert: Map order is recency order
      for (const [v, t] of seen) {
        if (t > horizon && seen.size <= this.maxPerKey) break;
        seen.delete(v);
      }
      distinct = seen.size;
    }
    return { count: e.times.length, distinct, burstStart: e.times[0]!, alerted: e.alerted };
  }

  markAlerted(key: string): void {
    const e = this.current.get(key) ?? this.previous.get(key);
    if (e) e.alerted = true;
  }
}

/** FNV-1a over the UTF-16 code units: cheap, and the table below verifies every hit by string equality. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The most recently added keys (at most `capacity`), with a value each. Memory is allocated once, up front
 * (a ring of keys and an open-addressing table of twice the capacity), so it does not grow with the
 * stream. Measured on a million auditIDs it costs half the CPU of a pair of Maps (a Map lookup in a
 * 100 000-entry table touches each candidate key's string; this table compares stored hashes first).
 * Setting a key that is present refreshes it: it becomes the most recent, and its old ring slot
 * stays empty until the ring comes round (so refreshed keys briefly lower the count kept).
 */
export class RecentKeys<V> {
  private readonly keys: (string | undefined)[];
  private readonly values: (V | undefined)[];
  private readonly hashes: Uint32Array;
  /** Ring slot + 1 for each occupied table cell; 0 = empty. Linear probing. */
  private readonly table: Int32Array;
  private readonly mask: number;
  private next = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('RecentKeys capacity must be at least 1');
    this.keys = new Array<string | undefined>(capacity).fill(undefined);
    this.values = new Array<V | undefined>(capacity).fill(undefined);
    this.hashes = new Uint32Array(capacity);
    let size = 2;
    while (size < capacity * 2) size *= 2;
    this.table = new Int32Array(size);
    this.mask = size - 1;
  }

  get(key: string): V | undefined {
    const cell = this.find(key, hashOf(key));
    return cell < 0 ? undefined : this.values[this.table[cell]! - 1];
  }

  has(key: string): boolean {
    return this.find(key, hashOf(key)) >= 0;
  }

  set(key: string, value: V): void {
    const h = hashOf(key);
    const cell = this.find(key, h);
    if (cell >= 0) this.removeCell(cell);
    this.insert(key, h, value);
  }

  /** The value stored for `key`; when absent, stores `value` and returns undefined (one probe). */
  getOrAdd(key: string, value: V): V | undefined {
    const h = hashOf(key);
    const cell = this.find(key, h);
    if (cell >= 0) return this.values[this.table[cell]! - 1];
    this.insert(key, h, value);
    return undefined;
  }

  private find(key: string, h: number): number {
    const { table, mask, hashes, keys } = this;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const slot = table[i]!;
      if (slot === 0) return -1;
      if (hashes[slot - 1] === h && keys[slot - 1] === key) return i;
    }
  }

  private insert(key: string, h: number, value: V): void {
    const slot = this.next;
    this.next = slot + 1 === this.capacity ? 0 : slot + 1;
    const old = this.keys[slot];
    if (old !== undefined) this.removeCell(this.find(old, this.hashes[slot]!));
    this.keys[slot] = key;
    this.values[slot] = value;
    this.hashes[slot] = h;
    const { table, mask } = this;
    let i = h & mask;
    while (table[i] !== 0) i = (i + 1) & mask;
    table[i] = slot + 1;
  }

  /** Empties a table cell (backward-shift deletion keeps probe chains intact without tombstones). */
  private removeCell(cell: number): void {
    const { table, mask, hashes } = this;
    const slot = table[cell]! - 1;
    this.keys[slot] = undefined;
    this.values[slot] = undefined;
    let i = cell;
    let j = cell;
    for (;;) {
      table[i] = 0;
      for (;;) {
        j = (j + 1) & mask;
        const s = table[j]!;
        if (s === 0) return;
        const home = hashes[s - 1]! & mask;
        // Move s back to the hole unless its home lies cyclically in (i, j].
        if (i <= j ? home <= i || home > j : home <= i && home > j) break;
      }
      table[i] = table[j]!;
      i = j;
    }
  }
}
