import { defineRule } from '../../engine/rule.js';
import { DOCKERFILE_KIND, instructionsOf, splitFlags } from '../../model/dockerfile.js';

export default defineRule({
  meta: {
    id: 'dockerfile/add-url',
    title: 'ADD downloads from a URL without a checksum',
    severity: 'medium',
    rationale:
      'ADD <url> fetches whatever the server returns at build time, with no integrity check: a compromised or hijacked host (or a changed release asset) ends up in the image, and the build is not reproducible.',
    remediation: 'Download with RUN curl and verify a pinned SHA-256 (`echo "<sha>  file" | sha256sum -c`), or use `ADD --checksum=sha256:<digest> <url>` (BuildKit).',
    references: { cis: [], nsa: ['Pod security: building secure container images'], mitre: ['T1195.002'], urls: ['https://docs.docker.com/reference/dockerfile/#add---checksum'] },
    kinds: [DOCKERFILE_KIND],
  },
  check(ctx) {
    for (const i of instructionsOf(ctx.resource)) {
      if (i.instruction !== 'ADD') continue;
      const { flags, rest } = splitFlags(i.value);
      if (flags.some((f) => f.startsWith('--checksum='))) continue;
      // JSON form ["src", "dest"] or the shell form; the last word is the destination.
      const words = rest.trim().startsWith('[') ? rest.match(/"([^"]*)"/g)?.map((w) => w.slice(1, -1)) ?? [] : rest.split(/\s+/).filter(Boolean);
      const urls = words.slice(0, -1).filter((w) => /^(https?|ftp):\/\//i.test(w) || /^git@|\.git(#.*)?$/.test(w));
      if (urls.length) ctx.report({ message: `ADD fetches ${urls.join(', ')} without --checksum`, path: i.path });
    }
  },
});
