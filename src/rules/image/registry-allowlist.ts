import { defineRule } from '../../engine/rule.js';
import { allContainers, describeContainer, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asString } from '../../model/json.js';
import { imageAllowed, parseImage } from '../../model/images.js';

export default defineRule({
  meta: {
    id: 'image/registry-allowlist',
    title: 'Image from a registry outside the allowlist',
    severity: 'high',
    rationale:
      'Images from arbitrary registries bypass the scanning, signing and retention your own registry enforces; a typo-squatted or hijacked public image runs with your pods\' rights.',
    remediation:
      'Pull the image through an allowed registry (mirror it), or add its registry to the allowlist. Configure the list in .rampart.yaml: rules: { image/registry-allowlist: { options: { allowed: [registry.example.com, ghcr.io/acme] } } }.',
    references: {
      cis: ['5.5.1'],
      nsa: ['Pod security: building secure container images'],
      mitre: ['T1204.003', 'T1525'],
      urls: ['https://kubernetes.io/docs/concepts/containers/images/'],
    },
    kinds: WORKLOAD_KINDS,
    optionsSchema: {
      type: 'object',
      additionalProperties: false,
      // Required: a configured rule without a list is a config mistake, reported (exit 2), not a silent pass.
      required: ['allowed'],
      properties: {
        allowed: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description:
            'Registry hosts (registry.k8s.io) or host/path prefixes (ghcr.io/acme, docker.io/library), matched on "/" boundaries. Images without a registry are docker.io/library/NAME or docker.io/ORG/NAME. Until this is set the rule checks nothing; an empty list allows nothing.',
        },
      },
    },
  },
  check(ctx) {
    const allowed = ctx.options.allowed;
    // Not configured: there is no policy to check against (the rule is off in effect, see docs/rules.md).
    if (allowed === undefined) return;
    if (!Array.isArray(allowed) || !allowed.every((a) => typeof a === 'string')) {
      throw new Error(`option "allowed" must be a list of registry prefixes, got ${JSON.stringify(allowed)}`);
    }
    for (const c of allContainers(ctx.resource)) {
      const raw = asString(c.container.image);
      const img = raw === undefined ? undefined : parseImage(raw);
      if (!img) {
        ctx.report({ message: `${describeContainer(c)} has no valid image reference, so its registry cannot be checked against the allowlist`, path: raw === undefined ? c.path : `${c.path}/image` });
        continue;
      }
      if (imageAllowed(img, allowed as string[])) continue;
      ctx.report({
        message: `${describeContainer(c)} image ${raw} (${img.canonicalName}) is not from an allowed registry (${allowed.length ? (allowed as string[]).join(', ') : 'the allowlist is empty'})`,
        path: `${c.path}/image`,
      });
    }
  },
});
