import { defineRule } from '../../engine/rule.js';
import { embeddedProxyConfig, KUBE_PROXY_CONFIG_KIND, metricsExposure } from '../../analyses/node/kube-proxy.js';
import { parseArgList } from '../../analyses/node/flags.js';
import { allContainers, describeContainer, WORKLOAD_KINDS } from '../../model/workloads.js';
import { asArray, asString, pointer } from '../../model/json.js';

export default defineRule({
  meta: {
    id: 'cis/kube-proxy-metrics-bind',
    title: 'kube-proxy metrics are served beyond localhost',
    severity: 'medium',
    rationale: 'kube-proxy\'s metrics endpoint has no authentication; bound to every interface it tells anyone on the network about the node\'s services and endpoints, and is one more listener to attack.',
    remediation: 'Set metricsBindAddress: 127.0.0.1:10249 in the KubeProxyConfiguration (kubeadm: the kube-proxy ConfigMap), or scrape it through a local agent.',
    references: { cis: ['4.3.1'], nsa: ['Network separation and hardening: worker node segmentation'], mitre: ['T1613', 'T1046'], urls: ['https://kubernetes.io/docs/reference/config-api/kube-proxy-config.v1alpha1/'] },
    kinds: [KUBE_PROXY_CONFIG_KIND, 'ConfigMap', ...WORKLOAD_KINDS],
  },
  check(ctx) {
    const r = ctx.resource;
    if (r.kind === KUBE_PROXY_CONFIG_KIND) {
      if (!r.apiVersion.startsWith('kubeproxy.config.k8s.io/')) return;
      const why = metricsExposure(r.object.metricsBindAddress);
      if (why) ctx.report({ message: `metricsBindAddress ${why}`, path: '/metricsBindAddress' });
      return;
    }
    if (r.kind === 'ConfigMap') {
      const embedded = embeddedProxyConfig(r.object);
      if (!embedded) return;
      const why = metricsExposure(embedded.config.metricsBindAddress);
      // positions inside the embedded text are not tracked: point at the data key
      if (why) ctx.report({ message: `${embedded.key}: metricsBindAddress ${why}`, path: pointer('data', embedded.key) });
      return;
    }
    for (const c of allContainers(r, ['containers'])) {
      const first = asString(asArray(c.container.command)[0]) ?? '';
      if (!/(^|\/)kube-proxy$/.test(first.trim())) continue;
      const flags = [...parseArgList(c.container.command, `${c.path}/command`), ...parseArgList(c.container.args, `${c.path}/args`)].filter((f) => f.name === 'metrics-bind-address');
      const last = flags[flags.length - 1];
      if (!last) continue;
      const why = metricsExposure(last.value);
      if (why) ctx.report({ message: `${describeContainer(c)}: --metrics-bind-address=${why}`, path: last.path });
    }
  },
});
