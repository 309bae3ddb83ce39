import { defineRule } from '../../engine/rule.js';
import { asArray, asString, isObject } from '../../model/json.js';

/**
 * The structured AuthorizationConfiguration (`kube-apiserver --authorization-config`, Kubernetes
 * 1.30+) replaces --authorization-mode; CIS 1.2.6–1.2.8 apply to its authorizer chain.
 */
export default defineRule({
  meta: {
    id: 'cis/authorization-config',
    title: 'API server authorizer chain is unsafe (AuthorizationConfiguration)',
    severity: 'high',
    rationale: 'The authorizers in an AuthorizationConfiguration run in order. AlwaysAllow grants every request; without Node, kubelets can read any Secret; without RBAC there is no least-privilege access control.',
    remediation: 'List authorizers of type Node and RBAC (then any Webhook), and remove AlwaysAllow.',
    references: { cis: ['1.2.6', '1.2.7', '1.2.8'], nsa: ['Authentication and authorization'], mitre: ['T1078', 'T1068'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/authorization/#using-configuration-file-for-authorization'] },
    kinds: ['AuthorizationConfiguration'],
  },
  check(ctx) {
    if (!ctx.resource.apiVersion.startsWith('apiserver.config.k8s.io/')) return;
    const list = asArray(ctx.resource.object.authorizers);
    const types = list.map((a) => (isObject(a) ? asString(a.type) : undefined));
    types.forEach((t, i) => {
      if (t === 'AlwaysAllow') ctx.report({ message: `authorizer ${i} is AlwaysAllow, so every request is authorized (CIS 1.2.6)`, path: `/authorizers/${i}/type`, severity: 'critical' });
      else if (t === undefined) ctx.report({ message: `authorizer ${i} has no type; the API server would refuse this file`, path: `/authorizers/${i}` });
    });
    const where = Array.isArray(ctx.resource.object.authorizers) ? '/authorizers' : '';
    if (!types.includes('Node')) ctx.report({ message: 'no authorizer of type Node, so kubelets are not limited to their own node\'s objects (CIS 1.2.7)', path: where });
    if (!types.includes('RBAC')) ctx.report({ message: 'no authorizer of type RBAC (CIS 1.2.8)', path: where });
  },
});
