import { defineRule } from '../../engine/rule.js';
import { allContainers, describeContainer, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asString } from '../../model/json.js';
import { isBuildToolReference, parseImage } from '../../model/images.js';

export default defineRule({
  meta: {
    id: 'image/pull-policy',
    title: 'Mutable image tag without imagePullPolicy: Always',
    severity: 'low',
    rationale:
      'With IfNotPresent (the default for any tag but :latest) or Never, a node runs whatever it cached under the tag: nodes drift apart after a tag is re-pushed, a rollback does not roll back, and on a shared node a pod can start a private image another tenant pulled without presenting credentials (the reason for the AlwaysPullImages admission plugin).',
    remediation: 'Pin the image by digest (then the pull policy does not matter), or set imagePullPolicy: Always so the registry decides what the tag means and checks the pull credentials every time.',
    references: {
      cis: ['1.2.11'],
      nsa: ['Pod security: building secure container images'],
      mitre: ['T1525'],
      urls: ['https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy', 'https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#alwayspullimages'],
    },
    kinds: WORKLOAD_KINDS,
    // Measured on the real-world corpus (test/peer-rules-corpus.test.ts): almost every versioned image
    // relies on the IfNotPresent default, so this is opinion, not a defect; enable it where tags are re-pushed.
    defaultOff: true,
    fixClass: 'may-break',
    fixRisk: 'pods can no longer start from a node\'s cached image while the registry is unreachable',
  },
  check(ctx) {
    for (const c of allContainers(ctx.resource)) {
      const raw = asString(c.container.image);
      // Missing, malformed and ko:// images are image/latest-tag's to report.
      const img = raw === undefined || isBuildToolReference(raw) ? undefined : parseImage(raw);
      if (!img || img.digest) continue;
      const set = asString(c.container.imagePullPolicy);
      // The API server's default: Always for :latest or no tag, IfNotPresent for any other tag.
      const effective = set ?? (img.tag === undefined || img.tag === 'latest' ? 'Always' : 'IfNotPresent');
      if (effective === 'Always') continue;
      ctx.report({
        message: `${describeContainer(c)} image ${raw} is a mutable tag pulled with ${set ? `imagePullPolicy: ${set}` : 'the default imagePullPolicy IfNotPresent'}`,
        path: set ? `${c.path}/imagePullPolicy` : `${c.path}/image`,
        fix: [{ op: 'set', path: `${c.path}/imagePullPolicy`, value: 'Always' }],
      });
    }
  },
});
