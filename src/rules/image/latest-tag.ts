import { defineRule } from '../../engine/rule.js';
import { allContainers, describeContainer, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asString } from '../../model/json.js';
import { isBuildToolReference, parseImage } from '../../model/images.js';

export default defineRule({
  meta: {
    id: 'image/latest-tag',
    title: 'Image without a tag or with :latest',
    severity: 'medium',
    rationale:
      'An image without a tag means :latest, and :latest moves. What runs changes with every pull, rollbacks do not roll back, nodes run different code, and a poisoned push to the registry reaches production on the next restart.',
    remediation: 'Reference a fixed version tag (nginx:1.27.2), or better a digest (nginx@sha256:...), and update it deliberately.',
    references: {
      cis: [],
      nsa: ['Pod security: building secure container images'],
      mitre: ['T1525', 'T1204.003'],
      urls: ['https://kubernetes.io/docs/concepts/containers/images/#image-names'],
    },
    kinds: WORKLOAD_KINDS,
  },
  check(ctx) {
    for (const c of allContainers(ctx.resource, ['containers', 'initContainers'])) {
      const raw = asString(c.container.image);
      if (raw === undefined) {
        ctx.report({ message: `${describeContainer(c)} has no image (or it is not a string), so what it runs cannot be checked`, path: 'image' in c.container ? `${c.path}/image` : c.path });
        continue;
      }
      // ko:// is a ko build reference, not an image: `ko resolve`/`ko apply` replace it with the
      // built image pinned by digest, so no tag (let alone :latest) ever runs.
      if (isBuildToolReference(raw)) continue;
      const img = parseImage(raw);
      if (!img) {
        ctx.report({ message: `${describeContainer(c)} has an invalid image reference "${raw}"`, path: `${c.path}/image` });
        continue;
      }
      if (img.digest) continue; // pinned: the tag (even :latest) is ignored by the runtime
      if (img.tag === undefined) ctx.report({ message: `${describeContainer(c)} image ${raw} has no tag, so it means :latest`, path: `${c.path}/image` });
      else if (img.tag === 'latest') ctx.report({ message: `${describeContainer(c)} image ${raw} uses the :latest tag`, path: `${c.path}/image` });
    }
  },
});
