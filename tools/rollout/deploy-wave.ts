/**
 * Deploys one rollout wave: `cdktf deploy` of exactly the wave's stacks, at most
 * --parallelism stacks at a time, with the stack filter set so that cdktf's own
 * synth builds only them. A wave with no stacks is a no-op.
 * Usage: npm run deploy:wave -- --help
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { MatrixError } from '../../config/errors';
import { loadMatrix, matrixFile } from '../../config/load';
import { nearestWave } from '../../config/deployment';
import { FILTER_ENV, rolloutWaves, stackAccounts, stacksOfAccount } from '../../config/select';
import { EXIT, cliOptions, defineCommand, usageError } from '../../lib/args';
import { PLAN_FILE, appendJobSummary, checkHandoff, hasChanges, planStacks, writeHandoff } from './saved-plans';
import { findTerraform } from '../../lib/terraform';

export const DEFAULT_PARALLELISM = 8;

export const COMMAND = defineCommand({
  command: 'npm run deploy:wave',
  usage: '-- <wave> [options] [-- more cdktf deploy options]',
  summary: `Runs \`cdktf deploy\` on exactly the stacks of one rollout wave of the matrix
(npm run waves lists them), at most --parallelism stacks at a time, with the stack
filter set so that cdktf's own synth builds only them. A wave with no stacks is a no-op.
cdktf prints its own progress per stack.

The pipeline applies exactly what was approved, in two steps:
--plan-out <dir> plans every stack of the wave from the synthesized cdktf.out
(run synth first) with \`terraform plan -out\`, and writes the saved plans, the
hash of each stack's cdk.tf.json and a summary per stack (adds, changes,
destroys, replaced addresses) into <dir> and the job summary; --apply <dir>
applies those saved plans and nothing else, and refuses the wave (applying
nothing) when a stack's synthesized configuration changed after its plan, a
stack has no saved plan, or a planned stack left the wave.`,
  positionals: [{ name: '<wave>', help: 'the wave to deploy, e.g. dev (npm run waves lists them)', required: true }],
  rest: 'passed on to cdktf deploy, e.g. -- --outputs-file outputs.json',
  options: [
    {
      name: '--matrix',
      value: '<file>',
      help: "the repository's landing-zone matrix (default: $MATRIX_FILE;\ninstalled in a landing-zone repository, landing-zone.yaml); never\nthe embedded example",
    },
    {
      name: '--account',
      value: '<id>',
      help: "only the wave's stacks in this account (with an S3 backend the\npipeline runs one job per account, with that account's role)",
    },
    { name: '--parallelism', value: '<n>', help: `stacks deployed at the same time (default ${DEFAULT_PARALLELISM})` },
    { name: '--auto-approve', help: 'apply without asking (CI)' },
    {
      name: '--plan-out',
      value: '<dir>',
      help: 'plan the wave into saved plans in <dir> (terraform plan -out), with\na summary per stack; applies nothing',
    },
    {
      name: '--apply',
      value: '<dir>',
      help: 'apply the saved plans in <dir> (written by --plan-out), and nothing\nelse; refuses stacks whose configuration changed after the plan',
    },
    {
      name: '--offline',
      help: 'with --plan-out: plan with dummy credentials and a scratch local\nstate from the local provider mirror (a rehearsal of the handoff;\nnever applied for real)',
    },
    {
      name: '--dry-run',
      help: 'print the cdktf command instead of running it; with --apply,\ncheck the saved plans and print the terraform commands',
    },
  ],
  env: {
    MATRIX_FILE: 'the matrix file when --matrix is not given (the embedded example\nhas placeholder accounts and is never deployed)',
    CDKTF_OUTDIR: 'the synth output --plan-out and --apply read (default cdktf.out)',
    GITHUB_STEP_SUMMARY: 'the job summary the plan summaries and refusals are added to',
    TF_PLUGIN_MIRROR: 'with --offline: the local provider mirror (default: a tf-plugins\nfolder at most two levels below /)',
  },
  exits: { failed: 'failed: an invalid matrix, cdktf deploy or terraform failed, or --apply refused a stack' },
});

export async function deployWave(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const opts = cliOptions(COMMAND, argv);
  if (!opts) return;
  const [wave] = opts.positionals;
  const extra = opts.rest;
  const p = opts.values['--parallelism'] ?? String(DEFAULT_PARALLELISM);
  if (!/^[1-9]\d*$/.test(p)) return usageError(COMMAND, `--parallelism must be a whole number of at least 1, not "${p}"`);
  const file = matrixFile(opts.values['--matrix'], env);
  if (!file)
    return usageError(
      COMMAND,
      "no matrix: deploy-wave deploys the repository's landing-zone matrix (--matrix landing-zone.yaml or MATRIX_FILE=landing-zone.yaml), never the embedded example",
    );

  const config = loadMatrix(env, opts.values['--matrix']);
  const waves = rolloutWaves(config);
  const found = waves.find((w) => w.wave === wave);
  // Wave names a pipeline may call even when this matrix has no stacks in them.
  const known = ['bootstrap', 'monitoring', ...config.rollout.waves, 'management'];
  if (!found && !known.includes(wave))
    return usageError(
      COMMAND,
      `unknown wave "${wave}" (nearest: "${nearestWave(wave, known)}"). Waves of this matrix, in order: ${waves.map((w) => w.wave).join(', ')}`,
    );
  const planOut = opts.values['--plan-out'];
  const applyDir = opts.values['--apply'];
  if (planOut && applyDir)
    return usageError(COMMAND, '--plan-out and --apply are two steps (two jobs, the approval between them): give one');
  if (opts.switches.has('--offline') && !planOut) return usageError(COMMAND, '--offline only goes with --plan-out');
  const account = opts.values['--account'] ?? '';
  if (account && ![...stackAccounts(config).values()].some((a) => a.accountId === account))
    return usageError(COMMAND, `--account ${account} is no account of this matrix`);
  const stacks = stacksOfAccount(config, found?.stacks ?? [], account);
  const outdir = env.CDKTF_OUTDIR ?? 'cdktf.out';
  const stackDir = (s: string) => path.join(outdir, 'stacks', s);
  if (planOut) return planWave(wave, stacks, planOut, stackDir, opts.switches.has('--offline'), env);
  if (applyDir) return applyWave(wave, stacks, applyDir, stackDir, opts.switches.has('--dry-run'), env);
  if (!stacks.length) {
    console.log(`Wave "${wave}" has no stacks in this matrix: nothing to deploy.`);
    return;
  }
  const args = [
    'cdktf',
    'deploy',
    ...stacks,
    '--parallelism',
    p,
    ...(opts.switches.has('--auto-approve') ? ['--auto-approve'] : []),
    ...extra,
  ];
  console.log(`Deploying wave "${wave}" (${stacks.length} stack${stacks.length === 1 ? '' : 's'}, ${p} at a time): ${stacks.join(', ')}`);
  if (opts.switches.has('--dry-run')) {
    console.log(`MATRIX_FILE=${file} ${FILTER_ENV.environments}=${wave} npx ${args.join(' ')}`);
    return;
  }
  const r = spawnSync('npx', args, {
    stdio: 'inherit',
    env: { ...env, MATRIX_FILE: file, [FILTER_ENV.environments]: wave, CHECKPOINT_DISABLE: '1' },
  });
  process.exitCode = r.status === 0 ? EXIT.ok : EXIT.failed; // cdktf's own codes mapped onto the project's (lib/args.ts)
}

/** Runs a program in a stack directory, its output on ours; throws naming it when it fails. */
function inherit(cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): void {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args[0]} failed in ${cwd}`);
}

/** The plan job: a saved plan, the configuration's hash and a summary per stack of the wave. */
async function planWave(
  wave: string,
  stacks: string[],
  dir: string,
  stackDir: (s: string) => string,
  offline: boolean,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const abs = path.resolve(dir);
  const summaries = await planStacks(stacks, (s) => path.join(abs, s, PLAN_FILE), stackDir, offline, env);
  const md = writeHandoff(abs, wave, stacks, stackDir, summaries);
  appendJobSummary(md, env);
  console.log(md);
  console.log(
    `Saved plans of wave "${wave}" (${stacks.length} stack${stacks.length === 1 ? '' : 's'}) in ${dir}: deploy-wave ${wave} --apply ${dir} applies them and nothing else.`,
  );
}

/** The apply job: the saved plans, checked against the synthesized configuration now, and nothing else. */
function applyWave(
  wave: string,
  stacks: string[],
  dir: string,
  stackDir: (s: string) => string,
  dryRun: boolean,
  env: NodeJS.ProcessEnv,
): void {
  const check = checkHandoff(dir, wave, stacks, stackDir);
  if (check.refused.length) {
    const md = [`### Wave \`${wave}\` refused: nothing applied`, '', ...check.refused.map((r) => `- Refused: ${r}`)].join('\n');
    appendJobSummary(md, env);
    for (const r of check.refused) console.error(`Refused: ${r}`);
    console.error(
      `Wave "${wave}": nothing applied. What is applied must be what was planned and approved: run the deploy again to plan the wave anew.`,
    );
    process.exitCode = EXIT.failed;
    return;
  }
  const terraform = dryRun ? 'terraform' : findTerraform();
  if (!terraform && check.apply.length) throw new Error('terraform is not on the PATH: --apply runs terraform apply');
  for (const s of check.apply) {
    const plan = path.resolve(dir, s.stack, PLAN_FILE);
    if (!hasChanges(s)) {
      console.log(`${s.stack}: its saved plan has no changes: nothing to apply.`);
      continue;
    }
    console.log(
      `${s.stack}: applying its saved plan (${s.adds} to add, ${s.changes} to change, ${s.destroys} to destroy, ${s.forgets} to forget).`,
    );
    if (dryRun) {
      console.log(`(cd ${stackDir(s.stack)} && terraform init -input=false && terraform apply -input=false ${plan})`);
      continue;
    }
    inherit(stackDir(s.stack), terraform!, ['init', '-input=false'], env);
    inherit(stackDir(s.stack), terraform!, ['apply', '-input=false', plan], env);
  }
  console.log(
    `Wave "${wave}": ${dryRun ? 'checked' : 'applied'} the saved plans of ${check.apply.length} stack${check.apply.length === 1 ? '' : 's'} from ${dir}.`,
  );
}

if (require.main === module) {
  deployWave(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof MatrixError ? e.message : e instanceof Error ? e.message : e);
    process.exitCode = EXIT.failed;
  });
}
