// Probes and lifecycle handlers aimed at another host (SSRF from the kubelet). Baseline from v1.34.
import type { JsonObject } from '../../../model/types.js';
import type { CheckDef, CheckResult, Offence } from '../types.js';
import type { PodReader } from '../pod.js';
import { joinQuote, pluralize, sortedSet } from '../format.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HANDLERS = ['postStart', 'preStop'];
const ACTIONS = ['httpGet', 'tcpSocket'];

function hostProbesAndHostLifecycle(pod: PodReader): CheckResult {
  const bad: string[] = [];
  const hosts: string[] = [];
  const offences: Offence[] = [];
  for (const c of pod.containers()) {
    let found = false;
    const inspect = (handler: JsonObject, path: string, what: string) => {
      for (const action of ACTIONS) {
        const a = pod.get(handler, action, path, 'object');
        const host = pod.get(a, 'host', `${path}/${action}`, 'string');
        if (host) {
          found = true;
          hosts.push(host);
          offences.push({ path: `${path}/${action}/host`, message: `${c.label} ${what} ${action} targets host ${JSON.stringify(host)}` });
        }
      }
    };
    // Paths are made only for the handlers that are there (most containers have one probe or none).
    for (const p of PROBES) {
      const probe = pod.get(c.obj, p, c.path, 'object');
      if (probe) inspect(probe, `${c.path}/${p}`, p);
    }
    const lc = pod.get(c.obj, 'lifecycle', c.path, 'object');
    if (lc) {
      for (const h of HANDLERS) {
        const handler = pod.get(lc, h, `${c.path}/lifecycle`, 'object');
        if (handler) inspect(handler, `${c.path}/lifecycle/${h}`, `${h} hook`);
      }
    }
    if (found) bad.push(c.name);
  }
  if (!bad.length) return { allowed: true, offences };
  const names = sortedSet(bad);
  const list = sortedSet(hosts);
  return {
    allowed: false,
    forbiddenReason: 'probe or lifecycle host',
    forbiddenDetail: `${pluralize('container', 'containers', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('probe or lifecycle host', 'probe or lifecycle hosts', list.length)} ${joinQuote(list)}`,
    offences,
  };
}

export const hostProbesAndHostLifecycleCheck: CheckDef = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  versions: [{ minVersion: 34, check: hostProbesAndHostLifecycle }],
};
