// Message helpers that reproduce upstream's wording rules (quoting, plurals, sorted sets).

export function joinQuote(items: readonly string[]): string {
  return items.length === 0 ? '' : '"' + items.join('", "') + '"';
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** Sorted, de-duplicated list (upstream's string sets list in byte order). */
export function sortedSet(items: Iterable<string>): string[] {
  return [...new Set(items)].sort(byteOrder);
}

export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Go's %q for the common case (printable text); used for annotation values in details. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** `containers "a", "b"` with upstream's plural rule. */
export function containersPhrase(names: readonly string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}
