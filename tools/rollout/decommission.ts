/**
 * Decommissions a stack that has left the matrix: destroys what it deployed but
 * keeps the data. The log bucket (with its own settings), the KMS keys (with
 * their aliases) and the log group leave Terraform state and stay in AWS;
 * everything else is destroyed (the invocation-logging configuration, the
 * inference profiles, the logging role, alarms, analytics).
 * Usage: npm run decommission -- --help
 *
 * How: a Terraform configuration with the stack's backend and provider, no
 * resources, and a `removed { from = ..., lifecycle { destroy = false } }` block
 * (Terraform >= 1.7) per kept resource. Planning it from the stack's state gives
 * "forget" for the kept resources (what `terraform state rm` does, but reviewed in
 * the same plan) and "delete" for the rest; `prevent_destroy` does not block it,
 * as it applies only to resources still in the configuration.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MatrixError } from '../../config/errors';
import { loadMatrix, loadMatrixFile, matrixFile } from '../../config/load';
import type { AppConfig } from '../../config/model';
import { stackNames } from '../../stacks/outdir';
import { EXIT, cliOptions, defineCommand, usageError } from '../../lib/args';
import { decommissionConfig } from '../../lib/decommission-config';
import { cliConfigFor, findMirror, offlineOverride } from '../../lib/terraform';
import {
  DECOMMISSION_FILE,
  Orphan,
  addedEntries,
  existingCommand,
  orphans,
  parseDecommissionFile,
  stateTemplate,
} from '../../config/leftovers';
import { pipelineJobs } from '../../config/select';
import { MatrixHistory, fileAt } from './matrix-history';

/** The names of what remains in AWS, for the closing message. */
function remainingNames(stackTf: { resource: Record<string, Record<string, Record<string, unknown>>> }, kept: string[]): string[] {
  return kept.map((address) => {
    const [type, name] = address.split('.');
    const r = stackTf.resource[type][name];
    const label = r.bucket ?? r.name ?? r.description ?? '';
    return `${address}${typeof label === 'string' && label && !label.includes('${') ? ` (${label})` : ''}`;
  });
}

export const COMMAND = defineCommand({
  command: 'npm run decommission',
  usage: [
    '-- <stack> --previous-matrix <file> [options]',
    '-- --left --previous-matrix <file>',
    '-- --existing-command | --orphans <file>',
    '-- --file decommission.txt [--since <ref>] [--json]',
  ],
  summary: `Decommissions a stack that has left the matrix (--matrix): the log bucket
with its settings, the KMS keys with their aliases, and the log group leave
Terraform state and stay in AWS with the logs; everything else the stack
deployed is destroyed (logging configuration, inference profiles, logging role,
alarms, analytics). Refuses while the stack is still in the matrix. Terraform
prints its own progress.`,
  positionals: [
    {
      name: '<stack>',
      help: 'the stack name, e.g. bedrock-logging-111111111111-eu-west-1 (required,\nbut with --left, --orphans, --file and --existing-command)',
    },
  ],
  options: [
    {
      name: '--matrix',
      value: '<file>',
      help: "the repository's current matrix, which must no longer have the stack (default: $MATRIX_FILE;\ninstalled in a landing-zone repository, landing-zone.yaml); never\nthe embedded example",
    },
    {
      name: '--previous-matrix',
      value: '<file>',
      help: `a matrix that still has the stack (its configuration
comes from there), e.g. git show HEAD~1:landing-zone.yaml (required
with <stack> and --left)`,
    },
    {
      name: '--left',
      help: `list the stacks of --previous-matrix that are not in the matrix, each
with its decommission command (also in the GitHub job summary);
destroys nothing`,
    },
    {
      name: '--existing-command',
      help: `print the one command that lists, one name a line, the Terraform Cloud
workspaces (tfc-workspaces --list) or the S3 state keys (aws s3api
list-objects-v2) that may be this tool's; the only step of the
leftover listing that needs the cloud`,
    },
    {
      name: '--orphans',
      value: '<file>',
      help: `list the workspaces or state keys of <file> (what --existing-command
printed) that deployment.backend's template makes but no stack of the
matrix has, each with its decommission command (also in the GitHub job
summary; a stack named in ./decommission.txt is marked so); destroys
nothing`,
    },
    {
      name: '--file',
      value: '<file>',
      help: `check a decommission file (decommission.txt: one stack name a line,
# comments): every stack must have left the matrix and be in an
earlier version of it (git history); prints each stack with the
commit whose matrix still has it. Exit 1 naming every problem`,
    },
    { name: '--since', value: '<ref>', help: 'with --file: only the stacks added to the file since this commit' },
    {
      name: '--json',
      help: 'with --file: print [{"stack", "previous", "account", "role"}, ...] on one\nline: the decommission job\'s matrix (role: with an S3 backend)',
    },
    { name: '--dry-run', help: 'terraform plan only: shows what leaves state (forget)\nand what is destroyed (delete); changes nothing' },
    {
      name: '--offline',
      help: `with --dry-run: plan from the state as recorded, with
dummy credentials and no refresh (no AWS access; for a
local backend, not Terraform Cloud)`,
    },
    { name: '--auto-approve', help: 'apply without asking' },
    { name: '--work-dir', value: '<dir>', help: 'where the decommission configuration goes\n(default decommission.out/<stack>)' },
  ],
  env: {
    MATRIX_FILE: 'the current matrix file when --matrix is not given',
    TF_CLI_CONFIG_FILE: 'with --offline: a Terraform CLI config (default: one for the local provider mirror)',
    TF_PLUGIN_MIRROR: 'with --offline: the local provider mirror (default: a tf-plugins folder near /)',
    GITHUB_STEP_SUMMARY: 'with --left and --orphans: the job summary the list is added to',
  },
  exits: { ok: 'done (or planned)', failed: 'failed, or refused (the stack is still in the matrix)' },
});

