// kube-proxy's metrics listener (CIS 4.3.1): from a KubeProxyConfiguration, from the kubeadm
// `kube-proxy` ConfigMap that embeds one, or from a `--metrics-bind-address` flag.
import { parse } from 'yaml';
import type { JsonObject } from '../../model/types.js';
import { asString, isObject } from '../../model/json.js';

export const KUBE_PROXY_CONFIG_KIND = 'KubeProxyConfiguration';
/** The KubeProxyConfiguration default (v1alpha1): metrics on loopback only. */
export const DEFAULT_METRICS_BIND = '127.0.0.1:10249';

/** The host part of `host:port`, `[v6]:port` or a bare host. */
export function hostOf(address: string): string {
  const a = address.trim();
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (v6) return v6[1]!;
  const i = a.lastIndexOf(':');
  return i > -1 && a.indexOf(':') === i ? a.slice(0, i) : a;
}

export function isLoopback(address: string): boolean {
  const h = hostOf(address);
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

/**
 * Why a metrics bind address is exposed, or undefined when it is loopback. An empty value means
 * the default (loopback). A bare port (`:10249`) binds every interface.
 */
export function metricsExposure(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return `metricsBindAddress is ${JSON.stringify(value)}, not an address; it cannot be evaluated`;
  if (isLoopback(value)) return undefined;
  const h = hostOf(value);
  const all = h === '' || h === '0.0.0.0' || h === '::';
  return `${value} ${all ? 'listens on every interface' : `listens on ${h}, not loopback`}`;
}

/** The KubeProxyConfiguration a kubeadm `kube-proxy` ConfigMap embeds in `data["config.conf"]`. */
export function embeddedProxyConfig(configMap: JsonObject): { config: JsonObject; key: string } | undefined {
  const data = configMap.data;
  if (!isObject(data)) return undefined;
  for (const key of Object.keys(data)) {
    const text = asString(data[key]);
    if (!text || !text.includes(KUBE_PROXY_CONFIG_KIND)) continue;
    try {
      const v: unknown = parse(text, { maxAliasCount: 100 });
      if (isObject(v) && v.kind === KUBE_PROXY_CONFIG_KIND) return { config: v, key };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
