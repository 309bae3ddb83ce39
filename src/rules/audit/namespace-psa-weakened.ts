import { defineEventRule } from '../../engine/rule.js';
import type { AuditEvent } from '../../analyses/audit/event.js';
import { actor, describeObject, resourceOf, succeeded } from '../../analyses/audit/event.js';
import { asObject } from '../../model/json.js';

const ENFORCE = 'pod-security.kubernetes.io/enforce';

export default defineEventRule<AuditEvent>({
  meta: {
    id: 'audit/namespace-psa-weakened',
    title: 'Namespace Pod Security enforcement lowered or removed',
    severity: 'high',
    scope: 'event',
    rationale: 'Setting a namespace\'s pod-security enforce label to privileged, or removing it, switches off the checks that stop privileged and host-access pods: it usually precedes creating one.',
    remediation: 'Restore the enforce label (baseline or restricted); restrict who may change namespace labels.',
    references: { mitre: ['T1562.001'], pss: 'baseline', urls: ['https://kubernetes.io/docs/concepts/security/pod-security-admission/'] },
  },
  resources: ['namespaces'],
  verbs: ['update', 'patch'],
  check(ctx) {
    const e = ctx.event;
    if (resourceOf(e) !== 'namespaces' || e.objectRef?.subresource || !['update', 'patch'].includes(e.verb) || !succeeded(e)) return;
    const labels = asObject(asObject(e.requestObject?.metadata)?.labels);
    let what: string | undefined;
    if (labels && ENFORCE in labels) {
      const v = labels[ENFORCE];
      if (v === 'privileged') what = 'set to privileged';
      else if (v === null) what = 'removed'; // a merge patch deletes a label by setting it to null
    }
    if (!what) return;
    ctx.report({ message: `${actor(e).username} ${what} ${ENFORCE} on ${describeObject(e)}` });
  },
});
