// Entry point: dispatches to one module per command. Commands hold flags only; work lives elsewhere.
// Only the command that runs is loaded (dynamic import), so `--version` and `--help` load nothing
// but this file: pre-commit hooks and editors call the CLI often and pay its start-up every time.
import { OutputError, UsageError } from './errors.js';
import { VERSION } from '../version.js';
import { editDistance } from '../engine/edit-distance.js';
import { terminalSafe } from '../reports/terminal-safe.js';

type Command = { run(argv: string[]): Promise<number>; usage: string };

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  scan: { summary: 'scan manifests, charts and overlays for misconfigurations', load: () => import('./commands/scan.js') },
  fix: { summary: 'apply automatic fixes to manifests, chart values/templates and overlay patches', load: () => import('./commands/fix.js') },
  pss: { summary: 'evaluate pods exactly as Pod Security Admission would (and suggest enforce levels)', load: () => import('./commands/pss.js') },
  rbac: { summary: 'RBAC: who-can, what a subject can do, privilege-escalation paths', load: () => import('./commands/rbac.js') },
  netpol: { summary: 'NetworkPolicy reachability: reach, matrix, who can reach a workload', load: () => import('./commands/netpol.js') },
  paths: { summary: 'attack paths from the internet to cluster-admin, and the changes that cut them', load: () => import('./commands/paths.js') },
  node: { summary: 'audit a node / control plane configuration against the CIS benchmark', load: () => import('./commands/node.js') },
  audit: { summary: 'analyse API-server audit logs: threat detection, anomalies, least privilege from evidence', load: () => import('./commands/audit.js') },
  webhook: { summary: 'admission webhook: judge CREATE/UPDATE with the same rules (serve, manifests, certs)', load: () => import('./commands/webhook.js') },
  rules: { summary: 'list rules and their compliance coverage', load: () => import('./commands/rules.js') },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    `rampart ${VERSION}: find and stop Kubernetes misconfigurations`,
    '',
    'Usage: rampart <command> [options]   (also works as: kubectl rampart <command>)',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v.summary}`),
    '',
    "Run 'rampart <command> --help' for a command's options.",
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    process.stdout.write(help() + '\n');
    return cmd ? 0 : 2;
  }
  if (cmd === '--version' || cmd === 'version') {
    process.stdout.write(`rampart ${VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS[cmd];
  if (!entry) {
    const near = closestCommand(cmd);
    process.stderr.write(`rampart: unknown command "${terminalSafe(cmd)}"${near ? `; did you mean "${near}"?` : ''}\nRun 'rampart --help' for the commands.\n`);
    return 2;
  }
  const command = await entry.load();
  try {
    return await command.run(rest);
  } catch (e) {
    // A short message and where to look; the full usage is for --help.
    if (e instanceof UsageError) {
      // Messages quote arguments, paths and config text: shown escaped, like reports.
      process.stderr.write(`rampart ${cmd}: ${terminalSafe(e.message)}\nRun 'rampart ${cmd} --help' for usage.\n`);
      return 2;
    }
    if (e instanceof OutputError) {
      process.stderr.write(`rampart ${cmd}: ${terminalSafe(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}

/** The command a mistyped one most likely meant: a prefix (`sc` → scan) or at most two edits away. */
function closestCommand(typed: string): string | undefined {
  const names = Object.keys(COMMANDS);
  return names.find((n) => typed.length >= 2 && n.startsWith(typed)) ?? names.find((n) => editDistance(n, typed) <= 2);
}
