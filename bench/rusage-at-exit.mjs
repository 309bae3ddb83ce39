// Preloaded into a measured child process (node --import ./bench/rusage-at-exit.mjs ...): prints its
// own CPU time and peak RSS on exit, so a bench times the real CLI with what the kernel counted.
import { writeSync } from 'node:fs';

const wall0 = performance.now();
process.on('exit', () => {
  const u = process.resourceUsage();
  const line = { cpuS: (u.userCPUTime + u.systemCPUTime) / 1e6, wallS: (performance.now() - wall0) / 1000, maxRssMB: u.maxRSS / 1024 };
  writeSync(2, `\nRAMPART_RUSAGE ${JSON.stringify(line)}\n`);
});
