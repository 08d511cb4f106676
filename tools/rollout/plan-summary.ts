/**
 * The plans of some synthesized stacks, summarized for the pull request's review
 * comment: `terraform plan` of each against its backend (Terraform Cloud or S3,
 * with the credentials of the job), and a summary per stack (adds, changes,
 * destroys, forgets, replaced and destroyed addresses) as <dir>/<stack>.json. The
 * plans themselves are not kept: a pull request applies nothing, and the
 * summaries hold no attribute values.
 * Usage: npm run plan-summary -- --help
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXIT, cliOptions, defineCommand, usageError } from '../../lib/args';
import { PLAN_FILE, PlanSummary, planStacks } from './saved-plans';

/** What plan-summary writes for a stack Terraform could not plan: the comment lists it as not planned, with why. */
export interface PlanFailure {
  stack: string;
  failed: string;
}

export const COMMAND = defineCommand({
  command: 'npm run plan-summary',
  usage: '-- <stack>... --out <dir> [options]',
  summary: `Plans the named stacks of the synth output (run synth first) with terraform plan
against their backend, and writes a summary per stack, <dir>/<stack>.json (adds,
changes, destroys, forgets, the addresses replaced or destroyed): the second
section of the pull request's review comment. Terraform prints each plan. Keeps
no plan and applies nothing.`,
  positionals: [{ name: '<stack>...', help: 'the stacks to plan (changed-stacks lists them)' }],
  options: [
    { name: '--out', value: '<dir>', help: 'where the summaries go (required)' },
    {
      name: '--offline',
      help: 'plan with dummy credentials and a scratch local state from the\nlocal provider mirror (a rehearsal: not what AWS has)',
    },
  ],
  env: {
    CDKTF_OUTDIR: 'the synth output (default cdktf.out)',
    TF_PLUGIN_MIRROR: 'with --offline: the local provider mirror (default: a tf-plugins\nfolder at most two levels below /)',
  },
  exits: {
    failed:
      'failed: a stack is not synthesized, or terraform is missing (a stack Terraform cannot\nplan is written as not planned, with a warning, and does not fail the run)',
  },
});

export async function main(argv = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const opts = cliOptions(COMMAND, argv);
  if (!opts) return;
  const out = opts.values['--out'];
  if (!out) return usageError(COMMAND, '--out <dir> is required: where the summaries go');
  const stacks = opts.positionals.flatMap((s) => s.split(/\s+/)).filter(Boolean);
  if (!stacks.length) return usageError(COMMAND, '<stack> is missing: the stacks to plan (changed-stacks lists them)');
  const outdir = env.CDKTF_OUTDIR ?? 'cdktf.out';
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-plan-summary-'));
  try {
    fs.mkdirSync(out, { recursive: true });
    // One stack at a time, so that one stack Terraform cannot plan (typically one this pull request adds: its
    // workspace or its account's deploy role does not exist before the bootstrap wave of the merge) is reported in
    // the comment instead of failing the job: these plans inform the reviewer; the offline review is the check.
    const failed: string[] = [];
    for (const stack of stacks) {
      let summary: PlanSummary | PlanFailure;
      try {
        [summary] = await planStacks(
          [stack],
          (s) => path.join(scratch, s, PLAN_FILE),
          (s) => path.join(outdir, 'stacks', s),
          opts.switches.has('--offline'),
          env,
        );
      } catch (e) {
        const reason = (e as Error).message;
        if (/is not synthesized|not on the PATH/.test(reason)) throw e;
        summary = { stack, failed: reason };
        failed.push(stack);
        // A GitHub Actions annotation; elsewhere just a line of the log.
        console.log(`::warning title=Not planned::${stack}: ${reason} (Terraform's error is above)`);
      }
      fs.writeFileSync(path.join(out, `${stack}.json`), JSON.stringify(summary, null, 2) + '\n');
    }
    const n = stacks.length - failed.length;
    console.log(
      `Plan summaries of ${n} stack${n === 1 ? '' : 's'} in ${out}` +
        (failed.length ? `; ${failed.length} not planned (${failed.join(', ')}): see the warnings.` : '.'),
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`Error: ${(e as Error).message}`);
    process.exitCode = EXIT.failed;
  });
}
