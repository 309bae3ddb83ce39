// Placeholder until the command lands; it fails loudly rather than pretending to work.
import { UsageError } from '../common.js';

export const usage = 'Usage: rampart rbac ... (not implemented yet)';

export async function run(_argv: string[]): Promise<number> {
  throw new UsageError('"rbac" is not implemented yet');
}
