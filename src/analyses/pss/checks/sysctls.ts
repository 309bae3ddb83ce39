// Unsafe sysctls. Baseline; the allowed "safe" set grew in v1.27, v1.29, v1.32 and v1.37.
import type { CheckDef, CheckResult, Offence } from '../types.js';
import type { PodReader } from '../pod.js';

const SAFE_1_0 = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'];
const SAFE_1_27 = [...SAFE_1_0, 'net.ipv4.ip_local_reserved_ports'];
const SAFE_1_29 = [...SAFE_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const SAFE_1_32 = [...SAFE_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const SAFE_1_37 = [...SAFE_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'];

function sysctls(allowedList: string[]) {
  const allowed = new Set(allowedList);
  return (pod: PodReader): CheckResult => {
    const forbidden: string[] = [];
    const offences: Offence[] = [];
    const psc = pod.podSecurityContextPath;
    for (const { item, path } of pod.objects(pod.podSecurityContext(), 'sysctls', psc)) {
      const name = pod.get(item, 'name', path, 'string') ?? '';
      if (!allowed.has(name)) {
        forbidden.push(name);
        offences.push({ path: `${path}/name`, message: `pod sets unsafe sysctl ${name || '""'}` });
      }
    }
    if (!forbidden.length) return { allowed: true, offences };
    return { allowed: false, forbiddenReason: 'forbidden sysctls', forbiddenDetail: forbidden.join(', '), offences };
  };
}

export const sysctlsCheck: CheckDef = {
  id: 'sysctls',
  level: 'baseline',
  versions: [
    { minVersion: 0, check: sysctls(SAFE_1_0) },
    { minVersion: 27, check: sysctls(SAFE_1_27) },
    { minVersion: 29, check: sysctls(SAFE_1_29) },
    { minVersion: 32, check: sysctls(SAFE_1_32) },
    { minVersion: 37, check: sysctls(SAFE_1_37) },
  ],
};
