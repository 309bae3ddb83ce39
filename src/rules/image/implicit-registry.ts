import { defineRule } from '../../engine/rule.js';
import { allContainers, describeContainer, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asString } from '../../model/json.js';
import { isBuildToolReference, parseImage } from '../../model/images.js';

/** distribution/reference path components: lower-case alphanumerics joined by `.`, `_`, `__` or dashes. */
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export default defineRule({
  meta: {
    id: 'image/implicit-registry',
    title: 'Image reference without a registry host',
    severity: 'low',
    rationale:
      'An image named without a registry (nginx:1.27, bitnami/redis:7) is pulled from Docker Hub by containerd and Docker, but CRI-O and Podman resolve short names through the node\'s registries.conf (aliases, then a search list), so the same manifest can pull different images on different nodes, and a name squatted on an earlier registry in the list wins. Naming the registry makes provenance reviewable and lets registry allowlists and admission policies match it.',
    remediation:
      'Write the registry explicitly: docker.io/library/nginx:1.27 for an official Docker Hub image, docker.io/bitnami/redis:7 for a Docker Hub organisation, or your own mirror (registry.example.com/library/nginx:1.27). No automatic fix: on CRI-O a short-name alias may point elsewhere (fedora → registry.fedoraproject.org), so the right host depends on your nodes.',
    references: {
      cis: ['5.5.1'],
      nsa: ['Pod security: building secure container images'],
      mitre: ['T1204.003'],
      urls: [
        'https://kubernetes.io/docs/concepts/containers/images/#image-names',
        'https://github.com/containers/image/blob/main/docs/containers-registries.conf.5.md#short-name-aliasing',
      ],
    },
    kinds: WORKLOAD_KINDS,
    // Off by default: containerd and Docker (most clusters) resolve short names to Docker Hub
    // deterministically, and 11 of the 24 real-world projects would get findings (109) for that.
    defaultOff: true,
  },
  check(ctx) {
    for (const c of allContainers(ctx.resource)) {
      const raw = asString(c.container.image);
      // Missing or invalid references are image/latest-tag's findings; ko:// is resolved by ko before deploy.
      if (raw === undefined || isBuildToolReference(raw)) continue;
      const img = parseImage(raw);
      // A placeholder (<YOUR-IMAGE>) is no reference a runtime resolves: only repository paths of the reference grammar count.
      if (!img || img.registry !== undefined || !REPOSITORY.test(img.repository)) continue;
      ctx.report({
        message: `${describeContainer(c)} image ${raw} names no registry: containerd and Docker pull ${img.canonicalName} (Docker Hub), CRI-O resolves it through the node's short-name list`,
        path: `${c.path}/image`,
      });
    }
  },
});
