// Test helpers: read corpus scenarios from ../shared/corpus (relative to the repo root).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadText } from '../../../input/files.js';
import type { Resource } from '../../../model/types.js';

export const CORPUS = path.join('..', 'shared', 'corpus', 'netpol');

export function corpusAvailable(sub: string): boolean {
  const p = path.join(CORPUS, sub);
  if (!existsSync(p)) {
    console.warn(`\n!!! SKIPPING: corpus folder ${p} is absent (expected at ../shared/corpus relative to the repo root) !!!\n`);
    return false;
  }
  return true;
}

/**
 * Some upstream List files omit `kind`/`apiVersion` on their items (as `kubectl get -o json` of a
 * typed list does). The list kind names them: PodList → Pod. Fill them in before loading.
 */
function completeListItems(doc: unknown): unknown {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return doc;
  const o = doc as Record<string, unknown>;
  if (typeof o.kind === 'string' && o.kind.endsWith('List') && o.kind !== 'List' && Array.isArray(o.items)) {
    const itemKind = o.kind.slice(0, -4);
    o.items = o.items.map((it) =>
      it && typeof it === 'object' && !Array.isArray(it) ? { apiVersion: (it as Record<string, unknown>).apiVersion ?? o.apiVersion ?? 'v1', kind: (it as Record<string, unknown>).kind ?? itemKind, ...it } : it,
    );
  }
  return o;
}

export function loadScenarioFiles(dir: string, files?: string[]): { resources: Resource[]; errors: string[] } {
  const names = files ?? readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  const resources: Resource[] = [];
  const errors: string[] = [];
  for (const f of names) {
    const text = readFileSync(path.join(dir, f), 'utf8');
    const docs = parseAllDocuments(text).map((d) => completeListItems(d.toJS()));
    const json = docs.filter((d) => d !== null && d !== undefined).map((d) => JSON.stringify(d)).join('\n---\n');
    const load = loadText(json, f);
    resources.push(...load.resources);
    errors.push(...load.errors.map((e) => `${f}: ${e.message}`));
  }
  return { resources, errors };
}
