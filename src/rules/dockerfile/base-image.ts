import { defineRule } from '../../engine/rule.js';
import { DOCKERFILE_KIND, instructionsOf, stagesOf } from '../../model/dockerfile.js';
import { parseImage } from '../../model/images.js';

export default defineRule({
  meta: {
    id: 'dockerfile/base-image',
    title: 'Base image not pinned (:latest, no tag, or no digest)',
    severity: 'medium',
    rationale:
      'A FROM by tag builds on whatever the tag points to on the day of the build: builds are not reproducible, and a compromised or re-pushed base image flows into your image silently. :latest (or no tag) moves on every upstream release.',
    remediation: 'Pin the base image by digest (`FROM debian:12.5@sha256:…`) and update it deliberately (Renovate and Dependabot update pinned digests).',
    references: { cis: [], nsa: ['Pod security: building secure container images'], mitre: ['T1195.002', 'T1525'], urls: ['https://docs.docker.com/build/building/best-practices/#pin-base-image-versions'] },
    kinds: [DOCKERFILE_KIND],
  },
  check(ctx) {
    const instructions = instructionsOf(ctx.resource);
    // Build args declared before the first FROM, with their defaults, may name the base image.
    const args = new Map<string, string>();
    for (const i of instructions) {
      if (i.instruction === 'FROM') break;
      if (i.instruction !== 'ARG') continue;
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(i.value.trim());
      if (m) args.set(m[1]!, (m[2] ?? '').replace(/^["']|["']$/g, ''));
    }
    const aliases = new Set<string>();
    for (const s of stagesOf(instructions)) {
      const written = s.image;
      const image = written.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, n: string) => args.get(n) || `$${n}`);
      const earlierStage = aliases.has(image.toLowerCase());
      if (s.alias) aliases.add(s.alias);
      if (image.toLowerCase() === 'scratch' || earlierStage) continue;
      if (image.includes('$')) {
        ctx.report({ severity: 'info', message: `FROM ${written} depends on a build argument without a default; the base image could not be checked`, path: s.from.path });
        continue;
      }
      const ref = parseImage(image);
      const shown = image === written ? written : `${written} (= ${image})`;
      if (!ref) ctx.report({ message: `FROM ${shown} is not a valid image reference`, path: s.from.path });
      else if (ref.digest) continue;
      else if (ref.tag === undefined || ref.tag === 'latest') ctx.report({ message: `FROM ${shown} ${ref.tag ? 'uses :latest' : 'has no tag (:latest)'}`, path: s.from.path });
      // A version tag is the common practice (hadolint asks no more): noted at info, not failed on.
      else ctx.report({ severity: 'info', message: `FROM ${shown} is not pinned by digest`, path: s.from.path });
    }
  },
});
