#!/usr/bin/env node
/**
 * The one command line of the tool, as a landing-zone repository runs it:
 * `bedrock-governance <command> [options]` (`npx bedrock-governance --help` lists
 * the commands). Each command is a program of its own (main.ts, review/cli.ts,
 * tools/<concern>/*), the same entry points this repository's npm scripts run; this file
 * runs it in a child process with the command line after the command name, and
 * exits with its exit code.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { COMMAND_NAME_ENV, EXIT, cliOptions, defineCommand, usageError } from './lib/args';
import { toolPackage } from './config/package-info';

export const CLI_NAME = 'bedrock-governance';

/** Every command: its compiled file (relative to dist/, without .js) and one line on what it does. */
export const COMMANDS: Readonly<Record<string, { file: string; summary: string }>> = {
  init: { file: 'tools/rollout/init', summary: 'write a landing-zone repository (matrix, package.json, cdktf.json, workflows)' },
  synth: { file: 'main', summary: 'synthesize the stacks of the matrix into cdktf.out/ (what cdktf synth runs)' },
  review: { file: 'review/cli', summary: 'offline plan review of a git ref against the working tree (or two synth outputs)' },
  'iac-rules': { file: 'tools/checks/iac-rules', summary: 'the IaC rule report of a synth output: violations and every suppression' },
  verify: { file: 'tools/rollout/verify', summary: 'terraform validate (and an offline plan) of a synth output' },
  waves: { file: 'tools/rollout/waves', summary: 'the rollout waves of the matrix, in order (--json: the deploy job matrix)' },
  'deploy-wave': { file: 'tools/rollout/deploy-wave', summary: 'cdktf deploy of the stacks of one wave' },
  'changed-stacks': { file: 'tools/rollout/changed-stacks', summary: 'the stacks that differ between two synth outputs, in shards' },
  'plan-summary': {
    file: 'tools/rollout/plan-summary',
    summary: "terraform plan of some stacks, summarized for the pull request's comment",
  },
  'tfc-workspaces': { file: 'tools/rollout/tfc-workspaces', summary: 'create or update the Terraform Cloud workspace of every stack' },
  decommission: { file: 'tools/rollout/decommission', summary: 'destroy a stack that left the matrix, keeping its logs' },
  'usage-report': { file: 'tools/usage/usage-report', summary: 'usage and estimated cost per tenant from the invocation logs' },
  'eval-dataset': { file: 'tools/usage/eval-dataset', summary: "Bedrock evaluation datasets from a tenant's logged prompts and answers" },
};

/**
 * Old command names that still run, each the command that replaced it: a landing-zone
 * repository's workflows may call them. Running one prints one warning line on stderr.
 */
export const DEPRECATED_COMMANDS: Readonly<Record<string, string>> = {
  // "Guardrail" means Amazon Bedrock Guardrails only; the IaC checks are the IaC rules.
  guardrails: 'iac-rules',
};

/** The one line a deprecated command name prints on stderr before it runs its replacement. */
export function deprecationWarning(name: string): string {
  return `warning: "${CLI_NAME} ${name}" is deprecated: run "${CLI_NAME} ${DEPRECATED_COMMANDS[name]}" instead`;
}

const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 2;

export const COMMAND = defineCommand({
  command: CLI_NAME,
  usage: ['<command> [options]', '<command> --help'],
  summary: `Amazon Bedrock governance for a multi-account AWS landing zone: the stacks of a
landing-zone matrix (landing-zone.yaml), synthesized for cdktf, reviewed and
deployed in waves. Every command that reads the matrix takes --matrix <file>,
else MATRIX_FILE, else landing-zone.yaml in the working directory.`,
  positionals: [{ name: '<command>', help: 'the command to run (below); its options follow it' }],
  options: [{ name: '--version', help: "print the tool's version" }],
  footer: `Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`)
  .join('\n')}

Deprecated names, still run with a warning: ${Object.entries(DEPRECATED_COMMANDS)
    .map(([old, now]) => `${old} (now ${now})`)
    .join(', ')}

Start a landing-zone repository: npx ${CLI_NAME} init <dir>`,
});

/** Runs one command in a child process with the rest of the command line; its exit code becomes ours. */
export function main(argv: string[] = process.argv.slice(2)): void {
  const [given, ...rest] = argv;
  const deprecated = given !== undefined && Object.prototype.hasOwnProperty.call(DEPRECATED_COMMANDS, given);
  if (deprecated) process.stderr.write(`${deprecationWarning(given)}\n`);
  const name = deprecated ? DEPRECATED_COMMANDS[given] : given;
  if (name !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, name)) {
    const file = path.join(__dirname, `${COMMANDS[name].file}.js`);
    const r = spawnSync(process.execPath, [file, ...rest], {
      stdio: 'inherit',
      env: { ...process.env, [COMMAND_NAME_ENV]: `${CLI_NAME} ${name}` },
    });
    process.exitCode = r.status ?? EXIT.failed;
    return;
  }
  const opts = cliOptions(COMMAND, argv);
  if (!opts) return;
  if (opts.switches.has('--version')) {
    console.log(toolPackage().version);
    return;
  }
  const commands = Object.keys(COMMANDS).join(', ');
  if (!opts.positionals.length) usageError(COMMAND, `<command> is missing: one of ${commands}`);
  else usageError(COMMAND, `unknown command "${opts.positionals[0]}" (commands: ${commands})`);
}

if (require.main === module) main();