function terraformEnv(offline: boolean, scratch: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
  // Offline, a CLI config that does not exist (or none) gives way to the local provider mirror's (tools/offline.tfrc).
  if (offline && !(env.TF_CLI_CONFIG_FILE && fs.existsSync(env.TF_CLI_CONFIG_FILE))) {
    const cfg = cliConfigFor(findMirror(), scratch);
    if (cfg) env.TF_CLI_CONFIG_FILE = cfg;
  }
  return env;
}

/** The stacks of a previous matrix that the current one no longer has, each with its decommission command. */
export function leftTheMatrix(current: AppConfig, previous: AppConfig): string[] {
  const now = new Set(stackNames(current));
  return stackNames(previous).filter((s) => !now.has(s));
}

function listLeft(current: AppConfig, previous: AppConfig, previousFile: string): void {
  const left = leftTheMatrix(current, previous);
  const cmd = (s: string) => `npx bedrock-governance decommission ${s} --previous-matrix ${previousFile} --dry-run`;
  const md = left.length
    ? [
        '### Stacks that left the matrix',
        '',
        'Still deployed until decommissioned (the pipeline destroys nothing by itself; the logs are kept):',
        '',
        ...left.map((s) => '- `' + s + '`: `' + cmd(s) + '`'),
      ].join('\n')
    : '### Stacks that left the matrix\n\nNone.';
  if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, md + '\n');
  console.log(md);
}

/** The workspaces or state keys no stack of the matrix has, each with the decommission command (from the matrix's git history). */
function listOrphans(current: AppConfig, matrixPath: string, existingFile: string): void {
  if (!fs.existsSync(existingFile))
    throw new Error(`--orphans ${existingFile}: no such file (decommission --existing-command prints the command that lists them)`);
  const t = stateTemplate(current.deployment.backendSpec);
  const found = orphans(current, fs.readFileSync(existingFile, 'utf8').split('\n'));
  const named = fs.existsSync(DECOMMISSION_FILE)
    ? parseDecommissionFile(fs.readFileSync(DECOMMISSION_FILE, 'utf8')).entries.map((e) => e.stack)
    : [];
  const history = new MatrixHistory(matrixPath);
  const title = '### Workspaces and state with no place in the matrix';
  let md: string;
  if (!t) md = `${title}\n\nNone to look for: ${matrixPath} keeps state locally (no deployment.backend of type tfc or s3).`;
  else if (!found.length)
    md = `${title}\n\nNone: every ${t.kind} of ${existingFile} that \`${t.template}\` makes belongs to a stack of the matrix.`;
  else {
    const line = (o: Orphan) => {
      const what = `${t.kind} \`${o.name}\``;
      if (!o.stack) return `- ${what}: its stack is not in the name (the template has no {stack}); decommission it by its stack name`;
      if (named.includes(o.stack))
        return `- ${what} (\`${o.stack}\`): named in ${DECOMMISSION_FILE}, so decommissioned or on its way; what is left is the ${t.kind} itself`;
      const last = safeLastWith(history, o.stack);
      if (!last)
        return `- ${what} (\`${o.stack}\`): in no earlier version of ${matrixPath} (git history): not deployed from this repository`;
      const prev = `previous-matrix-${last.commit.slice(0, 12)}.yaml`;
      return `- ${what}: \`git show ${last.commit.slice(0, 12)}:${matrixPath} > ${prev} && npx bedrock-governance decommission ${o.stack} --previous-matrix ${prev} --dry-run\`, or add \`${o.stack}\` to ${DECOMMISSION_FILE} in a pull request`;
    };
    md = [
      title,
      '',
      `${found.length} ${t.kind}${found.length === 1 ? '' : 's'} of stacks that are not in the matrix (whenever they left it); still deployed until decommissioned (the pipeline destroys nothing by itself; the logs are kept):`,
      '',
      ...found.map(line),
    ].join('\n');
  }
  if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, md + '\n');
  console.log(md);
}

