// secrets/secret-type: a Secret whose type and keys disagree. Typed Secrets without their required
// keys are rejected by the API server; an Opaque Secret holding a registry or TLS credential escapes
// the tooling (and the policies) that look for those types.
import { defineRule } from '../../engine/rule.js';
import { asObject, asString, pointer } from '../../model/json.js';

/** Keys the API server requires per type (validation in k8s.io/kubernetes pkg/apis/core/validation). */
const REQUIRED: Record<string, string[][]> = {
  'kubernetes.io/dockerconfigjson': [['.dockerconfigjson']],
  'kubernetes.io/dockercfg': [['.dockercfg']],
  'kubernetes.io/tls': [['tls.crt'], ['tls.key']],
  'kubernetes.io/ssh-auth': [['ssh-privatekey']],
  'kubernetes.io/basic-auth': [['username', 'password']],
};

export default defineRule({
  meta: {
    id: 'secrets/secret-type',
    title: 'Secret type does not match its data',
    severity: 'low',
    rationale:
      'A typed Secret (kubernetes.io/tls, dockerconfigjson, ssh-auth, basic-auth) without its required keys is rejected when applied; a registry or TLS credential stored as Opaque is invisible to the controllers, policies and audits that look for those types.',
    remediation: 'Give the Secret the type its data has (kubernetes.io/dockerconfigjson, kubernetes.io/tls, …) and the keys that type requires.',
    references: { urls: ['https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'] },
    kinds: ['Secret'],
  },
  check(ctx) {
    const o = ctx.resource.object;
    const type = asString(o.type) ?? 'Opaque';
    const keys = new Set([...Object.keys(asObject(o.data) ?? {}), ...Object.keys(asObject(o.stringData) ?? {})]);
    const required = REQUIRED[type];
    if (required) {
      const missing = required.filter((alts) => !alts.some((k) => keys.has(k))).map((alts) => alts.join(' or '));
      if (missing.length) ctx.report({ message: `Secret ${ctx.resource.name} has type ${type} but no ${missing.join(', no ')} key: the API server rejects it`, path: o.type === undefined ? '' : pointer('type') });
      return;
    }
    if (type !== 'Opaque') return;
    const holds = keys.has('.dockerconfigjson') ? 'kubernetes.io/dockerconfigjson' : keys.has('.dockercfg') ? 'kubernetes.io/dockercfg' : keys.has('tls.crt') && keys.has('tls.key') ? 'kubernetes.io/tls' : keys.has('ssh-privatekey') ? 'kubernetes.io/ssh-auth' : undefined;
    if (holds) ctx.report({ message: `Secret ${ctx.resource.name} is Opaque but holds ${holds} data: give it that type`, path: o.type === undefined ? '' : pointer('type') });
  },
});
