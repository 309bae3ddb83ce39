#!/usr/bin/env node
// Entry of the GitHub Action (action.yml): builds Rampart in the action's checkout when needed, scans
// the inputs from the repository root (so SARIF paths are relative to it), writes the SARIF file, a
// Markdown summary for the job page and the step outputs. It always exits 0 once the scan ran, so
// the SARIF upload step runs; the action's last step exits with `exit-code`.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const workspace = env.GITHUB_WORKSPACE || process.cwd();

function fail(message) {
  process.stdout.write(`::error title=rampart::${message}\n`);
  output('exit-code', '2');
  process.exit(2);
}

function output(name, value) {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

/** Splits an input on whitespace, keeping "quoted words" together. */
function words(text) {
  return [...(text ?? '').matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

if (!existsSync(path.join(root, 'dist', 'cli', 'main.js'))) {
  // The action runs from its git checkout: install and build once (the repository .npmrc keeps the AWS CDK peers out).
  const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (ci.status !== 0) fail('npm ci failed in the action checkout');
}

const paths = words(env.INPUT_PATH || '.');
const failOn = env.INPUT_FAIL_ON || 'high';
const sarif = path.resolve(workspace, env.INPUT_SARIF_FILE || 'rampart.sarif');
const cli = path.join(root, 'bin', 'rampart.js');
const extra = words(env.INPUT_ARGS);

const scan = spawnSync(process.execPath, [cli, 'scan', ...paths, ...extra, '--fail-on', failOn, '-o', 'sarif', '--output', sarif], { cwd: workspace, stdio: ['ignore', 'inherit', 'inherit'] });
if (scan.status === null) fail(`rampart did not finish (${scan.signal ?? scan.error?.message})`);
if (!existsSync(sarif)) fail(`rampart exited ${scan.status} without writing ${sarif}`);

// The same scan as Markdown for the job summary (capped by the reporter at GitHub's comment size).
const md = spawnSync(process.execPath, [cli, 'scan', ...paths, ...extra, '--fail-on', 'never', '-o', 'markdown'], { cwd: workspace, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
if (env.GITHUB_STEP_SUMMARY && md.stdout) appendFileSync(env.GITHUB_STEP_SUMMARY, md.stdout);

let findings = 0;
try {
  findings = JSON.parse(readFileSync(sarif, 'utf8')).runs[0].properties.summary.findings;
} catch {
  fail(`${sarif} is not a SARIF report`);
}
output('sarif-file', path.relative(workspace, sarif) || sarif);
output('exit-code', String(scan.status));
output('findings', String(findings));
process.stdout.write(`rampart: ${findings} open findings, exit code ${scan.status} (fail-on ${failOn}); SARIF in ${path.relative(workspace, sarif)}\n`);