function safeLastWith(history: MatrixHistory, stack: string) {
  try {
    return history.lastWith(stack);
  } catch {
    return undefined; // no git history (not a checkout): the listing still names the orphans
  }
}

/**
 * A decommission file, checked: every (new) entry names a stack that has left the matrix and that an earlier version
 * of it had. Prints the entries with the commit whose matrix has them (--json: the decommission job's matrix).
 */
function checkDecommissionFile(current: AppConfig, matrixPath: string, file: string, since: string | undefined, json: boolean): void {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const { entries, problems } = parseDecommissionFile(text, file);
  const fresh = since === undefined ? entries : addedEntries(entries, fileAt(since, file));
  const now = new Set(stackNames(current));
  const history = new MatrixHistory(matrixPath);
  const jobs: { stack: string; previous: string; account: string; role: string }[] = [];
  for (const e of fresh) {
    if (now.has(e.stack)) {
      problems.push(
        `Refused: ${file} line ${e.line}: ${e.stack} is still in the matrix (${matrixPath}). Remove it from the matrix first (the same pull request may do both); the pipeline decommissions only stacks that left it.`,
      );
      continue;
    }
    const last = history.lastWith(e.stack);
    if (!last) {
      problems.push(
        `${file} line ${e.line}: ${e.stack} is in no earlier version of ${matrixPath} (git history): not a stack this repository deployed`,
      );
      continue;
    }
    const [job] = pipelineJobs(last.config, [e.stack], `${last.commit}:${matrixPath}`);
    jobs.push({ stack: e.stack, previous: last.commit, account: job?.account ?? '', role: job?.role ?? '' });
  }
  if (problems.length) {
    for (const p of problems) console.error(p);
    process.exitCode = EXIT.failed;
    return;
  }
  if (json) {
    console.log(JSON.stringify(jobs));
    return;
  }
  const scope = since === undefined ? '' : ` added since ${since}`;
  console.log(
    jobs.length
      ? `${file}: ${jobs.length} stack${jobs.length === 1 ? '' : 's'} to decommission${scope}, each left the matrix:`
      : `${file}: no stack to decommission${scope}.`,
  );
  for (const j of jobs) console.log(`  ${j.stack}: its configuration from ${j.previous.slice(0, 12)}:${matrixPath}`);
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const opts = cliOptions(COMMAND, argv);
  if (!opts) return;
  const [stack] = opts.positionals;
  const previous = opts.values['--previous-matrix'];
  const listing = opts.switches.has('--existing-command') || opts.values['--orphans'] !== undefined || opts.values['--file'] !== undefined;
  if ((opts.values['--since'] !== undefined || opts.switches.has('--json')) && opts.values['--file'] === undefined)
    return usageError(COMMAND, '--since and --json go with --file');
  if (!previous && !listing)
    return usageError(
      COMMAND,
      '--previous-matrix is required: a matrix that still has the stack (e.g. git show HEAD~1:landing-zone.yaml > previous.yaml)',
    );
  const file = matrixFile(opts.values['--matrix'], process.env);
  if (!file)
    return usageError(
      COMMAND,
      "no matrix: decommission checks the stack against the repository's matrix (--matrix landing-zone.yaml or MATRIX_FILE)",
    );
  const dryRun = opts.switches.has('--dry-run');
  const offline = opts.switches.has('--offline');
  if (offline && !dryRun) return usageError(COMMAND, '--offline goes with --dry-run (an apply needs AWS)');

  const current = loadMatrix(process.env, opts.values['--matrix']);
  if (opts.switches.has('--existing-command')) {
    const cmd = existingCommand(current.deployment.backendSpec);
    console.log(cmd ?? `true # ${file} keeps state locally (no deployment.backend of type tfc or s3): nothing to list`);
    return;
  }
  const orphansFile = opts.values['--orphans'];
  if (orphansFile !== undefined) return listOrphans(current, file, orphansFile);
  const decommissionFile = opts.values['--file'];
  if (decommissionFile !== undefined)
    return checkDecommissionFile(current, file, decommissionFile, opts.values['--since'], opts.switches.has('--json'));
  if (!previous) return usageError(COMMAND, '--previous-matrix is required');
  if (opts.switches.has('--left')) return listLeft(current, loadMatrixFile(previous, '--previous-matrix'), previous);
  if (!stack) return usageError(COMMAND, '<stack> is missing: the stack to decommission (--left lists the stacks that left the matrix)');
  if (stackNames(current).includes(stack)) {
    console.error(
      `Refused: ${stack} is still in the matrix (${file}). Remove it from the matrix and merge that first; then decommission what is left.`,
    );
    process.exitCode = EXIT.failed;
    return;
  }
  const old = loadMatrixFile(previous, '--previous-matrix');
  if (!stackNames(old).includes(stack))
    return usageError(
      COMMAND,
      `${stack} is not in the previous matrix ${previous} either: stacks there: ${stackNames(old).slice(0, 5).join(', ')}${stackNames(old).length > 5 ? ', ...' : ''}`,
    );
  const only: AppConfig = {
    ...old,
    stacks: old.stacks.filter((s) => s.stackName === stack),
    bootstraps: old.bootstraps.filter((b) => b.stackName === stack),
    management: old.management?.stackName === stack ? old.management : undefined,
    monitoring: old.monitoring.filter((m) => m.stackName === stack),
  };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-decommission-'));
  try {
    const { synthesize } = await import('../../stacks/app');
    synthesize(only, path.join(scratch, 'out'));
    const stackTf = JSON.parse(fs.readFileSync(path.join(scratch, 'out', 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    const { config, kept, destroyed } = decommissionConfig(stackTf);
    const work = path.resolve(opts.values['--work-dir'] ?? path.join('decommission.out', stack));
    fs.mkdirSync(work, { recursive: true });
    for (const f of fs.readdirSync(work)) if (f.endsWith('.tf.json') || f === 'plan.bin') fs.rmSync(path.join(work, f));
    fs.writeFileSync(path.join(work, 'main.tf.json'), JSON.stringify(config, null, 2) + '\n');
    if (offline) fs.writeFileSync(path.join(work, 'offline_override.tf.json'), JSON.stringify(offlineOverride()));
    console.log(`Decommissioning ${stack} (configuration in ${work}):`);
    console.log(`  leave state, stay in AWS (${kept.length}): ${kept.join(', ') || 'none'}`);
    console.log(`  destroyed if in state (${destroyed.length}): ${destroyed.join(', ') || 'none'}`);

    const env = terraformEnv(offline, scratch);
    const tf = (args: string[]) => spawnSync('terraform', args, { cwd: work, env, stdio: ['inherit', 'inherit', 'inherit'] });
    const step = (args: string[]) => {
      const r = tf(args);
      if (r.status !== 0) throw new Error(`terraform ${args[0]} failed (exit ${r.status ?? r.signal ?? r.error?.message})`);
    };
    step(['init', '-input=false', '-no-color']);
    if (dryRun) {
      step(['plan', '-input=false', '-no-color', '-out=plan.bin', ...(offline ? ['-refresh=false', '-lock=false'] : [])]);
      console.log(`\nDry run: nothing changed. The plan is ${path.join(work, 'plan.bin')} (terraform show -json plan.bin).`);
      return;
    }
    step(['apply', '-input=false', '-no-color', ...(opts.switches.has('--auto-approve') ? ['-auto-approve'] : [])]);
    console.log(`\n${stack} is decommissioned. What remains in AWS, outside Terraform (docs/rollout.md says what it costs):`);
    for (const r of remainingNames(stackTf, kept)) console.log(`  ${r}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof MatrixError ? e.message : `Error: ${(e as Error).message}`);
    process.exitCode = EXIT.failed;
  });
}
