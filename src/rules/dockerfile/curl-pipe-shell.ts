import { defineRule } from '../../engine/rule.js';
import { DOCKERFILE_KIND, instructionsOf } from '../../model/dockerfile.js';

/** A download piped into an interpreter, or an interpreter running a download's output. */
const PIPE = /\b(curl|wget)\b[^|;&\n]*\|\s*(sudo\s+(-\S+\s+)*)?(\/usr)?(\/bin\/)?(ba|z|da|k|a)?sh\b|\b(curl|wget)\b[^|;&\n]*\|\s*(sudo\s+)?(python3?|perl|ruby|node)\b/;
const SUBST = /\b(ba|z|da)?sh\s+-c\s+["']?\$\(\s*(curl|wget)\b/;

export default defineRule({
  meta: {
    id: 'dockerfile/curl-pipe-shell',
    title: 'RUN pipes a download into a shell',
    severity: 'medium',
    rationale:
      '`curl … | sh` runs whatever the server sends at build time, unverified; a compromised host, a DNS hijack or a truncated download executes in your build with root and its secrets. The script is not in the image\'s history, so nobody can review what ran.',
    remediation: 'Download the script or binary to a file, verify a pinned SHA-256 (or a signature), then run it; better, install from a package manager with signed repositories.',
    references: { cis: [], nsa: ['Pod security: building secure container images'], mitre: ['T1195.002', 'T1059.004'], urls: ['https://docs.docker.com/build/building/best-practices/#using-pipes'] },
    kinds: [DOCKERFILE_KIND],
  },
  check(ctx) {
    for (const i of instructionsOf(ctx.resource)) {
      if (i.instruction !== 'RUN') continue;
      const m = PIPE.exec(i.value) ?? SUBST.exec(i.value);
      // Only the tool and interpreter are named: the command line may carry a token (curl -H "Authorization: …").
      if (m) ctx.report({ message: `RUN runs a ${/wget/.test(m[0]) ? 'wget' : 'curl'} download unverified in ${/\b(python3?|perl|ruby|node)\b/.exec(m[0])?.[1] ?? 'a shell'}`, path: i.path });
    }
  },
});
