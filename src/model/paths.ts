// Paths on a node (hostPath volumes, mount paths), compared as the kernel would see them.

/** Lexical normalisation of an absolute POSIX path: `//` → `/`, `.` and `..` resolved, trailing slash dropped. */
export function normalisePosixPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}
