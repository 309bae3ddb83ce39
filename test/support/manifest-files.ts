// Manifest files of a corpus folder (recursively, sorted), for tests that compare loaders on real data.
import { readdirSync } from 'node:fs';
import path from 'node:path';

export function manifestFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) manifestFiles(p, out);
    else if (/\.(ya?ml|json)$/i.test(e.name)) out.push(p);
  }
  return out;
}
