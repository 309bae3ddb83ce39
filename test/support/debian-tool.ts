// Debian tools some tests need (xmllint, pre-commit), installed on demand where that is possible.
import { spawnSync } from 'node:child_process';

/**
 * A Debian tool for a test: on PATH, or installed with apt-get when this is a root Debian box.
 * Returns false (the caller skips loudly) when it cannot be had.
 */
export function ensureDebianTool(bin: string, pkg: string): boolean {
  const has = () => spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).status === 0;
  if (has()) return true;
  if (process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v apt-get']).status !== 0) return false;
  spawnSync('apt-get', ['install', '-y', '-q', pkg], { stdio: 'ignore', timeout: 300_000 });
  return has();
}
