import { defineRule } from '../../engine/rule.js';
import { DOCKERFILE_KIND, instructionsOf, stagesOf, type Stage } from '../../model/dockerfile.js';

const ROOT = /^(root|0)(:(root|0))?$/;

export default defineRule({
  meta: {
    id: 'dockerfile/user',
    title: 'Image runs as root (no USER, or USER root)',
    severity: 'medium',
    rationale:
      'Without a USER instruction in the final stage (or its base stages in this file) the container\'s process runs as root unless every pod sets runAsUser: a container escape or a writable host mount then acts as root on the node.',
    remediation: 'Add `USER 10001` (a numeric non-root UID, so runAsNonRoot can verify it) after the last step that needs root in the final stage.',
    references: { cis: [], nsa: ['Pod security: "non-root" containers and "rootless" container engines'], mitre: ['T1611'], urls: ['https://docs.docker.com/build/building/best-practices/#user'] },
    kinds: [DOCKERFILE_KIND],
  },
  check(ctx) {
    const stages = stagesOf(instructionsOf(ctx.resource));
    const final = stages[stages.length - 1];
    if (!final) return;
    // The final stage inherits the USER of a stage of this file it is built FROM.
    const chain: Stage[] = [];
    for (let s: Stage | undefined = final; s && !chain.includes(s); ) {
      chain.unshift(s);
      const image = s.image.toLowerCase();
      s = stages.slice(0, s.index).reverse().find((p) => p.alias === image);
    }
    const users = chain.flatMap((s) => s.instructions.filter((i) => i.instruction === 'USER'));
    const last = users[users.length - 1];
    if (!last) ctx.report({ message: `the final stage (FROM ${final.image}) sets no USER, so the container runs as root unless the pod sets runAsUser`, path: final.from.path });
    else if (ROOT.test(last.value.trim())) ctx.report({ message: `the final stage's last USER is ${last.value.trim()}`, path: last.path });
  },
});
