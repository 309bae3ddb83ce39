// Custom SELinux user/role and non-container SELinux types. Baseline; v1.31 also allows container_engine_t.
import type { JsonObject } from '../../../model/types.js';
import type { CheckDef, CheckResult, Offence } from '../types.js';
import type { PodReader } from '../pod.js';
import { containersPhrase, goQuote, joinQuote, pluralize, sortedSet } from '../format.js';

const TYPES_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const TYPES_1_31 = new Set([...TYPES_1_0, 'container_engine_t']);

function seLinuxOptions(allowedTypes: Set<string>) {
  return (pod: PodReader): CheckResult => {
    const badTypes: string[] = [];
    let setUser = false;
    let setRole = false;
    const offences: Offence[] = [];
    const validate = (opts: JsonObject, path: string, who: string): boolean => {
      let ok = true;
      const t = pod.get(opts, 'type', path, 'string') ?? '';
      if (!allowedTypes.has(t)) {
        ok = false;
        badTypes.push(t);
        offences.push({ path: `${path}/type`, message: `${who} sets seLinuxOptions.type ${goQuote(t)}` });
      }
      const user = pod.get(opts, 'user', path, 'string') ?? '';
      if (user.length > 0) {
        ok = false;
        setUser = true;
        offences.push({ path: `${path}/user`, message: `${who} sets seLinuxOptions.user` });
      }
      const role = pod.get(opts, 'role', path, 'string') ?? '';
      if (role.length > 0) {
        ok = false;
        setRole = true;
        offences.push({ path: `${path}/role`, message: `${who} sets seLinuxOptions.role` });
      }
      return ok;
    };
    const setters: string[] = [];
    const psc = pod.podSecurityContextPath;
    const podOpts = pod.get(pod.podSecurityContext(), 'seLinuxOptions', psc, 'object');
    if (podOpts && !validate(podOpts, `${psc}/seLinuxOptions`, 'pod')) setters.push('pod');
    const bad: string[] = [];
    for (const c of pod.containers()) {
      const scPath = c.scPath;
      const opts = pod.get(pod.securityContext(c), 'seLinuxOptions', scPath, 'object');
      if (opts && !validate(opts, `${scPath}/seLinuxOptions`, c.label)) bad.push(c.name);
    }
    if (bad.length) setters.push(containersPhrase(bad));
    if (!setters.length) return { allowed: true, offences };
    const data: string[] = [];
    const types = sortedSet(badTypes);
    if (types.length) data.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
    if (setUser) data.push('user may not be set');
    if (setRole) data.push('role may not be set');
    return {
      allowed: false,
      forbiddenReason: 'seLinuxOptions',
      forbiddenDetail: `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`,
      offences,
    };
  };
}

export const seLinuxOptionsCheck: CheckDef = {
  id: 'seLinuxOptions',
  level: 'baseline',
  versions: [
    { minVersion: 0, check: seLinuxOptions(TYPES_1_0) },
    { minVersion: 31, check: seLinuxOptions(TYPES_1_31) },
  ],
};
