// Reads scanned files back for reports that show source lines (the HTML report's snippets). Bounded:
// regular files only, at most 4 MiB each, read once; anything else has no snippet.
import { readFileSync, statSync } from 'node:fs';

const MAX_BYTES = 4 * 1024 * 1024;

export function sourceReader(): (file: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (cache.has(file)) return cache.get(file);
    let text: string | undefined;
    try {
      // `cluster://` objects and stdin have no file to read.
      if (file && !file.includes('://') && !file.startsWith('<')) {
        const st = statSync(file);
        if (st.isFile() && st.size <= MAX_BYTES) text = readFileSync(file, 'utf8');
      }
    } catch {
      text = undefined;
    }
    cache.set(file, text);
    return text;
  };
}
