// Reads the bundled CIS item list (data/cis/items.json, derived from kube-bench; see data/cis/NOTICE).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCisItems, type CisItem } from '../analyses/node/cis-coverage.js';

/** data/cis/items.json, two levels above this module in both src/ and dist/. */
export const CIS_ITEMS_URL = new URL('../../data/cis/items.json', import.meta.url);

export function loadCisItems(file: string = fileURLToPath(CIS_ITEMS_URL)): { benchmark: string; items: CisItem[] } {
  return parseCisItems(JSON.parse(readFileSync(file, 'utf8')));
}
