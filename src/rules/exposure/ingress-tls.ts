import { defineRule } from '../../engine/rule.js';
import { asArray, asObject, isObject } from '../../model/json.js';

/** A TLS host entry covers a rule host exactly or by a one-label wildcard (`*.example.com`). */
function covers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  if (tlsHost.startsWith('*.')) {
    const rest = host.slice(host.indexOf('.') + 1);
    return host.includes('.') && rest === tlsHost.slice(2);
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'exposure/ingress-tls',
    title: 'Ingress without TLS',
    severity: 'medium',
    rationale:
      'An Ingress without a tls section (or whose hosts the tls section does not cover) serves plain HTTP: credentials, session cookies and data cross the network readable and modifiable by anyone on the path.',
    remediation: 'Add spec.tls with a certificate Secret for every host (cert-manager can issue them) and redirect HTTP to HTTPS at the controller.',
    references: {
      nsa: ['Network separation and hardening: encryption'],
      mitre: ['T1040', 'T1557'],
      urls: ['https://kubernetes.io/docs/concepts/services-networking/ingress/#tls'],
    },
    kinds: ['Ingress'],
  },
  check(ctx) {
    const spec = asObject(ctx.resource.object.spec);
    if (!spec) return;
    const tls = asArray(spec.tls);
    if (tls.length === 0) {
      ctx.report({ path: '/spec', message: `Ingress "${ctx.resource.name}" has no tls section: traffic is served over plain HTTP` });
      return;
    }
    const tlsHosts = tls.flatMap((t) => (isObject(t) ? asArray(t.hosts) : [])).filter((h): h is string => typeof h === 'string');
    // A tls entry without hosts applies to the controller's default certificate: it covers every host.
    const catchAll = tls.some((t) => isObject(t) && asArray(t.hosts).length === 0);
    if (catchAll) return;
    asArray(spec.rules).forEach((rule, i) => {
      if (!isObject(rule) || typeof rule.host !== 'string') return;
      const host = rule.host;
      if (!tlsHosts.some((t) => covers(t, host))) ctx.report({ path: `/spec/rules/${i}/host`, message: `host ${host} is not listed in spec.tls: it is served over plain HTTP` });
    });
  },
});
