import { defineRule } from '../../engine/rule.js';
import { DOCKERFILE_KIND, instructionsOf, splitFlags } from '../../model/dockerfile.js';

/** Package managers whose install leaves a cache in the layer, and what removes or avoids it in the same RUN. */
const MANAGERS: { name: string; install: RegExp; cleaned: RegExp }[] = [
  { name: 'apt-get', install: /\bapt(-get)?\s+(-\S+\s+)*install\b/, cleaned: /rm\s+(-\S+\s+)*\/var\/lib\/apt\/lists/ },
  { name: 'apk', install: /\bapk\s+(-\S+\s+)*add\b/, cleaned: /--no-cache\b|rm\s+(-\S+\s+)*\/var\/cache\/apk/ },
  { name: 'yum/dnf', install: /\b(yum|dnf|microdnf)\s+(-\S+\s+)*install\b/, cleaned: /\b(yum|dnf|microdnf)\s+clean\s+all\b|rm\s+(-\S+\s+)*\/var\/cache\/(yum|dnf)/ },
  { name: 'pip', install: /\bpip3?\s+(-\S+\s+)*install\b/, cleaned: /--no-cache-dir\b|PIP_NO_CACHE_DIR/ },
];

export default defineRule({
  meta: {
    id: 'dockerfile/package-cache',
    title: 'Package-manager cache left in the image',
    severity: 'low',
    rationale:
      'Package indexes and downloaded archives left in a layer make the image larger and slower to pull, and carry stale metadata that scanners and attackers can use; removing them in a later RUN does not shrink the earlier layer.',
    remediation: 'Clean up in the same RUN: `apt-get install … && rm -rf /var/lib/apt/lists/*`, `apk add --no-cache`, `dnf install … && dnf clean all`, `pip install --no-cache-dir`; or use a `RUN --mount=type=cache` cache mount.',
    references: { cis: [], nsa: ['Pod security: building secure container images'], mitre: [], urls: ['https://docs.docker.com/build/building/best-practices/#apt-get'] },
    kinds: [DOCKERFILE_KIND],
  },
  check(ctx) {
    const instructions = instructionsOf(ctx.resource);
    const pipNoCache = instructions.some((i) => i.instruction === 'ENV' && /PIP_NO_CACHE_DIR/.test(i.value));
    for (const i of instructions) {
      if (i.instruction !== 'RUN') continue;
      // A cache mount keeps the cache out of the layer.
      if (splitFlags(i.value).flags.some((f) => /type=cache/.test(f))) continue;
      const left = MANAGERS.filter((m) => m.install.test(i.value) && !m.cleaned.test(i.value) && !(m.name === 'pip' && pipNoCache)).map((m) => m.name);
      if (left.length) ctx.report({ message: `RUN installs with ${left.join(', ')} and leaves its cache in the layer`, path: i.path });
    }
  },
});
