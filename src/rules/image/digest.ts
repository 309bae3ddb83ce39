import { defineRule } from '../../engine/rule.js';
import { allContainers, describeContainer, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asString } from '../../model/json.js';
import { isBuildToolReference, parseImage } from '../../model/images.js';

export default defineRule({
  meta: {
    id: 'image/digest',
    title: 'Image not pinned by digest',
    severity: 'low',
    rationale:
      'Tags are mutable: whoever can push to the repository can change what a tag points to. Only a digest names exact, verifiable image content, so what was reviewed and scanned is what runs.',
    remediation: 'Reference images by digest (registry/app@sha256:...), optionally keeping the tag for readers (registry/app:1.4.2@sha256:...); let a bot such as Renovate update digests.',
    references: {
      cis: ['5.5.1'],
      nsa: ['Pod security: building secure container images'],
      mitre: ['T1525'],
      urls: ['https://kubernetes.io/docs/concepts/containers/images/#image-names'],
    },
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    // Ephemeral (debug) containers too: added to a running pod, they run with the pod's identity.
    for (const c of allContainers(ctx.resource)) {
      const raw = asString(c.container.image);
      // Missing and invalid references are reported by image/latest-tag; build-tool references (ko://) are pinned when built.
      if (raw === undefined || isBuildToolReference(raw)) continue;
      const img = parseImage(raw);
      if (!img || img.digest) continue;
      ctx.report({ message: `${describeContainer(c)} image ${raw} is not pinned by digest`, path: `${c.path}/image` });
    }
  },
});
