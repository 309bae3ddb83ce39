// Preloaded into a measured child process (node --import ./bench/rusage-at-exit.mjs ...): prints its
// own CPU time and peak RSS on exit, so a bench times the real CLI with what the kernel counted.
import { readFileSync, writeSync } from 'node:fs';

// Not performance.now(): touching `performance` before the CLI starts raised the 4-file JSON dump's
// peak RSS from 198 to 244 MiB (the CLI alone, and with a preload that does not touch it: 198).
const wall0 = process.hrtime.bigint();
/**
 * CPU seconds of the main thread (Linux; undefined elsewhere): what the process spent beyond it ran on
 * V8's background threads (TurboFan compiles, GC helpers). /proc counts in USER_HZ, 100 on Linux.
 */
function mainThreadS() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
process.on('exit', () => {
  const u = process.resourceUsage();
  // sysS and minorFaults: the kernel's share of the CPU, which goes with first touches of fresh memory
  // (a page fault each 4 KiB; bench/scan.mjs prints both per copy).
  const line = { cpuS: (u.userCPUTime + u.systemCPUTime) / 1e6, sysS: u.systemCPUTime / 1e6, minorFaults: u.minorPageFault, mainS: mainThreadS(), wallS: Number(process.hrtime.bigint() - wall0) / 1e9, maxRssMB: u.maxRSS / 1024 };
  writeSync(2, `\nRAMPART_RUSAGE ${JSON.stringify(line)}\n`);
});
