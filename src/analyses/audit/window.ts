// Bounded sliding-window counters for event rules (bursts per user or source IP). Memory is
// capped by `maxKeys`: the least recently touched key is forgotten first.

export interface WindowHit {
  /** Events for the key inside the window, this one included. */
  count: number;
  /** Distinct values seen for the key inside the window (when values are given). */
  distinct: number;
  /** Start (ms) of the burst that crossed the threshold: it names the alert, so a re-run yields the same id. */
  burstStart: number;
}

interface Entry {
  times: number[];
  values: string[];
  /** Set once the key alerted; cleared when the window empties, so one burst gives one alert. */
  alerted: boolean;
}

export class SlidingWindow {
  private entries = new Map<string, Entry>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 50_000,
    private readonly maxPerKey = 10_000,
  ) {}

  /** Records one event at `time` for `key`. `distinct` is counted only once the window holds `distinctFrom` events (it cannot be larger). */
  add(key: string, time: number, value = '', distinctFrom = 0): WindowHit & { alerted: boolean } {
    let e = this.entries.get(key);
    if (e) this.entries.delete(key);
    else e = { times: [], values: [], alerted: false };
    this.entries.set(key, e); // re-insert: Map order is recency order
    if (this.entries.size > this.maxKeys) this.entries.delete(this.entries.keys().next().value as string);
    let drop = 0;
    while (drop < e.times.length && e.times[drop]! <= time - this.windowMs) drop++;
    if (drop) {
      e.times.splice(0, drop);
      e.values.splice(0, drop);
    }
    if (e.times.length === 0) e.alerted = false;
    e.times.push(time);
    e.values.push(value);
    if (e.times.length > this.maxPerKey) {
      e.times.shift();
      e.values.shift();
    }
    const distinct = e.times.length >= distinctFrom ? new Set(e.values).size : 0;
    return { count: e.times.length, distinct, burstStart: e.times[0]!, alerted: e.alerted };
  }

  markAlerted(key: string): void {
    const e = this.entries.get(key);
    if (e) e.alerted = true;
  }
}

/**
 * The most recent keys (at least `capacity`, at most twice that), in O(1) per operation: two
 * generations of maps, the older dropped whole when the newer fills. (Evicting a Map's oldest
 * entry one at a time is not O(1) in V8: iteration skips the deleted entries at its front.)
 */
export class RecentKeys<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    return this.current.get(key) ?? this.previous.get(key);
  }

  has(key: string): boolean {
    return this.current.has(key) || this.previous.has(key);
  }

  set(key: string, value: V): void {
    this.current.set(key, value);
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
  }
}
