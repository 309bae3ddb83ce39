import { defineRule } from '../../engine/rule.js';
import { DOCKERFILE_KIND, instructionsOf } from '../../model/dockerfile.js';
import { detectSecret, isPlaceholder } from '../../analyses/secrets/detect.js';
import { looksLikeCredentialName, looksLikeCredentialValue } from '../../analyses/secrets/names.js';

/** `ENV a=1 b="two words"`, the legacy `ENV a value with spaces`, and `ARG name[=default]`. */
function assignments(instruction: string, value: string): { name: string; value?: string }[] {
  const v = value.trim();
  if (instruction === 'ENV' && !/^[^\s=]+=/.test(v)) {
    const m = /^(\S+)\s+(.*)$/s.exec(v);
    return m ? [{ name: m[1]!, value: m[2]! }] : [];
  }
  const out: { name: string; value?: string }[] = [];
  for (const m of v.matchAll(/([^\s=]+)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g)) {
    const raw = m[2];
    out.push(raw === undefined ? { name: m[1]! } : { name: m[1]!, value: raw.replace(/^["']|["']$/g, '') });
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'dockerfile/secret-in-env',
    title: 'Credential in an ENV or ARG instruction',
    severity: 'high',
    rationale:
      'ENV values are baked into the image config and ARG values into its build history (`docker history`, `docker inspect`): anyone who can pull the image reads them, in every registry and cache it was copied to. Build args named like credentials show the intent even without a default.',
    remediation:
      'Pass build-time secrets with `RUN --mount=type=secret,id=…` (BuildKit) and run-time ones from a Kubernetes Secret mounted as a file; then rotate any credential that was in the image.',
    references: { cis: [], nsa: ['Network separation and hardening: secrets'], mitre: ['T1552.001'], urls: ['https://docs.docker.com/build/building/secrets/'] },
    kinds: [DOCKERFILE_KIND],
  },
  check(ctx) {
    for (const i of instructionsOf(ctx.resource)) {
      if (i.instruction !== 'ENV' && i.instruction !== 'ARG') continue;
      for (const a of assignments(i.instruction, i.value)) {
        const found = a.value ? detectSecret(a.value) : undefined;
        // Never the value: the detector and a short fingerprint at most.
        if (found) {
          ctx.report({ message: `${i.instruction} ${a.name} holds ${found.what} (fingerprint ${found.fingerprint}; value not shown)`, path: i.path, details: { detector: found.detector, fingerprint: found.fingerprint } });
          continue;
        }
        if (!looksLikeCredentialName(a.name)) continue;
        const literal = a.value !== undefined && looksLikeCredentialValue(a.value) && !isPlaceholder(a.value) && !/^\$\{?[A-Za-z_]/.test(a.value);
        if (literal) ctx.report({ message: `${i.instruction} ${a.name} sets a literal credential (value not shown), kept in the image ${i.instruction === 'ENV' ? 'config' : 'history'}`, path: i.path });
        else if (i.instruction === 'ARG' && !a.value) ctx.report({ severity: 'medium', message: `ARG ${a.name} passes a credential as a build argument; its value is kept in the image history`, path: i.path });
      }
    }
  },
});
